import { OPERATION_RULES } from '../../generated/api-tables.ts';
import { authorized, type OperationResult } from '../authorization.ts';
import type { ModelContext } from '../model-context.ts';
import type { ScopeResponse } from '../presenters.ts';
import { SCOPE_CATALOGUE } from '../scopes.ts';

/** GET /scopes/v1/{username}: the scopes the account holds, `public: true` on public ones only. */
export function listScopes(
  context: ModelContext,
  input: { accessToken?: string | undefined; username: string },
): Promise<OperationResult<ScopeResponse[]>> {
  return authorized(context, input, OPERATION_RULES.listScopes.requiredScope, () => {
    const held = new Set(context.parts.accounts.get(input.username)!.scopes);
    return SCOPE_CATALOGUE.filter((scope) => held.has(scope.id)).map((scope) =>
      scope.public
        ? { id: scope.id, public: true as const, description: scope.description }
        : { id: scope.id, description: scope.description },
    );
  });
}
