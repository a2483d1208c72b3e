import { describe, expect, it } from 'vitest';
import { isStoredTokenRecord } from '../../src/state/stored-token-record.ts';
import { token } from '../model/stored-token.ts';

describe('isStoredTokenRecord (the check of a restored state token)', () => {
  it('accepts a record with every field of its type, restricted or not, named or not', () => {
    expect(isStoredTokenRecord(token('c1', 1))).toBe(true);
    expect(
      isStoredTokenRecord(token('c1', 1, { usage: 'sk', note: 'n', allowedUrls: ['https://a.example'], scopes: ['styles:read'] })),
    ).toBe(true);
  });

  const broken: [string, unknown][] = [
    ['null', null],
    ['a string', 'c1'],
    ['an id that is not a string', { ...token('c1', 1), id: 1 }],
    ['no username', { ...token('c1', 1), username: undefined }],
    ['a tk usage', { ...token('c1', 1), usage: 'tk' }],
    ['isDefault not a boolean', { ...token('c1', 1), isDefault: 'no' }],
    ['scopes not a list', { ...token('c1', 1), scopes: 'styles:read' }],
    ['a scope that is not a string', { ...token('c1', 1), scopes: [1] }],
    ['note a number', { ...token('c1', 1), note: 3 }],
    ['allowedUrls a string', { ...token('c1', 1), allowedUrls: 'https://a.example' }],
    ['an allowed URL that is not a string', { ...token('c1', 1), allowedUrls: [null] }],
    ['created not finite', { ...token('c1', 1), created: Number.NaN }],
    ['modified a string', { ...token('c1', 1), modified: '1' }],
    ['no token string', { ...token('c1', 1), token: undefined }],
    ['createdWithoutScopes missing', { ...token('c1', 1), createdWithoutScopes: undefined }],
  ];
  it.each(broken)('refuses %s', (_, value) => {
    expect(isStoredTokenRecord(value)).toBe(false);
  });
});
