// Shared helpers of the benchmarks: bounded timing loops, medians, ratios and the result table.
// Every figure is a RATIO against a baseline measured in the same run on the same machine, so
// numbers from different machines stay comparable and nothing here asserts absolute times. Where
// variants alternate in rounds, the ratio is the median of the per-round ratios (see compare).
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
  /** subject / baseline; from per-round samples, the median of the per-round ratios. */
  ratio: number;
  /** Lowest and highest per-round ratio, when measured in rounds. */
  ratioRange?: [number, number];
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
 * Runs every variant once per round for `rounds` rounds and returns each variant's per-round
 * samples (index i = round i). Variants run back to back within a round, in the given order on even
 * rounds and reversed on odd ones, so no variant always follows another.
 */
export async function alternate<K extends string>(
  rounds: number,
  variants: Record<K, () => Promise<number>>,
): Promise<Record<K, number[]>> {
  const keys = Object.keys(variants) as K[];
  const samples = Object.fromEntries(keys.map((key) => [key, [] as number[]])) as unknown as Record<K, number[]>;
  for (let round = 0; round < rounds; round++) {
    for (const key of round % 2 === 0 ? keys : [...keys].reverse()) samples[key][round] = await variants[key]();
  }
  return samples;
}

/** One figure, or per-round samples of it (round i of subject and baseline measured back to back). */
export type Measured = number | readonly number[];

/**
 * Subject vs baseline. From per-round samples: the median of the per-round ratios (a round's
 * subject over the SAME round's baseline, so a noisy round moves both sides of its own ratio and
 * never pairs a lucky baseline with an unlucky subject), the medians of each side, and the range of
 * the per-round ratios. From single figures: their plain ratio.
 */
export function compare(subject: Measured, baseline: Measured): Pick<BenchRow, 'subject' | 'baseline' | 'ratio' | 'ratioRange'> {
  const subjects = typeof subject === 'number' ? [subject] : subject;
  const baselines = typeof baseline === 'number' ? [baseline] : baseline;
  if (subjects.length !== baselines.length || subjects.length === 0) throw new Error('subject and baseline need the same number of rounds');
  const ratios = subjects.map((value, round) => value / baselines[round]!);
  return {
    subject: median(subjects),
    baseline: median(baselines),
    ratio: median(ratios),
    ...(ratios.length > 1 && { ratioRange: [Math.min(...ratios), Math.max(...ratios)] as [number, number] }),
  };
}

/** A row whose goal is "subject at most `maxRatio` times the baseline" (costs: lower is better). */
export function costRow(label: string, unit: string, subject: Measured, baseline: Measured, maxRatio: number, note?: string): BenchRow {
  const compared = compare(subject, baseline);
  return { case: label, unit, ...compared, goal: `<= ${maxRatio}x`, met: compared.ratio <= maxRatio, ...(note && { note }) };
}

/** A row whose goal is "subject at least `minRatio` times the baseline" (throughput: higher is better). */
export function throughputRow(
  label: string,
  unit: string,
  subject: Measured,
  baseline: Measured,
  minRatio: number,
  note?: string,
): BenchRow {
  const compared = compare(subject, baseline);
  return { case: label, unit, ...compared, goal: `>= ${minRatio}x`, met: compared.ratio >= minRatio, ...(note && { note }) };
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
    ...result.rows.map((row) => {
      const notes = [row.note, row.ratioRange && `ratio per round: ${row.ratioRange.map((r) => r.toFixed(2)).join('-')}x`].filter(Boolean);
      return `| ${row.case}${notes.length > 0 ? ` (${notes.join('; ')})` : ''} | ${row.unit} | ${formatNumber(row.subject)} | ${formatNumber(row.baseline)} | ${row.ratio.toFixed(2)}x | ${row.goal} | ${row.met ? 'yes' : 'NO'} |`;
    }),
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
