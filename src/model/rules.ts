import type { AccountRegistry } from './accounts.ts';
import { apiError, type ApiErrorId } from './errors.ts';
import type { ListQuery } from './list-query.ts';
import { presentToken, type RetrieveCode, type TokenMetadata } from './presenters.ts';
import type { RateDecision } from './rate-limiter.ts';
import { checkBodyField, checkKnownProperties } from './request-validation.ts';
import type { TokenClaims } from './token-codec.ts';
import {
  checkAllowedUrlsCount,
  checkAllowedUrlsTarget,
  checkDeletable,
  checkExpiresNotPast,
  checkExpiresWithinAuthorizer,
  checkExpiresWithinOneHour,
  checkNoAllowedUrlsOnTemporary,
  checkPublicTokenScopes,
  checkScopelessStaysScopeless,
  checkScopesHeld,
  type Authorizer,
} from './token-rules.ts';
import type { ListPage, StoredToken, TokenStore } from './token-store.ts';
import type { UndoLog } from './undo-log.ts';

/**
 * What the store knows about a presented token string (see authorization.ts inspectToken); a valid
 * pk/sk comes with its stored token (`record`), a tk is not stored.
 */
export type TokenInspection =
  | { code: 'TokenValid'; decoded: TokenClaims; record?: StoredToken }
  | { code: Exclude<RetrieveCode, 'TokenValid'>; decoded?: TokenClaims };

/**
 * The rules the operations apply, each a named function, so that one rule is found in one place.
 * The operations read them from the rules object the model is built with; API_RULES are the
 * documented ones (a mock assembly may build a model with another object of the same shape).
 */
export interface ModelRules {
  // ---- authentication and authorization, in the check order ----
  /** A request without an access token: who, if anyone, it acts as. */
  authorizeWithoutToken(username: string, accounts: AccountRegistry): Authorizer;
  /** A presented token: who it acts as, or the 401 of its retrieve code. */
  authorizeToken(inspection: TokenInspection, store: TokenStore, accounts: AccountRegistry): Authorizer;
  checkRateLimit(decision: RateDecision): void;
  /** The path's account must be the token's own. */
  checkPathAccount(username: string, authorizer: Authorizer): void;
  checkRouteScope(scope: string, authorizer: Authorizer): void;

  // ---- listTokens ----
  listPage(store: TokenStore, username: string, query: ListQuery): ListPage;
  presentListedToken(record: StoredToken): TokenMetadata;

  // ---- createToken (permanent) and the helpers that issue permanent tokens ----
  checkCreateProperties(body: Record<string, unknown>): void;
  /** The `allowedUrls` of a create body: the count rule, then the schema. */
  readCreatedAllowedUrls(value: unknown): string[];
  checkCreatedAllowedUrlsCount(urls: readonly string[]): void;
  checkCreatedScopesHeld(scopes: readonly string[], authorizer: Authorizer): void;

  // ---- createToken (temporary) and the helper that issues temporary tokens ----
  checkExpiresNotPast(expiresMs: number, nowMs: number): void;
  checkExpiresWithinOneHour(expiresMs: number, nowMs: number): void;
  checkExpiresWithinAuthorizer(expiresMs: number, authorizer: Authorizer): void;
  checkNoAllowedUrlsOnTemporary(body: Record<string, unknown>): void;

  // ---- updateToken ----
  checkUpdatedScopesHeld(scopes: readonly string[], authorizer: Authorizer): void;
  checkPublicTokenScopes(token: StoredToken, scopes: readonly string[]): void;
  checkScopelessStaysScopeless(token: StoredToken, scopes: readonly string[]): void;
  checkAllowedUrlsTarget(token: StoredToken, urls: readonly string[] | null): void;
  presentUpdatedToken(record: StoredToken): TokenMetadata;

  // ---- deleteToken ----
  checkDeletable(token: StoredToken): void;
  revokeToken(store: TokenStore, id: string, undo: UndoLog | undefined): Promise<unknown>;
}

/** The 401 of each retrieve code but TokenValid (x-decisions `check-order`). */
const INSPECTION_ERRORS: Record<Exclude<RetrieveCode, 'TokenValid'>, ApiErrorId> = {
  TokenMalformed: 'invalid-token',
  TokenInvalid: 'invalid-token',
  TokenExpired: 'expired-token',
  TokenRevoked: 'revoked-token',
};

/** Who a decoded token acts as: a tk with the scopes it carries, a pk/sk with its stored token's scopes. */
export function tokenAuthorizer(decoded: TokenClaims, scopes: readonly string[]): Authorizer {
  if (decoded.usage === 'tk') {
    const { claims } = decoded;
    return { username: claims.u, usage: 'tk', scopes: claims.scopes, exp: claims.exp };
  }
  return { username: decoded.claims.u, usage: decoded.usage, scopes };
}

/** The documented rules of the Tokens API. */
export const API_RULES: Readonly<ModelRules> = Object.freeze<ModelRules>({
  authorizeWithoutToken() {
    throw apiError('missing-token');
  },
  authorizeToken(inspection) {
    if (inspection.code !== 'TokenValid') throw apiError(INSPECTION_ERRORS[inspection.code]);
    // Stryker disable next-line ArrayDeclaration: [equivalent] a valid pk or sk always has its record; a tk carries its own scopes
    return tokenAuthorizer(inspection.decoded, inspection.record?.scopes ?? []);
  },
  checkRateLimit(decision) {
    if (!decision.allowed) throw apiError('rate-limited');
  },
  checkPathAccount(username, authorizer) {
    if (username !== authorizer.username) throw apiError('other-user');
  },
  checkRouteScope(scope, authorizer) {
    if (!authorizer.scopes.includes(scope)) throw apiError('missing-scope');
  },

  listPage: (store, username, query) => store.page(username, query),
  // Stryker disable next-line StringLiteral: [equivalent] every visibility but 'always' shows pk token strings only
  presentListedToken: (record) => presentToken(record, 'public-only'),

  checkCreateProperties: (body) => checkKnownProperties('createToken', body),
  readCreatedAllowedUrls(value) {
    // Stryker disable next-line all: [equivalent] the generated validator refuses the same bodies first, with the same answer
    if (Array.isArray(value)) checkAllowedUrlsCount(value);
    return checkBodyField('createToken', 'allowedUrls', value);
  },
  checkCreatedAllowedUrlsCount: checkAllowedUrlsCount,
  checkCreatedScopesHeld: checkScopesHeld,

  checkExpiresNotPast,
  checkExpiresWithinOneHour,
  checkExpiresWithinAuthorizer,
  checkNoAllowedUrlsOnTemporary,

  checkUpdatedScopesHeld: checkScopesHeld,
  checkPublicTokenScopes,
  checkScopelessStaysScopeless,
  checkAllowedUrlsTarget,
  // Stryker disable next-line StringLiteral: [equivalent] every visibility but 'always' shows pk token strings only
  presentUpdatedToken: (record) => presentToken(record, 'public-only'),

  checkDeletable,
  revokeToken: (store, id, undo) => store.delete(id, undo),
});
