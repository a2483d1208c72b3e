import type { ChangeRecorder, StateChange } from '../model/change-recorder.ts';
import type { UndoLog } from '../model/undo-log.ts';

/**
 * The changes made to a model since they were last taken. The token store and the account registry
 * record into it; `tokens-mock --state` takes them after every write request and appends them to
 * its journal before answering. Recording is off until a reader asks (recordChanges), so a mock
 * used in tests keeps nothing.
 */
export class ChangeLog implements ChangeRecorder {
  #pending: StateChange[] = [];
  #recording = false;
  /** How many times the changes were taken (an undo log compares it, see withdraw()). */
  #takes = 0;
  /** Set when a reverted change may already be in the reader's journal (see takeResync()). */
  #resync = false;

  /** Records a change; `undo` (the operation's undo log) can withdraw it again if the operation fails. */
  record(change: StateChange, undo?: UndoLog): void {
    if (!this.#recording) return;
    const entry = structuredClone(change);
    this.#pending.push(entry);
    undo?.recorded(entry);
  }

  /** Starts recording (idempotent); earlier changes are not kept. */
  start(): void {
    this.#recording = true;
  }

  take(): StateChange[] {
    const taken = this.#pending;
    this.#pending = [];
    this.#takes += 1;
    return taken;
  }

  get takes(): number {
    return this.#takes;
  }

  /**
   * Withdraws the entries of a reverted operation that began when `takes` was `takesAtStart`. When
   * nothing was taken since, they are dropped and no reader ever sees them. Otherwise a reader may
   * hold some of them (or id counters they advanced), so the next takeResync() says true.
   */
  withdraw(entries: readonly StateChange[], takesAtStart: number): void {
    if (!this.#recording) return;
    if (this.#takes !== takesAtStart) {
      this.#resync = true;
      return;
    }
    if (entries.length === 0) return;
    const withdrawn = new Set(entries);
    this.#pending = this.#pending.filter((entry) => !withdrawn.has(entry));
  }

  /**
   * True once after a reverted operation's changes may have reached a reader: its journal must then
   * be replaced by the whole state (a snapshot), which holds no trace of them.
   */
  takeResync(): boolean {
    const resync = this.#resync;
    this.#resync = false;
    return resync;
  }
}
