import { OPERATION_RULES } from '../../generated/api-tables.ts';
import { authorized, type OperationResult } from '../authorization.ts';
import { apiError } from '../errors.ts';
import { createPermanentToken, createTemporaryToken } from '../issuing.ts';
import type { ModelContext } from '../model-context.ts';
import { presentTemporaryToken, presentToken, type TemporaryTokenResponse, type TokenMetadata } from '../presenters.ts';
import { checkBodyField, checkBodyObject, checkKnownProperties, parseDateTime, type ParsedBody } from '../request-validation.ts';
import type { Authorizer } from '../token-rules.ts';

/** POST /tokens/v2/{username}: a body with `expires` creates a temporary token (x-decisions `temporary-selection`). */
export function createToken(
  context: ModelContext,
  input: { accessToken?: string | undefined; username: string; body: ParsedBody },
): Promise<OperationResult<TokenMetadata | TemporaryTokenResponse>> {
  return authorized(context, input, OPERATION_RULES.createToken.requiredScope, async (authorizer) => {
    const body = checkBodyObject(input.body);
    if ('expires' in body) return createTemporaryFromBody(context, input.username, body, authorizer);
    context.rules.checkCreateProperties(body);
    // Field by field in the documented order: note, scopes, allowedUrls.
    const note = 'note' in body ? checkBodyField('createToken', 'note', body.note) : null;
    const scopes = 'scopes' in body ? checkBodyField('createToken', 'scopes', body.scopes) : [];
    const allowedUrls = 'allowedUrls' in body ? context.rules.readCreatedAllowedUrls(body.allowedUrls) : null;
    const record = await createPermanentToken(context, input.username, authorizer, { note, scopes, allowedUrls });
    return presentToken(record, 'always');
  });
}

async function createTemporaryFromBody(
  context: ModelContext,
  username: string,
  body: Record<string, unknown>,
  authorizer: Authorizer,
): Promise<TemporaryTokenResponse> {
  checkKnownProperties('createTemporaryToken', body);
  // Order inside create-temporary: expires invalid -> past -> > 1 h -> > parent exp -> scopes -> allowedUrls.
  const expiresMs = parseDateTime(checkBodyField('createTemporaryToken', 'expires', body.expires));
  if (expiresMs === undefined) throw apiError('expires-invalid');
  // `note` is accepted and ignored (the tutorial's curl sends one); still type-checked.
  const { token, claims } = await createTemporaryToken(context, username, authorizer, {
    expiresMs,
    scopes: () => {
      if (!('scopes' in body)) throw apiError('scopes-invalid');
      return checkBodyField('createTemporaryToken', 'scopes', body.scopes);
    },
    beforeIssue: () => {
      context.rules.checkNoAllowedUrlsOnTemporary(body);
      if ('note' in body) checkBodyField('createTemporaryToken', 'note', body.note);
    },
  });
  return presentTemporaryToken(token, claims);
}
