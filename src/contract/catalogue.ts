import { contractChecks } from './checks/index.ts';
import type { CheckSummary } from './types.ts';

/** The checks as data (for `--list`, docs and the fault -> check mapping). */
export function listChecks(): CheckSummary[] {
  return contractChecks.map((check) => {
    const summary: CheckSummary = {
      id: check.id,
      description: check.description,
      tags: check.tags,
      conditions: check.conditions,
      documentation: check.documentation,
    };
    if (check.optIn) summary.optIn = check.optIn;
    return summary;
  });
}
