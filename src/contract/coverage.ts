import type { CheckSummary } from './types.ts';

export interface ConditionCoverage {
  /** Documented condition ids no check provokes. */
  uncovered: string[];
  /** Condition ids named by checks that the document does not have. */
  unknown: string[];
  /** For each documented condition id, the checks that enforce it. */
  byCondition: Record<string, string[]>;
}

/** Matches the document's condition ids against the checks' (the suite must cover every row). */
export function conditionCoverage(checks: readonly CheckSummary[], documentedIds: readonly string[]): ConditionCoverage {
  const byCondition: Record<string, string[]> = Object.fromEntries(documentedIds.map((id) => [id, []]));
  const unknown = new Set<string>();
  for (const check of checks) {
    for (const condition of check.conditions) {
      const enforcing = byCondition[condition];
      if (enforcing) enforcing.push(check.id);
      else unknown.add(condition);
    }
  }
  return {
    uncovered: documentedIds.filter((id) => byCondition[id]!.length === 0),
    unknown: [...unknown].sort(),
    byCondition,
  };
}
