import { UnsafeWriteError } from './errors.ts';

interface OwnedToken {
  id: string;
  label: string;
  deleted: boolean;
}

/**
 * The tokens this run created (their note carries the run id). Only these may be updated or
 * deleted; ids the suite fabricated to provoke `Not Found` are allowed too, and the account's
 * default token only when the caller opted in.
 */
export class OwnedTokens {
  readonly runId: string;
  readonly #owned = new Map<string, OwnedToken>();
  readonly #fabricated = new Set<string>();
  #defaultTokenId: string | undefined;
  /** Create requests sent (cleanup verifies the account only when there was one). */
  createAttempts = 0;

  constructor(runId: string) {
    this.runId = runId;
  }

  /** The note every created token carries, so a person can tell them apart in the dashboard. */
  note(label: string): string {
    return `contract-test ${this.runId} ${label}`;
  }

  register(id: string, label: string): void {
    if (!this.#owned.has(id)) this.#owned.set(id, { id, label, deleted: false });
  }

  markDeleted(id: string): void {
    const owned = this.#owned.get(id);
    if (owned) owned.deleted = true;
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
    if (this.#owned.has(id) || this.#fabricated.has(id) || id === this.#defaultTokenId) return;
    throw new UnsafeWriteError(id);
  }

  isOwned(id: string): boolean {
    return this.#owned.has(id);
  }

  pending(): OwnedToken[] {
    return [...this.#owned.values()].filter((token) => !token.deleted);
  }
}
