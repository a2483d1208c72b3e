import { describe, expect, it } from 'vitest';
import { errorConditions } from '../../src/generated/openapi.ts';
import { conditionCoverage, documentedConditionIds, listChecks } from '../../src/contract/index.ts';

describe('the suite covers the document', () => {
  const checks = listChecks();
  const ids = documentedConditionIds();

  it('has a check for every documented condition and no check naming an unknown one', () => {
    const coverage = conditionCoverage(checks, ids);
    expect(ids.length).toBeGreaterThan(30);
    expect(coverage.uncovered).toEqual([]);
    expect(coverage.unknown).toEqual([]);
  });

  it('reports a new document row without a check, and a check naming a row that does not exist', () => {
    const coverage = conditionCoverage(
      [...checks, { id: 'x.ghost', description: '', tags: [], conditions: ['no-such-row'], documentation: '' }],
      [...ids, 'brand-new-row'],
    );
    expect(coverage.uncovered).toEqual(['brand-new-row']);
    expect(coverage.unknown).toEqual(['no-such-row']);
  });

  it('asserts each condition on an operation the document lists it for', () => {
    const rows = new Set(errorConditions.map((row) => `${row.operationId} ${row.conditionId}`));
    const operationOf = (tags: readonly string[]): string | undefined =>
      tags.find((tag) => ['listTokens', 'createToken', 'updateToken', 'deleteToken', 'retrieveToken', 'listScopes'].includes(tag));
    const stray = checks.flatMap((check) =>
      check.conditions
        .filter((condition) => {
          const operations = check.tags.filter((tag) => operationOf([tag]));
          return !operations.some((operation) => rows.has(`${operation} ${condition}`));
        })
        .map((condition) => `${check.id}: ${condition}`),
    );
    expect(stray).toEqual([]);
  });

  it('gives every check a stable kebab-case id, a description and the row it enforces', () => {
    const seen = new Set<string>();
    for (const check of checks) {
      expect(check.id).toMatch(/^[a-z]+(-[a-z]+)*\.[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(seen.has(check.id)).toBe(false);
      seen.add(check.id);
      expect(check.description.length).toBeGreaterThan(10);
      expect(check.documentation.length).toBeGreaterThan(10);
      expect(check.tags).toContain(check.id.split('.')[0]);
    }
  });

  it('keeps quota-burning and default-token checks opt-in', () => {
    expect(checks.filter((check) => check.optIn === 'rate-limit').map((check) => check.id)).toEqual(['rate-limit.enforced']);
    expect(
      checks
        .filter((check) => check.optIn === 'default-token')
        .map((check) => check.id)
        .sort(),
    ).toEqual(['delete.default-token', 'update.allowed-urls-on-default']);
  });
});
