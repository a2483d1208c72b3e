// The fault catalogue over HTTP: each faulty mock is served by the standalone server on loopback
// and the suite reaches it with plain fetch, as it reaches any real server.
import { beforeAll, describe, expect, it } from 'vitest';
import { FAULTS, faultNames, type FaultName } from '../../src/index.ts';
import { mutationScore, runAgainstFault, type FaultRun } from '../../scripts/mutation-score.ts';
import { CATCHING_CHECKS } from './catching-checks.ts';

let faithful: FaultRun;
let runs: FaultRun[];

/** Over HTTP the rate-limit burst (hundreds of requests) is spent only where a fault needs it. */
function runOverHttp(name: FaultName | undefined): Promise<FaultRun> {
  const needsBurst = name === undefined || CATCHING_CHECKS[name].includes('rate-limit.enforced');
  return runAgainstFault(name, { includeRateLimit: needsBurst }, 'http');
}

beforeAll(async () => {
  // Six servers at a time: enough overlap for the expiry waits, little enough for two cores.
  runs = [];
  const queue = [...faultNames];
  const worker = async (): Promise<void> => {
    for (let name = queue.shift(); name !== undefined; name = queue.shift()) runs.push(await runOverHttp(name));
  };
  const faithfulRun = runOverHttp(undefined);
  await Promise.all(Array.from({ length: 6 }, worker));
  faithful = await faithfulRun;
}, 600_000);

describe('the contract suite over HTTP', () => {
  it('passes against the faithful mock served on loopback', () => {
    expect(
      faithful.report.results.filter((result) => result.status !== 'passed').map((result) => [result.id, result.failure?.message]),
    ).toEqual([]);
    expect(faithful.report.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it.each(faultNames.map((name) => [name, FAULTS[name].description] as const))('catches %s (%s)', (name) => {
    const run = runs.find((candidate) => candidate.fault === name)!;
    expect(
      run.expectedFailures,
      `${name} failed only ${JSON.stringify(run.failedChecks)}, none of ${JSON.stringify(CATCHING_CHECKS[name])}`,
    ).not.toEqual([]);
  });

  it('catches all of them', () => {
    expect(mutationScore(runs)).toEqual({ caught: faultNames.length, total: faultNames.length, score: 1 });
  });
});
