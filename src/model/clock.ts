/** Time source of a mock: an injectable base clock plus an offset that advanceTime() grows. */
export interface MockClock {
  /** Current mock time in epoch milliseconds. */
  now(): number;
  /** Moves mock time forward (or back, for negative values) without touching the base clock. */
  advance(ms: number): void;
  /** The accumulated offset in milliseconds (part of snapshots). */
  offsetMs: number;
}

export function createClock(base: () => number = Date.now, offsetMs = 0): MockClock {
  const clock: MockClock = {
    offsetMs,
    now: () => base() + clock.offsetMs,
    advance(ms: number): void {
      if (!Number.isFinite(ms)) throw new TypeError('advanceTime expects a finite number of milliseconds');
      clock.offsetMs += ms;
    },
  };
  return clock;
}

/** Epoch seconds (floored), the unit of token claims and rate-limit headers. */
export function toEpochSeconds(ms: number): number {
  return Math.floor(ms / 1000);
}
