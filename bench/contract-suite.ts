// The contract suite against the embedded mock (mock.fetch, pacing off): wall time of a full run.
// Baseline: the waiting the suite cannot avoid (its temporary token must expire, expirySeconds),
// so the ratio says how much the run costs beyond sleeping. Recorded, no goal.
import { performance } from 'node:perf_hooks';
import { runContract } from '../src/contract/index.ts';
import { createTokensMock } from '../src/index.ts';
import { median, runStandalone, type BenchResult } from './support.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const EXPIRY_SECONDS = 1;

async function oneRun(): Promise<{ wallMs: number; requests: number; checks: number; failed: number }> {
  const mock = createTokensMock({ seed: 7 });
  const account = await mock.defaultAccount();
  await mock.createAccount({ username: 'contract-other' });
  const started = performance.now();
  const report = await runContract({
    baseUrl: mock.baseUrl, username: account.username, token: account.secretToken,
    fetch: (request) => mock.fetch(request), pacing: false, otherUsername: 'contract-other',
    strictMessages: true, expirySeconds: EXPIRY_SECONDS,
  });
  return { wallMs: performance.now() - started, requests: report.requests, checks: report.summary.total, failed: report.summary.failed + report.summary.errors };
}

export async function runContractSuite(): Promise<BenchResult> {
  const runs = [];
  for (let i = 0; i < RUNS; i++) runs.push(await oneRun());
  const wallMs = median(runs.map((run) => run.wallMs));
  const baseline = EXPIRY_SECONDS * 1000;
  const last = runs[runs.length - 1]!;
  return {
    name: 'contract suite against the embedded mock',
    subjectLabel: 'runContract({ fetch: mock.fetch, pacing: false, expirySeconds: 1 }), full default run',
    baselineLabel: 'the unavoidable wait for the temporary token to expire (expirySeconds)',
    rows: [{
      case: `full run: ${last.checks} checks, ${last.requests} requests, ${last.failed} failed`,
      unit: 'ms wall time', subject: wallMs, baseline, ratio: wallMs / baseline, goal: 'recorded', met: last.failed === 0,
    }],
    notes: [`median of ${RUNS} runs, each on a fresh mock`],
  };
}

if (import.meta.main) await runStandalone(runContractSuite);
