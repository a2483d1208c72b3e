import { documentedConditionIds } from './document.ts';
import { documentedStatements } from './statements.ts';
import { contractChecks } from './checks/index.ts';
import type { CheckResult, CoverageEntry, ReportCoverage } from './types.ts';

/** A check exercised its rows when it ran to a verdict (passed or failed); skipped, errored or left out did not. */
function reachedVerdict(result: CheckResult | undefined): boolean {
  return result?.status === 'passed' || result?.status === 'failed';
}

/**
 * Which documented statements and conditions this run exercised, with the checks that enforce
 * each. A statement that cannot be checked from outside is listed with its reason and counts
 * neither way, so CI can require `exercised === checkable`.
 */
export function reportCoverage(results: readonly CheckResult[]): ReportCoverage {
  const byId = new Map(results.map((result) => [result.id, result]));
  const entry = (id: string, checks: readonly string[], reason?: string): CoverageEntry => {
    const item: CoverageEntry = { id, checks: [...checks], exercised: checks.some((check) => reachedVerdict(byId.get(check))) };
    if (reason !== undefined) item.reason = reason;
    return item;
  };
  const statements = documentedStatements().map((statement) => entry(statement.id, statement.checks, statement.reason));
  const conditions = documentedConditionIds().map((id) =>
    entry(
      id,
      contractChecks.filter((check) => check.conditions.includes(id)).map((check) => check.id),
    ),
  );
  return {
    statements: {
      total: statements.length,
      checkable: statements.filter((item) => item.reason === undefined).length,
      exercised: statements.filter((item) => item.exercised).length,
      entries: statements,
    },
    conditions: { total: conditions.length, exercised: conditions.filter((item) => item.exercised).length, entries: conditions },
  };
}

/** The statement ids a check enforces (for per-check reporting). */
export function statementsOfCheck(checkId: string): string[] {
  return documentedStatements()
    .filter((statement) => statement.checks.includes(checkId))
    .map((statement) => statement.id);
}
