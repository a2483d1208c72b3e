import { inspectToken, type OperationResult } from '../authorization.ts';
import { apiError } from '../errors.ts';
import type { ModelContext } from '../model-context.ts';
import { presentClaims, type RetrieveTokenResponse } from '../presenters.ts';

/** GET /tokens/v2: never rate limited (no account is authenticated), always 200 with a code. */
export async function retrieveToken(
  context: ModelContext,
  input: { accessToken?: string | undefined },
): Promise<OperationResult<RetrieveTokenResponse>> {
  if (input.accessToken === undefined || input.accessToken === '') throw apiError('access-token-required');
  const { code, decoded } = await inspectToken(context.parts, input.accessToken);
  // A malformed token has no claims: only a token whose payload decodes shows them.
  return { value: decoded === undefined ? { code } : { code, token: presentClaims(decoded) } };
}
