// The request journal: a bounded record of the requests the mock answered, for assertions such as
// "the app created exactly one token with these scopes". In-process as `mock.journal`, over HTTP at
// GET /__admin/requests. Browser-safe (no node: imports).
import type { ApiErrorId } from '../model/errors.ts';
import { decodeClaims, splitToken } from '../model/token-codec.ts';
import { routeOf, type OperationId } from '../http/routes.ts';

/** Default number of entries kept (`journalSize`, `--journal-size`). */
const DEFAULT_JOURNAL_SIZE = 1000;

export interface JournalEntry {
  /** When the request arrived (mock time), ISO 8601. */
  time: string;
  method: string;
  /** Path without the query. */
  path: string;
  /** Query parameters (first value of each); every token value is redacted to its prefix (`sk.…`). */
  query: Record<string, string>;
  /** The documented operation, or null for a path or method outside the route table. */
  operation: OperationId | null;
  status: number;
  /** For an error answer: the document's condition id (e.g. `missing-scope`); otherwise null. */
  condition: ApiErrorId | null;
  /** Time from the request to the answer, in ms (latency included). */
  durationMs: number;
  /** The account the request acted on: the path's username, or the owner of a retrieved token. */
  account: string | null;
  /** The parsed JSON body of a write (create, update), or null. Bodies of this API hold no secrets. */
  body: unknown;
}

/**
 * What the request path records: raw values only. Redaction, parsing and formatting happen when
 * the journal is read, so the journal costs the hot path next to nothing (BENCHMARKS.md).
 */
export interface JournalRecord {
  arrivedMs: number;
  method: string;
  /** Absolute request URL, unredacted (never leaves the journal as it is). */
  url: string;
  status: number;
  condition: ApiErrorId | null;
  durationMs: number;
  /** Body text of a POST or PATCH, else undefined (shown for creates and updates). */
  bodyText: string | undefined;
}

/** Filters of `entries()` and of GET /__admin/requests; every given field must match. */
export interface JournalFilter {
  account?: string;
  operation?: OperationId;
  status?: number;
  /** Entries at or after this instant (ISO string, Date or epoch ms). */
  since?: string | number | Date;
}

/** A filter plus a predicate, for the assertion helper. */
export interface JournalExpectation extends JournalFilter {
  /** Extra test on each entry, e.g. `(entry) => sameScopes(entry.body, ['styles:read'])`. */
  where?: (entry: JournalEntry) => boolean;
}

export class RequestJournal {
  readonly #entries: JournalRecord[] = [];
  /** Index of the oldest entry once the ring is full. */
  #start = 0;
  readonly capacity: number;
  /** Path prefix of the mock's base URL: operations and accounts are worked out from the URL on read. */
  readonly #basePath: string;

  constructor(capacity: number = DEFAULT_JOURNAL_SIZE, basePath = '') {
    if (!Number.isInteger(capacity) || capacity < 0) throw new TypeError('journalSize must be a non-negative integer');
    this.capacity = capacity;
    this.#basePath = basePath;
  }

  /** False when the journal keeps nothing (`journalSize: 0`), so callers can skip building entries. */
  get enabled(): boolean {
    return this.capacity > 0;
  }

  record(entry: JournalRecord): void {
    if (this.capacity === 0) return;
    if (this.#entries.length < this.capacity) {
      this.#entries.push(entry);
      return;
    }
    this.#entries[this.#start] = entry;
    this.#start = (this.#start + 1) % this.capacity;
  }

