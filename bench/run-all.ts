// Runs every benchmark in sequence and prints one Markdown report (the tables of BENCHMARKS.md).
// `node bench/run-all.ts [--json]`; BENCH_DURATION / BENCH_ROUNDS / BENCH_RUNS shorten or lengthen runs.
import { runAdminOverhead } from './admin-overhead.ts';
import { runColdStart } from './cold-start.ts';
import { runContractSuite } from './contract-suite.ts';
import { runExplore } from './explore.ts';
import { runDurability } from './durability.ts';
import { runHandlerOverhead } from './handler-overhead.ts';
import { runScale } from './scale.ts';
import { runServerThroughput } from './server-throughput.ts';
import { formatTable, machineLine, type BenchResult } from './support.ts';

const BENCHMARKS: Array<[string, () => Promise<BenchResult>]> = [
  ['handler-overhead', runHandlerOverhead],
  ['server-throughput', runServerThroughput],
  ['admin-overhead', runAdminOverhead],
  ['scale', runScale],
  ['cold-start', runColdStart],
  ['contract-suite', runContractSuite],
  ['explore', runExplore],
  ['durability', runDurability],
];

const only = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));
const results: BenchResult[] = [];
console.log(`${machineLine()}; ${new Date().toISOString()}\n`);
for (const [name, run] of BENCHMARKS) {
  if (only.length > 0 && !only.includes(name)) continue;
  const result = await run();
  results.push(result);
  console.log(`${formatTable(result)}\n`);
}
const missed = results.flatMap((result) => result.rows.filter((row) => !row.met).map((row) => `${result.name}: ${row.case}`));
console.log(missed.length === 0 ? 'Every goal met.' : `Goals not met:\n${missed.map((line) => `- ${line}`).join('\n')}`);
if (process.argv.includes('--json')) console.log(JSON.stringify(results));
