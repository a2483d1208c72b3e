import { Collection } from '@msw/data';
import type { StandardSchemaV1 } from '@standard-schema/spec';
import type { ChangeRecorder } from './change-recorder.ts';
import { comparePositions, type ListPosition } from './cursor.ts';
import type { PermanentUsage } from './token-codec.ts';
import type { UndoLog } from './undo-log.ts';

/** A stored (pk/sk) token. Temporary tokens are never stored (docs/sources.md §9). */
export interface StoredToken {
  id: string;
  username: string;
  usage: PermanentUsage;
  isDefault: boolean;
  scopes: string[];
  note: string | null;
  /** null = unrestricted. */
  allowedUrls: string[] | null;
  /** Epoch ms. */
  created: number;
  modified: number;
  token: string;
  /** A token created with no scopes can never gain scopes (reference). */
  createdWithoutScopes: boolean;
}

/** What an update may change. */
export type TokenChanges = Partial<Pick<StoredToken, 'scopes' | 'note' | 'allowedUrls' | 'modified'>>;

export type ListOrder = 'created' | 'modified';

export interface ListFilter {
  usage?: PermanentUsage;
  isDefault?: boolean;
}

export interface ListPage {
  items: StoredToken[];
  /** Position of the last item when more items follow, for the next cursor. */
  next: ListPosition | undefined;
}

/**
 * The Standard Schema @msw/data checks each record with. Records reach the store only from the
 * model's rules, which build them, and from restored states, which src/state/ checks field by field
 * before any reaches the store (a record is checked once, where it comes in): so it passes them on.
 */
const trustedRecord: StandardSchemaV1<StoredToken, StoredToken> = {
  '~standard': { version: 1, vendor: 'mapbox-tokens-mock', validate: (value) => ({ value: value as StoredToken }) },
};

type TokenCollection = Collection<typeof trustedRecord>;
/** A record as @msw/data holds it (the stored token plus the collection's hidden internals). */
type TokenRecord = ReturnType<TokenCollection['all']>[number];

/** Sorted positions (sort key + id) of one account's tokens, in one order. */
class PositionIndex {
  readonly entries: ListPosition[] = [];

  /** Index of the first entry strictly after `position` (binary search). */
  firstAfter(position: ListPosition): number {
    let low = 0;
    let high = this.entries.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (comparePositions(this.entries[mid]!, position) <= 0) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  insert(position: ListPosition): void {
    // Stryker disable next-line ArithmeticOperator: [equivalent] over HTTP positions arrive in clock order: appending always applies
    const last = this.entries[this.entries.length - 1];
    // Tokens are mostly created in clock order: appending is the common, O(1) case.
    // Stryker disable next-line ConditionalExpression,EqualityOperator,LogicalOperator,BlockStatement: [equivalent] over HTTP positions arrive in clock order: appending always applies
    if (last === undefined || comparePositions(last, position) < 0) {
      this.entries.push(position);
      return;
    }
    // Stryker disable next-line all: [unreachable] over HTTP positions arrive in clock order: appending always applies
    this.entries.splice(this.firstAfter(position), 0, position);
  }

  remove(position: ListPosition): void {
    const index = this.firstAfter(position) - 1;
    const found = this.entries[index];
    // Stryker disable next-line LogicalOperator: [equivalent] the index holds every position it is asked to remove
    if (found !== undefined && comparePositions(found, position) === 0) this.entries.splice(index, 1);
  }
}

interface AccountIndexes {
  created: PositionIndex;
  modified: PositionIndex;
  /** Ids of the account's default tokens (one in practice): `default=true` lists need no scan. */
  defaults: Set<string>;
}

/**
 * Records per @msw/data collection. Collection.delete() finds its record with a linear scan
 * (about 0.5 µs per record: 50 ms per delete at 100 000 tokens, measured in bench/scale.ts), so the
 * store keeps its records in a chain of small collections and a delete scans one of them only.
 */
export const SHARD_SIZE = 256;

/** Read-only view over the store's collections, in insertion order. */
export interface CollectionView {
  count(): number;
  all(): StoredToken[];
}

/**
 * The token store: @msw/data collections are the store of record (a chain of SHARD_SIZE-record
 * shards, see above); beside them, a Map by id and per-account sorted position arrays answer every
 * query without scanning, so a list page, a lookup or a delete costs about the same at 100 000
 * tokens as at 1 000 (issue 7). Writes go through one queue because @msw/data writes are asynchronous.
 */
export class TokenStore {
  readonly #shards: TokenCollection[] = [];
  readonly #shardOf = new Map<string, TokenCollection>();
  readonly #byId = new Map<string, TokenRecord>();
  readonly #accounts = new Map<string, AccountIndexes>();
  #writes: Promise<unknown> = Promise.resolve();
  /** Where every committed write is recorded (for a journal), if anywhere. */
  readonly #changes: ChangeRecorder | undefined;

