// The inverses the model's parts push to an undo log (issue 14, src/model/undo-log.ts): a rollback
// restores exactly what its operation changed, and never what another request wrote since.
import { describe, expect, it } from 'vitest';
import { createAccountRegistry } from '../../src/model/accounts.ts';
import { ChangeLog } from '../../src/state/change-log.ts';
import { createIdGenerator } from '../../src/model/ids.ts';
import { createSeededRandom } from '../../src/model/random.ts';
import { createRateLimiter } from '../../src/model/rate-limiter.ts';
import { SHARD_SIZE, TokenStore } from '../../src/model/token-store.ts';
import { token } from './stored-token.ts';
import { UndoLog } from '../../src/model/undo-log.ts';

const ids = (store: TokenStore): string[] => store.all().map((record) => record.id);
const pageIds = (store: TokenStore, order: 'created' | 'modified'): string[] =>
  store.page('u', { order, filter: {}, limit: 1000 }).items.map((record) => record.id);

describe('undo of token store writes', () => {
  it('restores inserts, updates and deletes in reverse order, with the indexes and the record order', async () => {
    const store = new TokenStore();
    for (let i = 0; i < 5; i++) await store.insertMany([token(`c${i}`, i, { isDefault: i === 0 })]);
    const before = JSON.stringify(store.all());
    const undo = new UndoLog();
    await store.insertMany([token('c9', 9)], undo);
    await store.update('c9', { note: 'new', modified: 20 }, undo);
    await store.update('c2', { note: 'renamed', scopes: ['styles:read'], modified: 30 }, undo);
    await store.delete('c0', undo);
    await store.delete('c2', undo);
    undo.rollback('failed');
    expect(JSON.stringify(store.all())).toBe(before);
    expect(pageIds(store, 'created')).toEqual(['c0', 'c1', 'c2', 'c3', 'c4']);
    expect(pageIds(store, 'modified')).toEqual(['c0', 'c1', 'c2', 'c3', 'c4']);
    expect(store.page('u', { order: 'created', filter: { isDefault: true }, limit: 10 }).items.map((record) => record.id)).toEqual(['c0']);
    expect(store.get('c9')).toBeUndefined();
    expect(store.size()).toBe(5);
  });

  it('puts a deleted record back in its shard when the delete had dropped the emptied shard', async () => {
    const store = new TokenStore();
    await store.insertMany(Array.from({ length: SHARD_SIZE + 1 }, (_, i) => token(`c${String(i).padStart(4, '0')}`, i)));
    for (let i = 0; i < SHARD_SIZE - 1; i++) await store.delete(`c${String(i).padStart(4, '0')}`);
    const before = ids(store);
    expect(before).toHaveLength(2);
    const undo = new UndoLog();
    await store.delete(before[0]!, undo);
    expect(ids(store)).toEqual([before[1]]);
    undo.rollback('failed');
    expect(ids(store)).toEqual(before);
    // The restored shard is a working shard: its record can be deleted again.
    expect(await store.delete(before[0]!)).toBe(true);
  });

  it('does not undo what another request wrote after the operation', async () => {
    const store = new TokenStore();
    await store.insertMany([token('c1', 1)]);
    const undo = new UndoLog();
    await store.update('c1', { note: 'failed request', modified: 2 }, undo);
    await store.update('c1', { note: 'other request', modified: 3 });
    await store.insertMany([token('c2', 2)], undo);
    await store.delete('c2');
    undo.rollback('failed');
    expect(store.get('c1')).toMatchObject({ note: 'other request', modified: 3 });
    expect(ids(store)).toEqual(['c1']);
    expect(pageIds(store, 'modified')).toEqual(['c1']);
  });
});

describe('undo of the other parts', () => {
  it('gives back an id draw only while no other draw followed', () => {
    const random = createSeededRandom(7);
    const generator = createIdGenerator(random);
    const start = { counter: generator.counter, random: random.state() };
    const undo = new UndoLog();
    const drawn = generator.next(1000, undo);
    undo.rollback('failed');
    expect({ counter: generator.counter, random: random.state() }).toEqual(start);
    expect(generator.next(1000)).toBe(drawn);

    const overtaken = new UndoLog();
    generator.next(1000, overtaken);
    const concurrent = generator.next(1000);
    const after = { counter: generator.counter, random: random.state() };
    overtaken.rollback('failed');
    expect({ counter: generator.counter, random: random.state() }).toEqual(after);
    expect(generator.next(1000)).not.toBe(concurrent);
  });

  it("takes back a failed request's rate-limit count, keeps a refused one's, and reopens a replaced window", () => {
    const limiter = createRateLimiter({ limit: 10, intervalSeconds: 60 });
    limiter.consume('u', 1000);
    const failed = new UndoLog();
    limiter.consume('u', 2000, failed);
    failed.rollback('failed');
    expect(limiter.windows()).toEqual([{ username: 'u', windowStartMs: 1000, count: 1 }]);
    const refused = new UndoLog();
    limiter.consume('u', 2000, refused);
    refused.rollback('refused');
    expect(limiter.windows()).toEqual([{ username: 'u', windowStartMs: 1000, count: 2 }]);
    // A request in a new window: its failure brings back the window it replaced.
    const late = new UndoLog();
    limiter.consume('u', 100_000, late);
    late.rollback('failed');
    expect(limiter.windows()).toEqual([{ username: 'u', windowStartMs: 1000, count: 2 }]);
    const first = new UndoLog();
    limiter.consume('v', 100_000, first);
    first.rollback('failed');
    expect(limiter.windows().map((window) => window.username)).toEqual(['u']);
  });

  it('removes an added account and restores a replaced master token id', () => {
    const accounts = createAccountRegistry();
    accounts.add({ username: 'a', scopes: [], defaultTokenId: 'd', masterTokenId: 'm' });
    const undo = new UndoLog();
    accounts.setMasterTokenId('a', 'm2', undo);
    accounts.add({ username: 'b', scopes: [], defaultTokenId: 'd2', masterTokenId: 'm3' }, undo);
    undo.rollback('failed');
    expect(accounts.all()).toEqual([{ username: 'a', scopes: [], defaultTokenId: 'd', masterTokenId: 'm' }]);
  });
});

describe('undo and the change log', () => {
  it('withdraws the entries of a reverted operation that no reader took', async () => {
    const changes = new ChangeLog();
    changes.start();
    const store = new TokenStore(changes);
    await store.insertMany([token('c1', 1)]);
    const undo = new UndoLog(changes);
    await store.insertMany([token('c2', 2)], undo);
    await store.update('c1', { note: 'x' }, undo);
    undo.rollback('failed');
    expect(changes.take()).toEqual([{ token: token('c1', 1) }]);
    expect(changes.takeResync()).toBe(false);
  });

  it('asks the reader for the whole state when it took entries of the reverted operation', async () => {
    const changes = new ChangeLog();
    changes.start();
    const store = new TokenStore(changes);
    const undo = new UndoLog(changes);
    await store.insertMany([token('c1', 1)], undo);
    expect(changes.take()).toHaveLength(1);
    undo.rollback('failed');
    expect(changes.takeResync()).toBe(true);
    expect(changes.takeResync()).toBe(false);
  });
});
