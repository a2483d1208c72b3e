// The contract suite is itself tested: it must pass against the faithful mock and fail, naming
// the broken behaviour, against a mock with any single injected fault (the mutation score).
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { listChecks } from '../../src/contract/index.ts';
import { FAULTS, faultNames } from '../../src/index.ts';
import {
  faultsPage,
  faultTableOf,
  formatScore,
  mutationScore,
  renderMarkdown,
  runAgainstFault,
  runAllFaults,
  withFaultTable,
  type FaultRun,
} from '../../scripts/mutation-score.ts';
import { CATCHING_CHECKS } from './catching-checks.ts';

// Every fault runs the whole suite in-process; the runs overlap (they mostly wait for a real tk
// expiry and a rate-limit reset), four at a time.
const RUNS_TIMEOUT_MS = 300_000;

let faithful: FaultRun;
let runs: FaultRun[];

beforeAll(async () => {
  [faithful, runs] = await Promise.all([runAgainstFault(undefined), runAllFaults()]);
  const score = mutationScore(runs);
  console.log(`contract suite mutation score: ${formatScore(score)}`);
}, RUNS_TIMEOUT_MS);

describe('the contract suite against the faithful mock', () => {
  it('passes every check, opt-in ones included, and cleans up', () => {
    const notPassed = faithful.report.results
      .filter((result) => result.status !== 'passed')
      .map((result) => [result.id, result.status, result.failure?.message]);
    expect(notPassed).toEqual([]);
    expect(faithful.report.results.map((result) => result.id).sort()).toEqual(
      listChecks()
        .map((check) => check.id)
        .sort(),
    );
    expect(faithful.report.cleanup).toMatchObject({ failures: [], remaining: [] });
    expect(faithful.caught).toBe(false);
  });
});

describe('the contract suite against every single fault', () => {
  it.each(faultNames.map((name) => [name, FAULTS[name].description] as const))('catches %s (%s)', (name) => {
    const run = runs.find((candidate) => candidate.fault === name)!;
    expect(run.report.summary.failed, `${name}: the suite passed against the faulty mock`).toBeGreaterThan(0);
    // At least one failed check is one the catalogue names for this fault: the report names the broken behaviour.
    expect(
      run.expectedFailures,
      `${name} failed only ${JSON.stringify(run.failedChecks)}, none of ${JSON.stringify(CATCHING_CHECKS[name])}`,
    ).not.toEqual([]);
    expect(run.caught).toBe(true);
    // Even against a faulty server the run deletes what it created, or reports what it could not.
    expect(run.report.cleanup.failures).toEqual([]);
    if (name === 'delete-is-noop') expect(run.report.cleanup.remaining.length).toBeGreaterThan(0);
    else expect(run.report.cleanup.remaining).toEqual([]);
  });

  it('reaches a mutation score of 100% and renders it as a Markdown table', () => {
    const score = mutationScore(runs);
    expect(score).toEqual({ caught: faultNames.length, total: faultNames.length, score: 1 });
    const table = renderMarkdown(runs);
    const rows = table.split('\n').filter((line) => line.startsWith('| `'));
    expect(rows).toHaveLength(faultNames.length);
    expect(table).not.toContain('not caught');
    expect(table).toContain(`Mutation score: ${faultNames.length}/${faultNames.length} faults caught (100.0%).`);
  });

  it('is the table docs/faults.md shows (else run `node scripts/mutation-score.ts --write`)', () => {
    const page = readFileSync(faultsPage, 'utf8');
    expect(faultTableOf(page)).toBe(renderMarkdown(runs));
    // The check can fail: a page with another table reads differently, and the rewrite restores it.
    const stale = withFaultTable(page, '| Fault |\n|---|');
    expect(faultTableOf(stale)).not.toBe(renderMarkdown(runs));
    expect(withFaultTable(stale, renderMarkdown(runs))).toBe(page);
    expect(() => withFaultTable('# no markers\n', 'x')).toThrow(/markers/);
  });
});