  constructor(changes?: ChangeRecorder) {
    this.#changes = changes;
  }

  /** Every record, across shards, in insertion order. */
  readonly collection: CollectionView = {
    count: () => this.#shards.reduce((total, shard) => total + shard.count(), 0),
    all: () => this.#shards.flatMap((shard) => shard.all()),
  };

  #serial<T>(write: () => Promise<T>): Promise<T> {
    const result = this.#writes.then(write);
    this.#writes = result.catch(() => undefined);
    return result;
  }

  /** The shard new records go to: the last one while it has room. */
  #openShard(): TokenCollection {
    // Stryker disable next-line ArithmeticOperator: [equivalent] which @msw/data collection holds a record: answers read the indexes
    const last = this.#shards[this.#shards.length - 1];
    if (last !== undefined && last.count() < SHARD_SIZE) return last;
    const shard: TokenCollection = new Collection({ schema: trustedRecord });
    // Stryker disable next-line CallExpression: [equivalent] which @msw/data collection holds a record: answers read the indexes
    this.#shards.push(shard);
    return shard;
  }

  #indexes(username: string): AccountIndexes {
    let indexes = this.#accounts.get(username);
    if (indexes === undefined) {
      indexes = { created: new PositionIndex(), modified: new PositionIndex(), defaults: new Set() };
      this.#accounts.set(username, indexes);
    }
    return indexes;
  }

  get(id: string): StoredToken | undefined {
    return this.#byId.get(id);
  }

  size(): number {
    return this.#byId.size;
  }

  countForAccount(username: string): number {
    return this.#accounts.get(username)?.created.entries.length ?? 0;
  }

  /**
   * Inserts records in order (bulk loads: one queue slot, @msw/data's createMany). With `undo`, each
   * write pushes its inverse there (see undo-log.ts), so an operation that fails later can revert it.
   */
  insertMany(tokens: readonly StoredToken[], undo?: UndoLog): Promise<StoredToken[]> {
    return this.#serial(async () => {
      const seen = new Set<string>();
      // Checked up front so a duplicate refuses the whole batch before any shard is written.
      // Stryker disable next-line BlockStatement: [equivalent] ids come from a counter: no draw repeats a stored or reserved id
      for (const token of tokens) {
        // Stryker disable next-line LogicalOperator,StringLiteral: [equivalent] ids come from a counter: no draw repeats a stored or reserved id
        if (this.#byId.has(token.id) || seen.has(token.id)) throw new Error(`Duplicate token id ${token.id}`);
        // Stryker disable next-line CallExpression: [equivalent] ids come from a counter: no draw repeats a stored or reserved id
        seen.add(token.id);
      }
      const records: TokenRecord[] = [];
      for (let start = 0; start < tokens.length; ) {
        const shard = this.#openShard();
        // Stryker disable next-line ArithmeticOperator: [equivalent] which @msw/data collection holds a record: answers read the indexes
        const count = Math.min(SHARD_SIZE - shard.count(), tokens.length - start);
        const offset = start;
        const created = await shard.createMany(count, (index) => {
          const token = tokens[offset + index]!;
          return { ...token, scopes: [...token.scopes], allowedUrls: token.allowedUrls && [...token.allowedUrls] };
        });
        undo?.push('write', () => {
          for (let index = created.length - 1; index >= 0; index--) this.#removeInserted(created[index]!, shard);
        });
        for (const record of created) this.#shardOf.set(record.id, shard);
        records.push(...created);
        start += count;
      }
      for (const record of records) {
        this.#byId.set(record.id, record);
        this.#index(record);
        this.#changes?.record({ token: plainRecord(record) }, undo);
      }
      return records;
    });
  }

  #index(record: TokenRecord): void {
    const indexes = this.#indexes(record.username);
    indexes.created.insert({ key: record.created, id: record.id });
    indexes.modified.insert({ key: record.modified, id: record.id });
    if (record.isDefault) indexes.defaults.add(record.id);
  }

  #unindex(record: TokenRecord): void {
    const indexes = this.#indexes(record.username);
    indexes.created.remove({ key: record.created, id: record.id });
    indexes.modified.remove({ key: record.modified, id: record.id });
    // Stryker disable next-line all: [unreachable] only a delete unindexes, and the default token cannot be deleted (422)
    indexes.defaults.delete(record.id);
  }

  /** Undoes one insert: the record leaves its shard and, when it was indexed, the indexes. */
  #removeInserted(record: TokenRecord, shard: TokenCollection): void {
    if (this.#byId.get(record.id) === record) {
      this.#byId.delete(record.id);
      this.#unindex(record);
    }
    if (this.#shardOf.get(record.id) === shard) this.#shardOf.delete(record.id);
    shard.delete(record);
    this.#dropIfEmpty(shard);
  }

  /** Emptied shards are dropped so create/delete churn does not leave a trail of empty collections. */
  #dropIfEmpty(shard: TokenCollection): void {
    if (shard.count() === 0 && shard !== this.#shards[this.#shards.length - 1]) {
      const index = this.#shards.indexOf(shard);
      if (index !== -1) this.#shards.splice(index, 1);
    }
  }

  /** The updated record, or undefined when the token was deleted meanwhile. */
  update(id: string, changes: TokenChanges, undo?: UndoLog): Promise<StoredToken | undefined> {
    return this.#serial(async () => {
      const previous = this.#byId.get(id);
      if (previous === undefined) return undefined;
      // collection.update() finds its record by a linear scan (about 100 ms per update at 100 000
      // tokens, measured), so the record held by the collection is changed in place instead: O(1),
      // and the collection stays the store of record.
      const fields = Object.keys(changes) as Array<keyof typeof changes>;
      const before: Partial<StoredToken> = {};
      for (const field of fields) (before as Record<string, unknown>)[field] = previous[field];
      const next = Object.assign(previous, changes);
      this.#moveModified(next, before.modified ?? next.modified);
      // Reverted only while the fields still hold what this update wrote (no later update since).
      undo?.push('write', () => {
        if (this.#byId.get(id) !== next || fields.some((field) => next[field] !== changes[field])) return;
        const written = next.modified;
        Object.assign(next, before);
        this.#moveModified(next, written);
      });
      this.#changes?.record({ token: plainRecord(next) }, undo);
      return next;
    });
  }

  #moveModified(record: TokenRecord, previousModified: number): void {
    if (record.modified === previousModified) return;
    const modified = this.#indexes(record.username).modified;
    modified.remove({ key: previousModified, id: record.id });
    modified.insert({ key: record.modified, id: record.id });
  }

  delete(id: string, undo?: UndoLog): Promise<boolean> {
    return this.#serial(async () => {
      const record = this.#byId.get(id);
      // Stryker disable next-line BooleanLiteral: [unreachable] the delete operation looked the token up first (404 when gone)
      if (record === undefined) return false;
      const shard = this.#shardOf.get(id)!;
      const shardIndex = this.#shards.indexOf(shard);
      const position = undo === undefined ? -1 : shard.all().indexOf(record);
      // Stryker disable all: [equivalent] which @msw/data collection holds a record: answers read the indexes
      shard.delete(record);
      this.#shardOf.delete(id);
      this.#dropIfEmpty(shard);
      // Stryker restore all
      this.#byId.delete(id);
      this.#unindex(record);
      undo?.push('write', () => this.#restoreDeleted(record, shard, shardIndex, position));
      this.#changes?.record({ deleted: id }, undo);
      // Stryker disable next-line BooleanLiteral: [equivalent] the delete operation does not read the result
      return true;
    });
  }

  /**
   * Undoes a delete: the same record object back at its place in its shard (so snapshots keep their
   * order), and the shard back in the chain if the delete dropped it. @msw/data has no insert-at,
   * but Collection.all() is the collection's own record array (it hands out the stored references,
   * which this store relies on for in-place updates too), so the record is spliced back into it.
   */
  #restoreDeleted(record: TokenRecord, shard: TokenCollection, shardIndex: number, position: number): void {
    if (this.#byId.has(record.id)) return;
    if (!this.#shards.includes(shard)) this.#shards.splice(Math.min(shardIndex, this.#shards.length), 0, shard);
    const held = shard.all();
    const count = shard.count();
    held.splice(Math.min(position, held.length), 0, record);
    if (shard.count() !== count + 1)
      throw new Error(`Could not restore deleted token ${record.id}: @msw/data no longer exposes its records`);
    this.#shardOf.set(record.id, shard);
    this.#byId.set(record.id, record);
    this.#index(record);
  }

  /** One page of an account's tokens, ascending by (order key, id), strictly after `after`. */
  page(username: string, options: { order: ListOrder; filter: ListFilter; after?: ListPosition; limit: number }): ListPage {
    const indexes = this.#accounts.get(username);
    // Stryker disable next-line ObjectLiteral,ArrayDeclaration: [unreachable] every account has tokens, so indexes, from its creation on
    if (indexes === undefined) return { items: [], next: undefined };
    const { filter, limit } = options;
    if (filter.isDefault === true) return this.#pageOfDefaults(indexes, options);
    const index = indexes[options.order];
    const items: StoredToken[] = [];
    let lastPosition: ListPosition | undefined;
    const entries = index.entries;
    for (let i = options.after ? index.firstAfter(options.after) : 0; i < entries.length; i++) {
      const record = this.#byId.get(entries[i]!.id)!;
      if (filter.usage !== undefined && record.usage !== filter.usage) continue;
      if (filter.isDefault !== undefined && record.isDefault !== filter.isDefault) continue;
      if (items.length === limit) return { items, next: lastPosition };
      items.push(record);
      lastPosition = entries[i]!;
    }
    return { items, next: undefined };
  }

  #pageOfDefaults(
    indexes: AccountIndexes,
    options: { order: ListOrder; filter: ListFilter; after?: ListPosition; limit: number },
  ): ListPage {
    const positioned = [...indexes.defaults]
      .map((id) => this.#byId.get(id)!)
      .filter((record) => options.filter.usage === undefined || record.usage === options.filter.usage)
      .map((record) => ({ record, position: { key: record[options.order], id: record.id } }))
      .filter(({ position }) => options.after === undefined || comparePositions(position, options.after) > 0)
      .sort((a, b) => comparePositions(a.position, b.position));
    // Stryker disable next-line MethodExpression: [equivalent] an account's one default token is its first, never deleted: the page is it or nothing
    const page = positioned.slice(0, options.limit);
    return {
      items: page.map(({ record }) => record),
      // Stryker disable next-line ArithmeticOperator: [unreachable] an account's one default token never fills a page with more to follow
      next: positioned.length > options.limit ? page[page.length - 1]!.position : undefined,
    };
  }

  all(): StoredToken[] {
    return this.collection.all();
  }

  clear(): void {
    for (const shard of this.#shards) shard.clear();
    this.#shards.length = 0;
    this.#shardOf.clear();
    this.#byId.clear();
    this.#accounts.clear();
  }
}

/** A stored token's own fields (without the collection's hidden internals). */
function plainRecord(record: StoredToken): StoredToken {
  const { id, username, usage, isDefault, scopes, note, allowedUrls, created, modified, token, createdWithoutScopes } = record;
  return { id, username, usage, isDefault, scopes, note, allowedUrls, created, modified, token, createdWithoutScopes };
}
