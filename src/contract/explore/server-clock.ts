/**
 * The server's clock as the model follows it: the local clock plus a skew, read from the server's
 * `Date` header and from the `issued_at` (iat) of the temporary tokens it issues. Both have whole
 * seconds, so a reading moves the clock only when it is off by more than `resolutionMs`.
 */
export class ServerClock {
  readonly #resolutionMs: number;
  #skewMs = 0;

  constructor(resolutionMs = 2000) {
    this.#resolutionMs = resolutionMs;
  }

  now(): number {
    return Date.now() + this.#skewMs;
  }

  get skewMs(): number {
    return this.#skewMs;
  }

  /** A `Date` header of an answer to a request sent at `sentAt` and answered at `receivedAt` (local ms). */
  observeDate(header: string | null | undefined, sentAt: number, receivedAt: number): void {
    const date = Date.parse(header ?? '');
    if (Number.isFinite(date)) this.#observe(date, (sentAt + receivedAt) / 2, 1000);
  }

  /** The iat (epoch seconds) of a token the server issued between `sentAt` and `receivedAt`. */
  observeIssuedAt(epochSeconds: number, sentAt: number, receivedAt: number): void {
    if (Number.isFinite(epochSeconds)) this.#observe(epochSeconds * 1000, (sentAt + receivedAt) / 2, 1000);
  }

  /** `serverMs` is a reading floored to whole seconds (`granularityMs`) at local time `localMs`. */
  #observe(serverMs: number, localMs: number, granularityMs: number): void {
    const estimate = localMs + this.#skewMs;
    // The true server time lies in [serverMs, serverMs + granularity): move only when outside it by more than the resolution.
    const drift =
      estimate < serverMs ? estimate - serverMs : estimate > serverMs + granularityMs ? estimate - (serverMs + granularityMs) : 0;
    if (Math.abs(drift) > this.#resolutionMs) this.#skewMs = serverMs + granularityMs / 2 - localMs;
  }
}
