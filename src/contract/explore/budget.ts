/** The request budget ran out: the run stops exploring (cleanup still runs, within the reserve). */
export class BudgetExhausted extends Error {
  constructor(limit: number) {
    super(`the request budget of ${limit} requests is spent`);
    this.name = 'BudgetExhausted';
  }
}

/**
 * A ceiling on the requests a run sends to the target. Before each exploring request it keeps a
 * reserve for cleanup: one DELETE per token the run still owns, plus the verification listing.
 */
export class RequestBudget {
  readonly limit: number;
  readonly #sent: () => number;
  readonly #pending: () => number;

  constructor(limit: number, sent: () => number, pending: () => number) {
    this.limit = limit;
    this.#sent = sent;
    this.#pending = pending;
  }

  /** Throws BudgetExhausted when one more request would leave too little for cleanup. */
  beforeRequest(): void {
    // +1 for the request itself, +1 for a token it may create, +2 for cleanup's verification listing.
    if (this.#sent() + 1 + 1 + this.#pending() + 2 > this.limit) throw new BudgetExhausted(this.limit);
  }
}
