// The contract suite as the test of StrykerJS (`npm run mutation`): each mutant of src/model/ is
// served by an in-process mock, and the mutant is killed when the suite reports a deviation. Not a
// `*.test.ts` file, so `npm test` does not run it; vitest.mutation.config.ts includes it.
import { expect, it } from 'vitest';
import { listChecks, runContract, type ContractReport, type RunContractOptions } from '../../src/contract/index.ts';
import { createTokensMock } from '../../src/index.ts';

const OTHER_USERNAME = 'contract-other';

/** Checks that wait for a real expiry (they use the expired tk) run in their own test, so the others finish fast. */
const EXPIRY_CHECKS = listChecks()
  .filter((check) => check.tags.includes('expiry'))
  .map((check) => check.id);

async function runAgainstMock(overrides: Partial<RunContractOptions>): Promise<ContractReport> {
  // A short rate-limit window and a limit above the suite's own count: only rate-limit.enforced meets a 429.
  const mock = createTokensMock({ baseUrl: 'http://tokens-mock.test', seed: 5, rateLimit: { limit: 400, intervalSeconds: 2 } });
  const account = await mock.defaultAccount();
  const other = await mock.createAccount({ username: OTHER_USERNAME });
  return runContract({
    baseUrl: mock.baseUrl,
    username: account.username,
    token: account.secretToken,
    fetch: (request) => mock.fetch(request),
    pacing: false,
    otherUsername: OTHER_USERNAME,
    otherToken: other.secretToken,
    strictMessages: true,
    expirySeconds: 1,
    includeDefaultToken: true,
    ...overrides,
  });
}

function failures(report: ContractReport): string[] {
  return report.results
    .filter((result) => result.status !== 'passed')
    .map((result) => `${result.id}: ${result.status} ${result.failure?.message ?? result.skipReason ?? ''}`);
}

it('the mock passes every check that needs no real expiry', async () => {
  const report = await runAgainstMock({ skip: EXPIRY_CHECKS });
  expect(failures(report)).toEqual([]);
  expect(report.cleanup.remaining).toEqual([]);
});

it('the mock passes the checks that wait for a real expiry', async () => {
  const report = await runAgainstMock({ only: EXPIRY_CHECKS });
  expect(failures(report)).toEqual([]);
});

it('the mock passes the rate-limit check', async () => {
  const report = await runAgainstMock({ only: ['rate-limit.enforced'], includeRateLimit: true });
  expect(failures(report)).toEqual([]);
});
