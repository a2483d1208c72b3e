// Exploration speed: `contract-test --explore` sequences per minute against the embedded mock (the
// issue asks for thousands a minute) and over HTTP against tokens-mock in its own process, 2 000
// sequences each, and the number of divergences found (0 is the goal: the mock agrees with its
// own model). The baseline is the stated goal, 1 000 sequences a minute, so the ratio reads "how
// many thousands a minute". BENCH_EXPLORE_RUNS changes the number of sequences.
import { performance } from 'node:perf_hooks';
import { exploreContract, type ExploreReport } from '../src/contract/explore/explore.ts';
import { TOKENS_MOCK_CLI, spawnNodeServer } from './processes.ts';
import { runStandalone, type BenchResult, type BenchRow } from './support.ts';

const RUNS = Number(process.env.BENCH_EXPLORE_RUNS ?? 2000);
const GOAL_PER_MINUTE = 1000;
const SEED = 2026;

function row(label: string, report: ExploreReport, wallMs: number, goal: boolean): BenchRow {
  const perMinute = (report.sequences.run / wallMs) * 60_000;
  const divergences = report.divergence ? 1 : 0;
  return {
    case: `${label}: ${report.sequences.run} sequences, ${report.steps.run} steps, ${report.requests.target} requests, ${divergences} divergences`,
    unit: 'sequences/min',
    subject: perMinute,
    baseline: GOAL_PER_MINUTE,
    ratio: perMinute / GOAL_PER_MINUTE,
    goal: goal ? '>= 1x, 0 divergences' : 'recorded, 0 divergences',
    met: divergences === 0 && report.stopped === 'done' && (!goal || perMinute >= GOAL_PER_MINUTE),
  };
}

export async function runExplore(): Promise<BenchResult> {
  let started = performance.now();
  const embedded = await exploreContract({ runs: RUNS, seed: SEED });
  const embeddedMs = performance.now() - started;

  const server = await spawnNodeServer(TOKENS_MOCK_CLI, ['--port', '0', '--json', '--quiet', '--rate-limit', '1000000']);
  let http: ExploreReport;
  let httpMs: number;
  try {
    const info = server.info as { baseUrl: string; username: string; token: string };
    started = performance.now();
    // No pacing (the server's limit is raised) and no waits (each sleeps 10 s over HTTP).
    http = await exploreContract({
      baseUrl: info.baseUrl,
      username: info.username,
      token: info.token,
      runs: RUNS,
      seed: SEED,
      pacing: false,
      maxRequests: 1_000_000,
      waits: false,
      timeLimitMs: 30 * 60_000,
    });
    httpMs = performance.now() - started;
  } finally {
    await server.stop();
  }
  return {
    name: 'exploration (contract-test --explore)',
    subjectLabel: `exploreContract, ${RUNS} sequences, seed ${SEED}: the embedded mock in-process; tokens-mock over loopback HTTP (its own process, rate limit raised, waits off)`,
    baselineLabel: `the goal of ${GOAL_PER_MINUTE.toLocaleString('en-US')} sequences a minute`,
    rows: [row('embedded mock', embedded, embeddedMs, true), row('tokens-mock over HTTP', http, httpMs, false)],
    notes: [
      'one run each; a sequence is up to 20 steps embedded, 12 over HTTP; each step is one request to the target and one to a fresh model account',
      `HTTP cleanup: ${'embedded' in http.cleanup ? '-' : `${http.cleanup.deleted} deleted at the end, ${http.cleanup.remaining.length} remaining`} (each sequence deletes its own tokens)`,
    ],
  };
}

if (import.meta.main) await runStandalone(runExplore);
