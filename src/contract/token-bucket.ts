import { abortableSleep } from './sleep.ts';

/**
 * The default: 90 a minute, below the documented 100, so that the account's other clients (its
 * apps, a dashboard open meanwhile) keep some of the limit while the suite runs.
 */
export const DEFAULT_REQUESTS_PER_MINUTE = 90;

/**
 * Client-side pacing under the documented limit (100 requests per minute per account): a token
 * bucket that starts with `burst` permits and refills `perMinute` per minute, and never grants
 * more than `perMinute` permits in any 60 s (the bucket alone would allow `burst + perMinute` in the
 * first minute). The server's own 429 answers are handled by the HTTP client on top of this.
 */
export interface PacingOptions {
  /** Permits refilled per minute, and the most granted in any 60 s; default DEFAULT_REQUESTS_PER_MINUTE. */
  perMinute?: number;
  /** Permits available at once; default 90 (headroom below the limit for other clients of the account). */
  burst?: number;
}

// A second more than a minute: the grant is recorded a little before the request leaves.
const WINDOW_MS = 61_000;

export class TokenBucket {
  readonly #perMs: number;
  readonly #capacity: number;
  readonly #now: () => number;
  #permits: number;
  #updatedAt: number;
  #queue: Promise<void> = Promise.resolve();
  /** Times of the permits granted in the last 60 s, oldest first. */
  readonly #granted: number[] = [];
  readonly #perWindow: number;

  constructor(options: PacingOptions = {}, now: () => number = Date.now) {
    const perMinute = options.perMinute ?? DEFAULT_REQUESTS_PER_MINUTE;
    this.#capacity = Math.max(1, options.burst ?? Math.min(90, perMinute));
    this.#perMs = perMinute / 60_000;
    this.#perWindow = Math.max(1, Math.floor(perMinute));
    this.#now = now;
    this.#permits = this.#capacity;
    this.#updatedAt = now();
  }

  /** Waits (in FIFO order) until one permit is available and takes it. */
  take(signal?: AbortSignal): Promise<void> {
    const turn = this.#queue.then(() => this.#takeNow(signal));
    // A rejected (aborted) wait must not block later callers.
    this.#queue = turn.catch(() => undefined);
    return turn;
  }

  async #takeNow(signal?: AbortSignal): Promise<void> {
    this.#refill();
    if (this.#permits < 1) {
      const waitMs = Math.ceil((1 - this.#permits) / this.#perMs);
      await abortableSleep(waitMs, signal);
      this.#refill();
    }
    this.#forgetOlderThanAMinute();
    if (this.#granted.length >= this.#perWindow) {
      await abortableSleep(this.#granted[0]! + WINDOW_MS - this.#now(), signal);
      this.#refill();
      this.#forgetOlderThanAMinute();
    }
    this.#permits -= 1;
    this.#granted.push(this.#now());
  }

  #forgetOlderThanAMinute(): void {
    const now = this.#now();
    while (this.#granted.length > 0 && this.#granted[0]! + WINDOW_MS <= now) this.#granted.shift();
  }

  #refill(): void {
    const now = this.#now();
    this.#permits = Math.min(this.#capacity, this.#permits + (now - this.#updatedAt) * this.#perMs);
    this.#updatedAt = now;
  }
}
