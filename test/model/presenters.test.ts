import { describe, expect, it } from 'vitest';
import { presentToken } from '../../src/model/presenters.ts';
import type { StoredToken } from '../../src/model/token-store.ts';

// presentTime memoises ISO strings by epoch ms: the memo must give each time its own string.
function record(created: number, modified: number): StoredToken {
  return {
    id: 'ckpresent',
    username: 'mockuser',
    usage: 'pk',
    isDefault: false,
    scopes: ['styles:read'],
    note: null,
    allowedUrls: null,
    created,
    modified,
    token: 'pk.x',
    createdWithoutScopes: false,
  };
}

describe('presentToken times', () => {
  it('presents each time as its own ISO string, the same on every call', () => {
    const a = record(Date.UTC(2026, 0, 2, 3, 4, 5, 6), Date.UTC(2026, 0, 2, 3, 4, 5, 7));
    for (let call = 0; call < 3; call++) {
      const shown = presentToken(a, 'public-only');
      expect(shown.created).toBe('2026-01-02T03:04:05.006Z');
      expect(shown.modified).toBe('2026-01-02T03:04:05.007Z');
    }
  });

  it('keeps giving correct strings past the memo bound', () => {
    const base = Date.UTC(2030, 0, 1);
    for (let i = 0; i < 10_050; i++) {
      const shown = presentToken(record(base + i, base + i), 'public-only');
      if (i % 1000 === 0 || i > 10_000) expect(shown.created).toBe(new Date(base + i).toISOString());
    }
  });
});
