// The token store keeps its @msw/data records in a chain of SHARD_SIZE-record collections (so a
// delete scans one small collection, see BENCHMARKS.md). Across shard boundaries it must behave as
// one collection: insertion order, counts, pages, deletes, and emptied shards leave no gaps.
import { describe, expect, it } from 'vitest';
import { SHARD_SIZE, TokenStore, type StoredToken } from '../../src/model/token-store.ts';

function token(index: number): StoredToken {
  const id = `c${String(index).padStart(24, '0')}`;
  return {
    id,
    username: index % 3 === 0 ? 'other' : 'u',
    usage: index % 2 === 0 ? 'pk' : 'sk',
    isDefault: false,
    scopes: ['styles:read'],
    note: null,
    allowedUrls: null,
    created: 1_000 + index,
    modified: 1_000 + index,
    token: `pk.${id}.sig`,
    createdWithoutScopes: false,
  };
}

describe('token store across @msw/data shards', () => {
  it('keeps insertion order, counts and pages across shards, through deletes and re-inserts', async () => {
    const store = new TokenStore();
    const total = SHARD_SIZE * 3 + 17;
    await store.insertMany(Array.from({ length: total }, (_, i) => token(i)));
    for (let i = total; i < total + 40; i++) await store.insertMany([token(i)]);
    const all = total + 40;
    expect(store.collection.count()).toBe(all);
    expect(store.all().map((record) => record.id)).toEqual(Array.from({ length: all }, (_, i) => token(i).id));

    // Empty the whole second shard and part of the others, in parallel.
    const deleted = new Set<number>();
    for (let i = SHARD_SIZE; i < SHARD_SIZE * 2; i++) deleted.add(i);
    for (let i = 0; i < all; i += 7) deleted.add(i);
    const results = await Promise.all([...deleted].map((i) => store.delete(token(i).id)));
    expect(results.every(Boolean)).toBe(true);
    expect(await store.delete(token(SHARD_SIZE).id)).toBe(false);

    const remaining = Array.from({ length: all }, (_, i) => i).filter((i) => !deleted.has(i));
    expect(store.collection.count()).toBe(remaining.length);
    expect(store.size()).toBe(remaining.length);
    expect(store.all().map((record) => record.id)).toEqual(remaining.map((i) => token(i).id));
    for (const i of [...deleted].slice(0, 50)) expect(store.get(token(i).id)).toBeUndefined();

    // Paging one account from start to end visits exactly its remaining tokens, in created order.
    const visited: string[] = [];
    let after: ReturnType<TokenStore['page']>['next'];
    do {
      const page = store.page('u', { order: 'created', filter: {}, limit: 100, after });
      visited.push(...page.items.map((record) => record.id));
      after = page.next;
    } while (after !== undefined);
    expect(visited).toEqual(remaining.filter((i) => i % 3 !== 0).map((i) => token(i).id));

    // Updates reach the record held by its collection; new records fill in after the last one.
    const survivor = token(remaining[remaining.length - 1]!).id;
    await store.update(survivor, { note: 'changed', modified: 9_999_999 });
    expect(store.all().find((record) => record.id === survivor)!.note).toBe('changed');
    await store.insertMany([token(all)]);
    expect(store.all().at(-1)!.id).toBe(token(all).id);
  });

  it('refuses a batch that repeats an id without storing any of it', async () => {
    const store = new TokenStore();
    const batch = Array.from({ length: SHARD_SIZE + 5 }, (_, i) => token(i));
    batch[SHARD_SIZE + 2] = token(3);
    await expect(store.insertMany(batch)).rejects.toThrow(/Duplicate token id/);
    expect(store.collection.count()).toBe(0);
    expect(store.all()).toEqual([]);
    await store.insertMany([token(1)]);
    expect(store.size()).toBe(1);
  });
});
