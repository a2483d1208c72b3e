import { describe, expect, it } from 'vitest';
import { decisions } from '../../src/generated/openapi.ts';
import { documentedStatements, listChecks, statementCoverage } from '../../src/contract/index.ts';

describe('every statement of the sources is enforced by a check', () => {
  const checks = listChecks();
  const statements = documentedStatements();

  it('gives every statement a check or a reason, names only existing checks, and no id twice', () => {
    expect(statements.length).toBeGreaterThan(100);
    const coverage = statementCoverage(checks, statements);
    expect(coverage.unenforced).toEqual([]);
    expect(coverage.unknownChecks).toEqual([]);
    expect(coverage.duplicates).toEqual([]);
  });

  it('reports a statement without a check, a check that does not exist, and a repeated id', () => {
    const coverage = statementCoverage(checks, [
      ...statements,
      { id: 'brand-new', quote: 'a server must', source: 'reference', checks: [] },
      { id: 'ghost', quote: 'a server must', source: 'reference', checks: ['x.no-such-check'] },
      { id: 'ghost', quote: 'again', source: 'reference', checks: [], reason: 'cannot be seen from outside' },
    ]);
    expect(coverage.unenforced).toEqual(['brand-new']);
    expect(coverage.unknownChecks).toEqual(['ghost: x.no-such-check']);
    expect(coverage.duplicates).toEqual(['ghost']);
  });

  it('quotes each statement briefly, names its source, and never both checks and a reason', () => {
    for (const statement of statements) {
      expect(statement.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(statement.quote.length).toBeGreaterThan(3);
      expect(statement.quote.length).toBeLessThan(200);
      expect(statement.source).toMatch(/^(reference \(|tutorial|decision [a-z-]+$)/);
      expect(statement.checks.length > 0 && statement.reason !== undefined).toBe(false);
      expect(statement.source).not.toMatch(/FACTS|shared/);
    }
  });

  it('records at least one statement for every decision', () => {
    const covered = new Set(
      statements
        .filter((statement) => statement.source.startsWith('decision '))
        .map((statement) => statement.source.slice('decision '.length)),
    );
    expect(decisions.map((decision) => decision.id).filter((id) => !covered.has(id))).toEqual([]);
  });
});
