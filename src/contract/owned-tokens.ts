import { UnsafeWriteError } from './errors.ts';

export interface OwnedToken {
  id: string;
  label: string;
  /** The token string from this run's own create response (proof of ownership). */
  token: string;
  note: string | undefined;
  deleted: boolean;
}

/**
 * The tokens this run proved it created. A token id is acted on (updated, deleted, cleaned up)
 * only when the run holds that token's string from its own create response and a retrieve of that
 * string answered the same authorization id and user (see TokensApi.create). Ids a server
 * answered wrongly are tainted and never written to again; tokens listed before the run are never
 * written to (the default token only when the caller opted in). Ids the suite fabricated to
 * provoke `Not Found` are allowed too: they name no token.
 */
export class OwnedTokens {
  readonly runId: string;
  readonly #owned = new Map<string, OwnedToken>();
  readonly #fabricated = new Set<string>();
  readonly #tainted = new Map<string, string>();
  readonly #preexisting = new Set<string>();
  /** Token strings of this run's create answers not (yet) matched to an id: cleanup tries them. */
  readonly #unmatchedStrings = new Set<string>();
  #defaultTokenId: string | undefined;
  /** Create requests sent (cleanup verifies the account only when there was one). */
  createAttempts = 0;
  /** Told about every token proven ours and every delete (the CLI reports leftovers on a second signal). */
  onChange: ((event: { type: 'owned'; token: OwnedToken } | { type: 'deleted'; id: string }) => void) | undefined;

  constructor(runId: string) {
    this.runId = runId;
  }

  /** The note every created token carries, so a person can tell them apart in the dashboard. */
  note(label: string): string {
    return `contract-test ${this.runId} ${label}`;
  }

  /** Ids listed before the run wrote anything: never ours, whatever a server answers later. */
  markPreexisting(ids: Iterable<string>): void {
    for (const id of ids) this.#preexisting.add(id);
  }

  isPreexisting(id: string): boolean {
    return this.#preexisting.has(id);
  }

  /** A string from one of our create answers, before (or without) proof. */
  holdString(token: string): void {
    this.#unmatchedStrings.add(token);
  }

  unmatchedStrings(): string[] {
    return [...this.#unmatchedStrings];
  }

  /** Records a proven token. Returns false (and taints the id) when it was listed before the run. */
  register(id: string, label: string, token: string, note?: string): boolean {
    if (this.#preexisting.has(id)) {
      this.taint(id, 'listed before the run: not created by it');
      return false;
    }
    if (this.#tainted.has(id)) return false;
    this.#unmatchedStrings.delete(token);
    if (!this.#owned.has(id)) {
      const owned: OwnedToken = { id, label, token, note, deleted: false };
      this.#owned.set(id, owned);
      this.onChange?.({ type: 'owned', token: owned });
    }
    return true;
  }

  /** The server's answer about this id cannot be trusted: no write ever goes to it. */
  taint(id: string, reason: string): void {
    if (!this.#tainted.has(id)) this.#tainted.set(id, reason);
    this.#owned.delete(id);
  }

  tainted(): { id: string; reason: string }[] {
    return [...this.#tainted].map(([id, reason]) => ({ id, reason }));
  }

  markDeleted(id: string): void {
    const owned = this.#owned.get(id);
    if (owned && !owned.deleted) {
      owned.deleted = true;
      this.onChange?.({ type: 'deleted', id });
    }
  }

  /** An id guaranteed not to name a real token (random, never issued by the server to us). */
  fabricateId(): string {
    const random = Array.from(crypto.getRandomValues(new Uint8Array(12)), (byte) => (byte % 36).toString(36)).join('');
    const id = `cnotreal${random}x`.slice(0, 25);
    this.#fabricated.add(id);
    return id;
  }

  allowDefaultTokenWrites(id: string): void {
    this.#defaultTokenId = id;
  }

  assertWritable(id: string): void {
    const tainted = this.#tainted.get(id);
    if (tainted !== undefined) throw new UnsafeWriteError(id, tainted);
    if (id === this.#defaultTokenId && this.#defaultTokenId !== undefined) return;
    if (this.#preexisting.has(id)) throw new UnsafeWriteError(id, 'it was listed before the run');
    if (this.#owned.has(id) || this.#fabricated.has(id)) return;
    throw new UnsafeWriteError(id);
  }

  isOwned(id: string): boolean {
    return this.#owned.has(id);
  }

  get(id: string): OwnedToken | undefined {
    return this.#owned.get(id);
  }

  pending(): OwnedToken[] {
    return [...this.#owned.values()].filter((token) => !token.deleted);
  }
}
