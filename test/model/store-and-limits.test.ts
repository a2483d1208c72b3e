import { describe, expect, it } from 'vitest';
import { createRateLimiter } from '../../src/model/rate-limiter.ts';
import { TokenStore } from '../../src/model/token-store.ts';
import { token } from './stored-token.ts';
import { parseListQuery } from '../../src/model/list-query.ts';
import type { ApiError } from '../../src/model/errors.ts';
import { createClock } from '../../src/state/mock-clock.ts';

describe('TokenStore', () => {
  it('pages in (key, id) order after a position, with filters, and tracks modified order on update', async () => {
    const store = new TokenStore();
    // Inserted out of order on purpose.
    for (const [id, created] of [
      ['c3', 30],
      ['c1', 10],
      ['c2', 20],
      ['c2b', 20],
    ] as const)
      await store.insertMany([token(id, created, { usage: id === 'c2' ? 'sk' : 'pk' })]);
    expect(store.page('u', { order: 'created', filter: {}, limit: 10 }).items.map((t) => t.id)).toEqual(['c1', 'c2', 'c2b', 'c3']);
    const first = store.page('u', { order: 'created', filter: {}, limit: 2 });
    expect(first.items.map((t) => t.id)).toEqual(['c1', 'c2']);
    expect(first.next).toEqual({ key: 20, id: 'c2' });
    const second = store.page('u', { order: 'created', filter: {}, limit: 2, after: first.next! });
    expect(second.items.map((t) => t.id)).toEqual(['c2b', 'c3']);
    expect(second.next).toBeUndefined();
    expect(store.page('u', { order: 'created', filter: { usage: 'sk' }, limit: 5 }).items.map((t) => t.id)).toEqual(['c2']);
    await store.update('c1', { modified: 99, note: 'x' });
    expect(store.get('c1')).toMatchObject({ note: 'x', modified: 99, created: 10 });
    expect(store.page('u', { order: 'modified', filter: {}, limit: 10 }).items.map((t) => t.id)).toEqual(['c2', 'c2b', 'c3', 'c1']);
    expect(await store.delete('c2')).toBe(true);
    expect(await store.delete('c2')).toBe(false);
    expect(store.page('u', { order: 'created', filter: {}, limit: 10 }).items.map((t) => t.id)).toEqual(['c1', 'c2b', 'c3']);
    expect(store.collection.count()).toBe(3);
    expect(store.page('nobody', { order: 'created', filter: {}, limit: 10 }).items).toEqual([]);
  });

  it('refuses an id it holds, or one a batch repeats, and stores none of that batch', async () => {
    const store = new TokenStore();
    await store.insertMany([token('c1', 1)]);
    await expect(store.insertMany([token('c1', 2)])).rejects.toThrow(/Duplicate token id c1/);
    await expect(store.insertMany([token('c8', 1), token('c9', 1), token('c8', 2)])).rejects.toThrow(/Duplicate token id c8/);
    expect(store.size()).toBe(1);
    expect(store.get('c9')).toBeUndefined();
  });
});

describe('rate limiter', () => {
  it('allows `limit` requests per fixed window per account', () => {
    const limiter = createRateLimiter({ limit: 2, intervalSeconds: 10 });
    expect([1, 2, 3].map(() => limiter.consume('a', 1000).allowed)).toEqual([true, true, false]);
    expect(limiter.consume('b', 1000).allowed).toBe(true);
    expect(limiter.consume('a', 10_999).info.resetEpochSeconds).toBe(11);
    expect(limiter.consume('a', 11_000)).toEqual({ allowed: true, info: { limit: 2, intervalSeconds: 10, resetEpochSeconds: 21 } });
    const off = createRateLimiter(false);
    expect(Array.from({ length: 500 }, () => off.consume('a', 0).allowed).every(Boolean)).toBe(true);
  });
});

describe('list query', () => {
  it('parses defaults and clamps limit', () => {
    expect(parseListQuery({})).toMatchObject({ order: 'created', limit: 100, filter: {}, after: undefined, echo: {} });
    expect(parseListQuery({ limit: '1000', usage: 'sk', default: 'false', sortby: 'modified', access_token: 't' })).toMatchObject({
      limit: 100,
      order: 'modified',
      filter: { usage: 'sk', isDefault: false },
      echo: { usage: 'sk', default: 'false', sortby: 'modified', limit: '1000' },
    });
  });

  it('throws the documented error ids', () => {
    const idOf = (query: Record<string, string>) => {
      try {
        parseListQuery(query);
        return 'ok';
      } catch (e) {
        return (e as ApiError).id;
      }
    };
    expect(idOf({ usage: 'pk ' })).toBe('bad-usage');
    expect(idOf({ default: 'TRUE' })).toBe('bad-default');
    expect(idOf({ sortby: 'created,modified' })).toBe('bad-sortby');
    expect(idOf({ limit: '1e2' })).toBe('bad-limit');
    expect(idOf({ start: '!!' })).toBe('invalid-start');
    expect(idOf({ usage: 'x', limit: 'y' })).toBe('bad-usage');
  });
});

describe('clock', () => {
  it('adds an advanceable offset to an injectable base', () => {
    let base = 1000;
    const clock = createClock(() => base);
    clock.advance(500);
    base = 2000;
    expect(clock.now()).toBe(2500);
    expect(() => clock.advance(Number.NaN)).toThrow();
  });
});

describe('TokenStore default=true lists', () => {
  it('serves the default token from its own index, honouring usage and the cursor', async () => {
    const store = new TokenStore();
    await store.insertMany([token('c1', 10, { isDefault: true })]);
    for (let i = 2; i < 50; i++) await store.insertMany([token(`c${String(i).padStart(2, '0')}`, 10 + i)]);
    const only = store.page('u', { order: 'created', filter: { isDefault: true }, limit: 10 });
    expect(only).toEqual({ items: [store.get('c1')], next: undefined });
    expect(store.page('u', { order: 'created', filter: { isDefault: true, usage: 'sk' }, limit: 10 }).items).toEqual([]);
    expect(store.page('u', { order: 'created', filter: { isDefault: true }, limit: 10, after: { key: 10, id: 'c1' } }).items).toEqual([]);
    expect(store.page('u', { order: 'created', filter: { isDefault: false }, limit: 100 }).items).toHaveLength(48);
    await store.delete('c1');
    expect(store.page('u', { order: 'modified', filter: { isDefault: true }, limit: 10 }).items).toEqual([]);
  });
});
