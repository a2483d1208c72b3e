// `--latency` values: `200` (ms, every operation), `50-300` (a seeded range), or `createToken=500`
// / `createToken=50-300` for one operation (repeatable; TOKENS_MOCK_LATENCY is comma-separated).
import { MAX_LATENCY_MS, type LatencyOption, type LatencySpec } from '../mock/latency.ts';
import { ROUTES } from '../http/routes.ts';

const OPERATIONS: readonly string[] = ROUTES.flatMap((route) => Object.values(route.operations));

function parseSpec(text: string): LatencySpec {
  const range = /^(\d+)\s*-\s*(\d+)$/.exec(text);
  if (range !== null) {
    const [min, max] = [Number(range[1]), Number(range[2])];
    if (min <= max && max <= MAX_LATENCY_MS) return { min, max };
  } else if (/^\d+$/.test(text) && Number(text) <= MAX_LATENCY_MS) {
    return Number(text);
  }
  throw new Error(`The latency must be milliseconds (0-${MAX_LATENCY_MS}) or a range such as 50-300, optionally after OPERATION=`);
}

/** Adds one `--latency` value (or a comma-separated list) to the option built so far. */
export function parseLatency(value: string, previous: Record<string, LatencySpec> = {}): Record<string, LatencySpec> {
  const next = { ...previous };
  for (const part of value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '')) {
    const equals = part.indexOf('=');
    const operation = equals === -1 ? 'default' : part.slice(0, equals).trim();
    if (operation !== 'default' && !OPERATIONS.includes(operation)) {
      throw new Error(`Unknown operation "${operation}" (one of ${OPERATIONS.join(', ')}, or default)`);
    }
    next[operation] = parseSpec(part.slice(equals + 1).trim());
  }
  return next;
}

export function toLatencyOption(parsed: Record<string, LatencySpec>): LatencyOption {
  return parsed as LatencyOption;
}

/** `--journal-size`: entries kept by the request journal. */
export function parseJournalSize(value: string): number {
  const size = Number(value.trim());
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(size) || size > 1_000_000) {
    throw new Error('The journal size must be an integer from 0 to 1000000');
  }
  return size;
}
