/** The model's time source: the current time in epoch milliseconds, stamped on every write. */
export interface Clock {
  now(): number;
}

/** Whether epoch milliseconds are a time a Date can hold. */
export function isDateTime(ms: number): boolean {
  return Number.isFinite(ms) && Math.abs(ms) <= MAX_TIME_VALUE_MS;
}

/** Largest distance from the epoch a Date can represent (ECMAScript time values), in ms. */
export const MAX_TIME_VALUE_MS = 8.64e15;

/** Epoch seconds (floored), the unit of token claims and rate-limit headers. */
export function toEpochSeconds(ms: number): number {
  return Math.floor(ms / 1000);
}
