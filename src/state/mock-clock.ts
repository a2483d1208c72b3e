import type { Clock } from '../model/clock.ts';

/**
 * The mock's clock: an injectable base clock plus an offset that advanceTime() grows. The model
 * only reads now(); moving time is the mock's own control (and part of its snapshots).
 */
export interface MockClock extends Clock {
  /**
   * Moves mock time forward (or back, for negative values) without touching the base clock. A
   * RangeError, and no change, when the new time is outside what a Date can hold.
   */
  advance(ms: number): void;
  /** Sets mock time to an instant (an offset from the base clock); refused like advance(). */
  set(instantMs: number): void;
  /** Sets the offset (a restored state's); refused like advance(), `what` naming the source. */
  setOffset(offsetMs: number, what: string): void;
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
    now() {
      const now = clock.heldAtMs ?? base() + clock.offsetMs;
      // Every write stamps this time on a record: a time no Date can hold would be stored and then
      // break every answer that presents it, so it is refused here, before anything is written.
      if (!isDateTime(now)) throw new RangeError(`Mock time ${now} ms is outside the range a Date can hold (±${MAX_TIME_VALUE_MS} ms)`);
      return now;
    },
    advance(ms: number): void {
      if (typeof ms !== 'number' || !Number.isFinite(ms)) throw new TypeError('advanceTime expects a finite number of milliseconds');
      moveTo(clock, base, clock.offsetMs + ms, `advanceTime(${ms})`);
    },
    set(instantMs: number): void {
      const target = toInstantMs(instantMs, 'setTime');
      moveTo(clock, base, target - base(), `setTime(${instantMs})`);
    },
    setOffset(offsetMs: number, what: string): void {
      moveTo(clock, base, offsetMs, what);
    },
  };
  return clock;
}

/** Applies a new offset only when the resulting mock time is one a Date can hold. */
function moveTo(clock: MockClock, base: () => number, offsetMs: number, what: string): void {
  const now = base() + offsetMs;
  if (!Number.isFinite(offsetMs) || !isDateTime(now)) {
    throw new RangeError(`${what} refused: mock time would be ${now} ms, outside the range a Date can hold (±${MAX_TIME_VALUE_MS} ms)`);
  }
  clock.offsetMs = offsetMs;
}

/** Whether epoch milliseconds are a time a Date can hold. */
export function isDateTime(ms: number): boolean {
  return Number.isFinite(ms) && Math.abs(ms) <= MAX_TIME_VALUE_MS;
}

/** Largest distance from the epoch a Date can represent (ECMAScript time values), in ms. */
const MAX_TIME_VALUE_MS = 8.64e15;

/**
 * Epoch ms of an instant given as a Date or as epoch milliseconds; a TypeError naming `option`
 * for anything else (an invalid Date, NaN, Infinity, a value no Date can represent, a string).
 */
export function toInstantMs(value: number | Date, option: string): number {
  const ms = value instanceof Date ? value.getTime() : value;
  if (typeof ms !== 'number' || !isDateTime(ms)) {
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