  /** The kept entries, oldest first, that match `filter`. */
  entries(filter: JournalFilter = {}): JournalEntry[] {
    const ordered = [...this.#entries.slice(this.#start), ...this.#entries.slice(0, this.#start)].map((record) =>
      toEntry(record, this.#basePath),
    );
    const sinceMs = filter.since === undefined ? undefined : toMs(filter.since);
    return ordered.filter(
      (entry) =>
        (filter.account === undefined || entry.account === filter.account) &&
        (filter.operation === undefined || entry.operation === filter.operation) &&
        (filter.status === undefined || entry.status === filter.status) &&
        (sinceMs === undefined || Date.parse(entry.time) >= sinceMs),
    );
  }

  clear(): void {
    this.#entries.length = 0;
    this.#start = 0;
  }

  /**
   * The assertion helper: the one entry matching `expectation`, or an Error listing what the
   * journal holds for that filter (none, or several). For example, the app created exactly one
   * token with the scopes it needed:
   * `journal.expectOne({ operation: 'createToken', status: 200, where: (e) => hasScopes(e, ['styles:read']) })`.
   */
  expectOne(expectation: JournalExpectation): JournalEntry {
    const { where, ...filter } = expectation;
    const candidates = this.entries(filter);
    const matches = where === undefined ? candidates : candidates.filter(where);
    if (matches.length === 1) return matches[0]!;
    const listed = candidates
      .slice(-10)
      .map((entry) => `  ${describeEntry(entry)}`)
      .join('\n');
    throw new Error(
      `Expected exactly one request matching ${JSON.stringify(filter)}${where ? ' and the predicate' : ''}, found ${matches.length}.` +
        (candidates.length === 0 ? ' The journal holds no request for this filter.' : `\nRequests for this filter:\n${listed}`),
    );
  }
}

const WRITE_OPERATIONS: ReadonlySet<OperationId | null> = new Set(['createToken', 'updateToken']);

function toEntry(record: JournalRecord, basePath: string): JournalEntry {
  const url = new URL(record.url);
  const { match, operation } = routeOf(url, record.method, basePath);
  return {
    time: new Date(record.arrivedMs).toISOString(),
    method: record.method,
    path: url.pathname,
    query: redactedQuery(url.searchParams),
    operation,
    status: record.status,
    condition: record.condition,
    durationMs: Math.round(record.durationMs * 1000) / 1000,
    account: match?.params['username'] ?? tokenOwner(url.searchParams.get('access_token')),
    body: record.bodyText === undefined || !WRITE_OPERATIONS.has(operation) ? null : parseBody(record.bodyText),
  };
}

/** The account named in a token's payload (retrieveToken has no username in its path). */
function tokenOwner(token: string | null): string | null {
  if (!token) return null;
  const parts = splitToken(token);
  const claims = parts === undefined ? undefined : decodeClaims(parts);
  return claims?.claims.u ?? null;
}

function parseBody(text: string): unknown {
  if (text.trim() === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text.length > 200 ? `${text.slice(0, 200)}…` : text;
  }
}

/** True when the entry's body asked for exactly these scopes (in any order). */
export function hasScopes(entry: JournalEntry, scopes: readonly string[]): boolean {
  const body = entry.body as { scopes?: unknown } | null;
  if (!Array.isArray(body?.scopes)) return false;
  const asked = [...new Set(body.scopes as unknown[])].map(String).sort();
  const wanted = [...new Set(scopes)].sort();
  return asked.length === wanted.length && asked.every((scope, index) => scope === wanted[index]);
}

function describeEntry(entry: JournalEntry): string {
  const query = new URLSearchParams(entry.query).toString();
  const body = entry.body === null ? '' : ` ${JSON.stringify(entry.body)}`;
  return `${entry.method} ${entry.path}${query ? `?${query}` : ''}${body} -> ${entry.status}${entry.condition ? ` (${entry.condition})` : ''}`;
}

/** A token in a log or a journal shows only its kind: `sk.…`. */
function redactToken(value: string): string {
  const kind = /^(pk|sk|tk)\./.exec(value);
  return kind ? `${kind[1]}.…` : '…';
}

/** First value of every query parameter, with `access_token` and anything token-shaped redacted. */
export function redactedQuery(params: URLSearchParams): Record<string, string> {
  const query: Record<string, string> = {};
  for (const [name, value] of params) {
    if (name in query) continue;
    query[name] = name === 'access_token' || /^(pk|sk|tk)\.[^.]+\./.test(value) ? redactToken(value) : value;
  }
  return query;
}

function toMs(value: string | number | Date): number {
  const ms = value instanceof Date ? value.getTime() : typeof value === 'number' ? value : Date.parse(value);
  if (!Number.isFinite(ms)) throw new TypeError(`since must be an instant (got ${JSON.stringify(value)})`);
  return ms;
}
