// Shared helpers of the benchmarks: bounded timing loops, medians, ratios and the result table.
// Every figure is a RATIO against a baseline measured in the same run on the same machine, so
// numbers from different machines stay comparable and nothing here asserts absolute times.
import { arch, cpus, totalmem } from 'node:os';
import { performance } from 'node:perf_hooks';

/** One line of a benchmark's result: subject vs baseline, with the goal it is judged against. */
export interface BenchRow {
  /** What is measured, e.g. "retrieve" or "list page (limit 100) at 100 000 tokens". */
  case: string;
  /** Unit of subject and baseline, e.g. "µs/request" or "req/s". */
  unit: string;
  subject: number;
  baseline: number;
  /** subject / baseline. */
  ratio: number;
  /** Human form of the goal, e.g. "<= 2x". */
  goal: string;
  met: boolean;
  note?: string;
}

export interface BenchResult {
  name: string;
  subjectLabel: string;
  baselineLabel: string;
  rows: BenchRow[];
  notes?: string[];
}

export interface TimingLimits {
  /** Most operations per round. */
  maxOps: number;
  /** Most wall time per round, ms (the loop stops at whichever comes first). */
  maxMs: number;
}

/** Mean time per operation in µs of `operation` run sequentially, bounded in count and time. */
export async function timePerOp(operation: () => Promise<unknown>, limits: TimingLimits): Promise<number> {
  const started = performance.now();
  let ops = 0;
  while (ops < limits.maxOps && performance.now() - started < limits.maxMs) {
    await operation();
    ops++;
  }
  return ((performance.now() - started) * 1000) / Math.max(ops, 1);
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/**
 * Runs every variant once per round, alternating, for `rounds` rounds, and returns the BEST round
 * of each variant (the lowest cost): alternation spreads drift (CPU frequency, GC) over all
 * variants, and on a shared box other load only ever adds time, so the best round is the closest
 * to each variant's own cost. Pass `median` to get the median round instead.
 */
export async function alternate<K extends string>(
  rounds: number, variants: Record<K, () => Promise<number>>, summary: 'best' | 'median' = 'best',
): Promise<Record<K, number>> {
  const samples = Object.fromEntries(Object.keys(variants).map((key) => [key, [] as number[]])) as unknown as Record<K, number[]>;
  for (let round = 0; round < rounds; round++) {
    for (const key of Object.keys(variants) as K[]) samples[key].push(await variants[key]());
  }
  const summarise = (values: number[]): number => (summary === 'best' ? Math.min(...values) : median(values));
  return Object.fromEntries(Object.entries(samples).map(([key, values]) => [key, summarise(values as number[])])) as Record<K, number>;
}

/** A row whose goal is "subject at most `maxRatio` times the baseline" (costs: lower is better). */
export function costRow(label: string, unit: string, subject: number, baseline: number, maxRatio: number, note?: string): BenchRow {
  const ratio = subject / baseline;
  return { case: label, unit, subject, baseline, ratio, goal: `<= ${maxRatio}x`, met: ratio <= maxRatio, ...(note && { note }) };
}

/** A row whose goal is "subject at least `minRatio` times the baseline" (throughput: higher is better). */
export function throughputRow(label: string, unit: string, subject: number, baseline: number, minRatio: number, note?: string): BenchRow {
  const ratio = subject / baseline;
  return { case: label, unit, subject, baseline, ratio, goal: `>= ${minRatio}x`, met: ratio >= minRatio, ...(note && { note }) };
}

function formatNumber(value: number): string {
  if (value >= 100) return Math.round(value).toLocaleString('en-US');
  return value.toPrecision(3);
}

export function formatTable(result: BenchResult): string {
  const lines = [
    `### ${result.name}`,
    `subject: ${result.subjectLabel}; baseline: ${result.baselineLabel}`,
    '',
    '| case | unit | subject | baseline | ratio | goal | met |',
    '|---|---|---:|---:|---:|---|---|',
    ...result.rows.map((row) =>
      `| ${row.case}${row.note ? ` (${row.note})` : ''} | ${row.unit} | ${formatNumber(row.subject)} | ${formatNumber(row.baseline)} | ${row.ratio.toFixed(2)}x | ${row.goal} | ${row.met ? 'yes' : 'NO'} |`),
  ];
  for (const note of result.notes ?? []) lines.push('', `- ${note}`);
  return lines.join('\n');
}

export function machineLine(): string {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  return `Node ${process.version}, ${process.platform}/${arch()}, ${cpus().length} x ${cpu}, ${Math.round(totalmem() / 2 ** 30)} GiB RAM`;
}

/** Prints a benchmark's table when its file is run directly (`node bench/<name>.ts`). */
export async function runStandalone(run: () => Promise<BenchResult>): Promise<void> {
  console.log(machineLine());
  const result = await run();
  console.log(formatTable(result));
  if (process.argv.includes('--json')) console.log(JSON.stringify(result));
}
