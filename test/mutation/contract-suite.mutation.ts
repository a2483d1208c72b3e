// The contract suite as the test of StrykerJS (`npm run mutation`): each mutant of src/model/ is
// served by an in-process mock, and the mutant is killed when the suite reports a deviation. Not a
// `*.test.ts` file, so `npm test` does not run it; vitest.mutation.config.ts includes it.
//
// One vitest test per group of contract checks (the first part of the check id: `auth`, `list`, …),
// each against a fresh mock: with `coverageAnalysis: perTest` StrykerJS then runs, for each mutant,
// only the groups whose run reached the mutated code, and stops at the first that fails. Groups, not
// single checks: a fresh mock and a run per check cost more than the selection saves
// (docs/mutation-testing.md has the measurements). The slow groups come last: the checks that wait
// for a real expiry (together, so their waits overlap) and the rate-limit check.
import { expect, it } from 'vitest';
import { listChecks, runContract, type ContractReport } from '../../src/contract/index.ts';
import { createTokensMock, SCOPE_CATALOGUE } from '../../src/index.ts';

const USERNAME = 'contract-main';
const OTHER_USERNAME = 'contract-other';

/**
 * The account under test lacks two public and two secret scopes, as real accounts lack some: so
 * `scopes.account-scopes` can tell the account's scopes from the whole catalogue. The scopes the
 * checks name (and the ones the suite needs) stay.
 */
const NAMED_BY_CHECKS = new Set(['tokens:read', 'tokens:write', 'scopes:list', 'styles:read', 'styles:tiles', 'fonts:read']);
const LEFT_OUT = [true, true, false, false].map(
  (isPublic, index) =>
    SCOPE_CATALOGUE.filter((scope) => scope.public === isPublic && !NAMED_BY_CHECKS.has(scope.id)).at(-1 - (index % 2))!.id,
);
const ACCOUNT_SCOPES = SCOPE_CATALOGUE.map((scope) => scope.id).filter((id) => !LEFT_OUT.includes(id));

/**
 * A short rate-limit window, so rate-limit.enforced waits at most 2 s for its reset. Its group gets
 * the documented limit (the check never sends more than 100 + 1 requests in a window); the others
 * a limit above any group's own count, so no other check meets a 429.
 */
function rateLimitFor(group: string): { limit: number; intervalSeconds: number } {
  return { limit: group === 'rate-limit' ? 100 : 400, intervalSeconds: 2 };
}

async function runChecksAgainstMock(group: string, checkIds: readonly string[]): Promise<ContractReport> {
  const mock = createTokensMock({ baseUrl: 'http://tokens-mock.test', seed: 5, rateLimit: rateLimitFor(group) });
  const account = await mock.createAccount({ username: USERNAME, scopes: ACCOUNT_SCOPES });
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
    accountScopes: ACCOUNT_SCOPES,
    only: checkIds,
  });
}

/** Check ids by group, in run order: the groups of fast checks, then `expiry`, then `rate-limit`. */
function checkGroups(): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  const groupOf = (id: string, tags: readonly string[]): string => (tags.includes('expiry') ? 'expiry' : id.slice(0, id.indexOf('.')));
  const slowLast = [...listChecks()].sort((a, b) => slowRank(groupOf(a.id, a.tags)) - slowRank(groupOf(b.id, b.tags)));
  for (const check of slowLast) {
    const group = groupOf(check.id, check.tags);
    groups.set(group, [...(groups.get(group) ?? []), check.id]);
  }
  return groups;
}

function slowRank(group: string): number {
  return group === 'expiry' ? 1 : group === 'rate-limit' ? 2 : 0;
}

for (const [group, checkIds] of checkGroups()) {
  it(`the mock passes the ${group} checks`, async () => {
    const report = await runChecksAgainstMock(group, checkIds);
    // Exactly these checks ran (an opt-in named in `only` runs), and each passed.
    expect(report.results.map((result) => `${result.id}: ${result.status} ${result.failure?.message ?? result.skipReason ?? ''}`)).toEqual(
      checkIds.map((id) => `${id}: passed `),
    );
    expect(report.cleanup.remaining).toEqual([]);
  });
}
