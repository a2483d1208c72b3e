/** The model's time source: the current time in epoch milliseconds, stamped on every write. */
export interface Clock {
  now(): number;
}

/** Epoch seconds (floored), the unit of token claims and rate-limit headers. */
export function toEpochSeconds(ms: number): number {
  return Math.floor(ms / 1000);
}
