import { OPERATION_RULES } from '../../generated/api-tables.ts';
import { authorized, type OperationResult } from '../authorization.ts';
import type { ModelContext } from '../model-context.ts';
import type { TokenMetadata } from '../presenters.ts';
import { checkBodyField, checkBodyObject, checkKnownProperties, type ParsedBody } from '../request-validation.ts';
import { checkAllowedUrlsCount, checkScopesKnown, checkTokenOfAccount, uniqueScopes } from '../token-rules.ts';
import type { TokenChanges } from '../token-store.ts';

/** PATCH /tokens/v2/{username}/{token_id}: omitted properties stay as they are. */
export function updateToken(
  context: ModelContext,
  input: { accessToken?: string | undefined; username: string; tokenId: string; body: ParsedBody },
): Promise<OperationResult<TokenMetadata>> {
  const { parts, rules } = context;
  return authorized(context, input, OPERATION_RULES.updateToken.requiredScope, async (authorizer) => {
    const target = checkTokenOfAccount(parts.store.get(input.tokenId), input.username);
    const body = checkBodyObject(input.body);
    checkKnownProperties('updateToken', body);
    const changes: TokenChanges = { modified: parts.clock.now() };
    if ('note' in body) changes.note = checkBodyField('updateToken', 'note', body.note);
    if ('scopes' in body) {
      const scopes = uniqueScopes(checkBodyField('updateToken', 'scopes', body.scopes));
      // Stryker disable next-line all: [equivalent] the generated request validator refuses an unknown scope first, with the same answer
      checkScopesKnown(scopes);
      rules.checkUpdatedScopesHeld(scopes, authorizer);
      rules.checkPublicTokenScopes(target, scopes);
      rules.checkScopelessStaysScopeless(target, scopes);
      changes.scopes = scopes;
    }
    if ('allowedUrls' in body) {
      // Stryker disable next-line CallExpression: [equivalent] the generated validator refuses more than 100 URLs too, with the same answer
      if (Array.isArray(body.allowedUrls)) checkAllowedUrlsCount(body.allowedUrls);
      const urls = checkBodyField('updateToken', 'allowedUrls', body.allowedUrls);
      rules.checkAllowedUrlsTarget(target, urls);
      changes.allowedUrls = urls === null || urls.length === 0 ? null : [...urls];
    }
    // A concurrent delete may win the race to the write queue: then the token is gone (404).
    const updated = checkTokenOfAccount(await parts.store.update(target.id, changes, context.undo), input.username);
    return rules.presentUpdatedToken(updated);
  });
}
