import type { Account } from './accounts.ts';
import type { StoredToken } from './token-store.ts';
import type { UndoLog } from './undo-log.ts';

/**
 * One change to a mock's records, as a journal stores it: a token as it now is (created or
 * updated), a deleted token id, or an account as it now is. Replaying the changes in order over the
 * state they were made on gives the state after them; each is idempotent.
 */
export type StateChange = { token: StoredToken } | { deleted: string } | { account: Account };

/**
 * Where the token store and the account registry report their writes, when anywhere: the change
 * log of a mock that keeps a journal (src/state/change-log.ts). The model itself keeps nothing.
 */
export interface ChangeRecorder {
  /** Records a change; `undo` (the operation's undo log) can withdraw it again if the operation fails. */
  record(change: StateChange, undo?: UndoLog): void;
  /** How many times the recorded changes were taken by a reader (an undo log compares it). */
  readonly takes: number;
  /** Withdraws the entries of a reverted operation that began when `takes` was `takesAtStart`. */
  withdraw(entries: readonly StateChange[], takesAtStart: number): void;
}
