import { OPERATION_RULES } from '../../generated/api-tables.ts';
import { authorized, type OperationResult } from '../authorization.ts';
import type { ModelContext } from '../model-context.ts';
import { checkTokenOfAccount } from '../token-rules.ts';

/** DELETE /tokens/v2/{username}/{token_id}: the token is revoked at once. */
export function deleteToken(
  context: ModelContext,
  input: { accessToken?: string | undefined; username: string; tokenId: string },
): Promise<OperationResult<null>> {
  const { parts, rules } = context;
  return authorized(context, input, OPERATION_RULES.deleteToken.requiredScope, async () => {
    const target = checkTokenOfAccount(parts.store.get(input.tokenId), input.username);
    rules.checkDeletable(target);
    await rules.revokeToken(parts.store, target.id, context.undo);
    return null;
  });
}
