import type { Account } from './accounts.ts';
import { ApiError, apiError, type RateLimitInfo } from './errors.ts';
import type { ModelContext, ModelParts } from './model-context.ts';
import type { TokenInspection } from './rules.ts';
import { decodeClaims, splitToken, verifyTokenSignature } from './token-codec.ts';
import type { Authorizer } from './token-rules.ts';

/** A successful operation, with the rate-limit window when the request was authenticated. */
export interface OperationResult<T> {
  value: T;
  rateLimit?: RateLimitInfo;
}

/**
 * What a token string is worth, the single place that decides it: retrieve codes in the documented
 * order (x-decisions `retrieve-codes`).
 */
export async function inspectToken(parts: ModelParts, token: string): Promise<TokenInspection> {
  const split = splitToken(token);
  if (split === undefined) return { code: 'TokenMalformed' };
  const decoded = decodeClaims(split);
  if (!(await verifyTokenSignature(parts.signer, split))) {
    return decoded === undefined ? { code: 'TokenInvalid' } : { code: 'TokenInvalid', decoded };
  }
  // Stryker disable next-line ObjectLiteral,StringLiteral: [unreachable] a payload the server signed always decodes: it signs only claims it encoded
  if (decoded === undefined) return { code: 'TokenMalformed' };
  if (decoded.usage === 'tk' && parts.clock.now() >= decoded.claims.exp * 1000) {
    return { code: 'TokenExpired', decoded };
  }
  // Stryker disable next-line ObjectLiteral,StringLiteral: [unreachable] no request removes an account
  if (parts.accounts.get(decoded.claims.u) === undefined) return { code: 'TokenRevoked', decoded };
  if (decoded.usage === 'tk') return { code: 'TokenValid', decoded };
  const record = parts.store.get(decoded.claims.a);
  if (record === undefined || record.username !== decoded.claims.u || record.usage !== decoded.usage) {
    return { code: 'TokenRevoked', decoded };
  }
  return { code: 'TokenValid', decoded, record };
}

/** Mock helpers act with the account's full authority. */
export function accountAuthorizer(account: Pick<Account, 'username' | 'scopes'>): Authorizer {
  // Stryker disable next-line StringLiteral: [equivalent] only the value 'tk' is ever compared
  return { username: account.username, usage: 'account', scopes: account.scopes };
}

/** Steps 2-3 of the check order: the access token's authority, or the documented 401. */
async function authenticate(context: ModelContext, accessToken: string | undefined, username: string): Promise<Authorizer> {
  const { parts, rules } = context;
  // Stryker disable next-line StringLiteral: [equivalent] an empty token is malformed: the same 401
  if (accessToken === undefined || accessToken === '') return rules.authorizeWithoutToken(username, parts.accounts);
  return rules.authorizeToken(await inspectToken(parts, accessToken), parts.store, parts.accounts);
}

/** Steps 2-7 of the check order; returns who authorizes and the rate-limit window. */
async function authorize(
  context: ModelContext,
  accessToken: string | undefined,
  username: string,
  scope: string,
): Promise<{ authorizer: Authorizer; rateLimit: RateLimitInfo }> {
  const { parts, rules } = context;
  const authorizer = await authenticate(context, accessToken, username);
  const decision = parts.rateLimiter.consume(authorizer.username, parts.clock.now(), context.undo);
  try {
    rules.checkRateLimit(decision);
    if (parts.accounts.get(username) === undefined) throw apiError('no-such-user');
    rules.checkPathAccount(username, authorizer);
    rules.checkRouteScope(scope, authorizer);
  } catch (error) {
    if (error instanceof ApiError) error.rateLimit = decision.info;
    throw error;
  }
  return { authorizer, rateLimit: decision.info };
}

/**
 * Runs an operation for an authorized request (the route's `scope` required); errors after
 * authentication carry the rate-limit window.
 */
export async function authorized<T>(
  context: ModelContext,
  request: { accessToken?: string | undefined; username: string },
  scope: string,
  operation: (authorizer: Authorizer) => Promise<T> | T,
): Promise<OperationResult<T>> {
  const { authorizer, rateLimit } = await authorize(context, request.accessToken, request.username, scope);
  try {
    return { value: await operation(authorizer), rateLimit };
  } catch (error) {
    if (error instanceof ApiError) error.rateLimit ??= rateLimit;
    throw error;
  }
}
