/** Time source of a mock: an injectable base clock plus an offset that advanceTime() grows. */
export interface MockClock {
  /** Current mock time in epoch milliseconds. */
  now(): number;
  /** Moves mock time forward (or back, for negative values) without touching the base clock. */
  advance(ms: number): void;
  /** The accumulated offset in milliseconds (part of snapshots). */
  offsetMs: number;
  /**
   * When set, now() answers this instant whatever the base clock and the offset say. A mock holds
   * its clock here while it creates its initial state (the `initialTime` option), so that state
   * does not depend on when the mock starts; it releases it (undefined) before serving.
   */
  heldAtMs: number | undefined;
}

export function createClock(base: () => number = Date.now, offsetMs = 0): MockClock {
  const clock: MockClock = {
    offsetMs,
    heldAtMs: undefined,
    now: () => clock.heldAtMs ?? base() + clock.offsetMs,
    advance(ms: number): void {
      if (!Number.isFinite(ms)) throw new TypeError('advanceTime expects a finite number of milliseconds');
      clock.offsetMs += ms;
    },
  };
  return clock;
}

/** Largest distance from the epoch a Date can represent (ECMAScript time values), in ms. */
const MAX_TIME_VALUE_MS = 8.64e15;

/**
 * Epoch ms of an instant given as a Date or as epoch milliseconds; a TypeError naming `option`
 * for anything else (an invalid Date, NaN, Infinity, a value no Date can represent, a string).
 */
export function toInstantMs(value: number | Date, option: string): number {
  const ms = value instanceof Date ? value.getTime() : value;
  if (typeof ms !== 'number' || !Number.isFinite(ms) || Math.abs(ms) > MAX_TIME_VALUE_MS) {
    throw new TypeError(`${option} must be a valid Date or a finite number of epoch milliseconds (got ${describe(value)})`);
  }
  return ms;
}

/** A refused value as an error message shows it (never the value's own toString: it may throw). */
function describe(value: unknown): string {
  if (value instanceof Date) return 'an invalid Date';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  return value === null ? 'null' : `a ${typeof value}`;
}

/** Epoch seconds (floored), the unit of token claims and rate-limit headers. */
export function toEpochSeconds(ms: number): number {
  return Math.floor(ms / 1000);
}
