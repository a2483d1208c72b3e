import type { CheckContext } from './context.ts';
import type { PreconditionName } from './preconditions.ts';

import type { OperationId } from '../generated/api-tables.ts';

type OptIn = 'rate-limit' | 'default-token';

/**
 * One contract check. Ids are stable (`<area>.<behaviour>`, kebab-case) so faults, CI reports and
 * `--only/--skip` can name them; tags group them by operation and kind (`error-table`, `scenario`,
 * `headers`, `rate-limit`, `temporary`, `mock-choice`).
 */
export interface ContractCheck {
  id: string;
  description: string;
  operation: OperationId | undefined;
  tags: readonly string[];
  /** Condition ids (named examples of the document) this check provokes and asserts. */
  conditions: readonly string[];
  /** The documentation row or rule it enforces, with its source. */
  documentation: string;
  optIn?: OptIn;
  /** Long waits (a real expiry): started first, run alongside the others. */
  concurrent?: boolean;
  /** Preconditions whose creation this check is about: their failure is this check's failure, not a precondition error. */
  owns?: readonly PreconditionName[];
  run(ctx: CheckContext): Promise<void>;
}

export type CheckInit = Omit<ContractCheck, 'tags' | 'conditions'> & {
  tags?: readonly string[];
  conditions?: readonly string[];
};

export function defineCheck(init: CheckInit): ContractCheck {
  // The id's area (`list` of `list.bad-usage`) is a tag too, so `--only list` works.
  const tags = new Set<string>([init.id.split('.')[0]!, ...(init.tags ?? [])]);
  if (init.operation) tags.add(init.operation);
  if ((init.conditions ?? []).length > 0) tags.add('error-table');
  if (init.optIn) tags.add(init.optIn);
  return { ...init, tags: [...tags], conditions: init.conditions ?? [] };
}
