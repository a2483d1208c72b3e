// Simulated latency (the `latency` option, `tokens-mock --latency`): a fixed delay or a seeded
// random one within a range, for every operation or per operation. The msw handlers wait with
// msw's own `delay()`; mock.fetch()/handle() (and so the standalone server) with a timer.
import { createSeededRandom, type RandomSource } from '../model/random.ts';
import { createUnseededRandom, seedNumber, type Seed } from '../state/seed.ts';
import type { OperationId } from '../http/routes.ts';

/** Milliseconds, or a range drawn from uniformly (seeded by the mock's `seed`). */
export type LatencySpec = number | { min: number; max: number };

/** One spec for every operation, or per operation with `default` for the rest. */
export type LatencyOption = LatencySpec | (Partial<Record<OperationId, LatencySpec>> & { default?: LatencySpec });

/** Longest delay accepted: a mock that waits longer than a minute is a mistake, not a test. */
export const MAX_LATENCY_MS = 60_000;

export type LatencyPicker = (operation: OperationId | null) => number;

const NO_LATENCY: LatencyPicker = () => 0;

function checkSpec(spec: unknown, where: string): LatencySpec {
  const inRange = (ms: unknown): ms is number => typeof ms === 'number' && Number.isFinite(ms) && ms >= 0 && ms <= MAX_LATENCY_MS;
  if (inRange(spec)) return spec;
  if (typeof spec === 'object' && spec !== null && 'min' in spec && 'max' in spec) {
    const { min, max } = spec as { min: unknown; max: unknown };
    if (inRange(min) && inRange(max) && min <= max) return { min, max };
  }
  throw new TypeError(`${where} must be milliseconds from 0 to ${MAX_LATENCY_MS}, or { min, max } with min <= max`);
}

function isSpec(value: unknown): boolean {
  return typeof value === 'number' || (typeof value === 'object' && value !== null && 'min' in value && 'max' in value);
}

/** Validates the option and returns how many ms to wait for each operation (0 without the option). */
export function createLatencyPicker(option: LatencyOption | undefined, seed?: Seed): LatencyPicker {
  if (option === undefined) return NO_LATENCY;
  const random: RandomSource = seed === undefined ? createUnseededRandom() : createSeededRandom(seedNumber(seed));
  const draw = (spec: LatencySpec): number =>
    typeof spec === 'number' ? spec : Math.round(spec.min + random.next() * (spec.max - spec.min));
  if (isSpec(option)) {
    const spec = checkSpec(option, 'latency');
    return () => draw(spec);
  }
  if (typeof option !== 'object' || option === null) throw new TypeError('latency must be a number, { min, max } or a map of operations');
  const perOperation = new Map<string, LatencySpec>();
  for (const [name, spec] of Object.entries(option)) perOperation.set(name, checkSpec(spec, `latency.${name}`));
  const fallback = perOperation.get('default');
  return (operation) => {
    const spec = (operation === null ? undefined : perOperation.get(operation)) ?? fallback;
    return spec === undefined ? 0 : draw(spec);
  };
}

/** A timer-based wait, for mock.fetch()/handle() (the msw handlers use msw's delay instead). */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
