import type { Account } from './accounts.ts';
import type { StoredToken } from './token-store.ts';

/**
 * One change to a mock's records, as a journal stores it: a token as it now is (created or
 * updated), a deleted token id, or an account as it now is. Replaying the changes in order over the
 * state they were made on gives the state after them; each is idempotent.
 */
export type StateChange =
  | { token: StoredToken }
  | { deleted: string }
  | { account: Account };

/**
 * The changes made to a model since they were last taken. The token store and the account registry
 * record into it; `tokens-mock --state` takes them after every write request and appends them to
 * its journal before answering. Recording is off until a reader asks (recordChanges), so a mock
 * used in tests keeps nothing.
 */
export class ChangeLog {
  #pending: StateChange[] = [];
  #recording = false;

  record(change: StateChange): void {
    if (this.#recording) this.#pending.push(structuredClone(change));
  }

  /** Starts recording (idempotent); earlier changes are not kept. */
  start(): void {
    this.#recording = true;
  }

  take(): StateChange[] {
    const taken = this.#pending;
    this.#pending = [];
    return taken;
  }
}
