// The contract suite against the embedded mock (mock.fetch, pacing off): wall time of a full run.
// Baseline: the waiting the suite cannot avoid (its temporary token must expire, expirySeconds),
// so the ratio says how much the run costs beyond sleeping. Recorded, no goal.
// A second case runs with the default pacing against a mock limited like the real API (100 per
// minute): the busiest 60 s of the run must hold fewer than 100 requests and no 429 may come back.
import { performance } from 'node:perf_hooks';
import { runContract, type RunContractOptions } from '../src/contract/index.ts';
import { DEFAULT_REQUESTS_PER_MINUTE } from '../src/contract/token-bucket.ts';
import { createTokensMock } from '../src/index.ts';
import { median, runStandalone, type BenchResult } from './support.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const EXPIRY_SECONDS = 1;
const MINUTE_MS = 60_000;

interface RunFacts {
  wallMs: number;
  requests: number;
  checks: number;
  failed: number;
  busiestMinute: number;
  tooMany: number;
}

async function oneRun(paced: boolean): Promise<RunFacts> {
  // Unpaced: a window that holds the whole run. Paced: the real API's 100 per minute.
  const mock = createTokensMock({ seed: 7, rateLimit: paced ? { limit: 100, intervalSeconds: 60 } : { limit: 1000, intervalSeconds: 60 } });
  const account = await mock.defaultAccount();
  const other = await mock.createAccount({ username: 'contract-other' });
  const sentAt: number[] = [];
  let tooMany = 0;
  const options: RunContractOptions = {
    baseUrl: mock.baseUrl,
    username: account.username,
    token: account.secretToken,
    fetch: async (request) => {
      sentAt.push(performance.now());
      const response = await mock.fetch(request);
      if (response.status === 429) tooMany += 1;
      return response;
    },
    otherUsername: 'contract-other',
    otherToken: other.secretToken,
    strictMessages: true,
    expirySeconds: EXPIRY_SECONDS,
    ...(paced ? {} : { pacing: false as const }),
  };
  const started = performance.now();
  const report = await runContract(options);
  let busiestMinute = 0;
  for (let first = 0, last = 0; last < sentAt.length; last++) {
    while (sentAt[last]! - sentAt[first]! >= MINUTE_MS) first++;
    busiestMinute = Math.max(busiestMinute, last - first + 1);
  }
  return {
    wallMs: performance.now() - started,
    requests: report.requests,
    checks: report.summary.total,
    failed: report.summary.failed + report.summary.errors,
    busiestMinute,
    tooMany,
  };
}

export async function runContractSuite(): Promise<BenchResult> {
  const runs = [];
  for (let i = 0; i < RUNS; i++) runs.push(await oneRun(false));
  const wallMs = median(runs.map((run) => run.wallMs));
  const baseline = EXPIRY_SECONDS * 1000;
  const last = runs[runs.length - 1]!;
  const paced = await oneRun(true);
  return {
    name: 'contract suite against the embedded mock',
    subjectLabel: 'runContract({ fetch: mock.fetch, pacing: false, expirySeconds: 1 }), full default run',
    baselineLabel: 'the unavoidable wait for the temporary token to expire (expirySeconds)',
    rows: [
      {
        case: `full run: ${last.checks} checks, ${last.requests} requests, ${last.failed} failed`,
        unit: 'ms wall time',
        subject: wallMs,
        baseline,
        ratio: wallMs / baseline,
        goal: 'recorded',
        met: last.failed === 0,
      },
      {
        case: `paced as for a real account (default pacing, ${DEFAULT_REQUESTS_PER_MINUTE}/min; the mock limits to 100/min): ${paced.requests} requests, busiest 60 s ${paced.busiestMinute}, ${paced.tooMany} answered 429, ${paced.failed} failed`,
        unit: 'ms wall time',
        subject: paced.wallMs,
        baseline,
        ratio: paced.wallMs / baseline,
        goal: '< 100 requests in any 60 s',
        met: paced.busiestMinute < 100 && paced.tooMany === 0 && paced.failed === 0,
      },
    ],
    notes: [`median of ${RUNS} unpaced runs, each on a fresh mock; one paced run`],
  };
}

if (import.meta.main) await runStandalone(runContractSuite);
