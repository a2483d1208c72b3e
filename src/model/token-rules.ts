import { apiError } from './errors.ts';
import { isKnownScope, isPublicScope } from './scopes.ts';
import type { StoredToken } from './token-store.ts';
import type { TokenUsage } from './token-codec.ts';

/**
 * The domain rules of the Tokens API, one small function each, so a rule lives in one place (the
 * operations reach most of them through the model's rules object, rules.ts). Each throws the
 * ApiError of its condition id.
 */

/** Who authorizes a request: the authenticated token (or, for mock helpers, the account itself). */
export interface Authorizer {
  username: string;
  usage: TokenUsage | 'account';
  scopes: readonly string[];
  /** Epoch seconds; only for tk authorizers. */
  exp?: number;
}

export const MAX_ALLOWED_URLS = 100;
const MAX_TEMPORARY_LIFETIME_MS = 3600 * 1000;

/** Requested scopes must exist and be held by the authorizing token (reference + docs/sources.md §3.2). */
export function checkScopesGrantable(scopes: readonly string[], authorizer: Authorizer): void {
  // Stryker disable next-line all: [equivalent] an unknown scope is not held either: the next rule answers the same
  checkScopesKnown(scopes);
  checkScopesHeld(scopes, authorizer);
}

// Stryker disable next-line BlockStatement: [equivalent] the generated validator refuses the same bodies first, with the same answer
export function checkScopesKnown(scopes: readonly string[]): void {
  // Stryker disable next-line ArrowFunction: [equivalent] an unknown scope is not held either: the next rule answers the same
  if (scopes.some((scope) => !isKnownScope(scope))) throw apiError('scopes-unknown');
}

/** No scope escalation: "not possible to create a token with access to more scopes than the token that created it". */
export function checkScopesHeld(scopes: readonly string[], authorizer: Authorizer): void {
  if (scopes.some((scope) => !authorizer.scopes.includes(scope))) throw apiError('scopes-escalation');
}

/** A public token may only hold public scopes; usage never changes after creation (docs/sources.md §5.4). */
export function checkPublicTokenScopes(token: StoredToken, scopes: readonly string[]): void {
  if (token.usage === 'pk' && scopes.some((scope) => !isPublicScope(scope))) throw apiError('pk-secret-scope');
}

/** "a token created with no scopes ... cannot be updated later to include any scopes" (reference). */
export function checkScopelessStaysScopeless(token: StoredToken, scopes: readonly string[]): void {
  if (token.createdWithoutScopes && scopes.length > 0) throw apiError('scopeless-gains-scopes');
}

/** "Each token is limited to 100 allowed URLs" (reference). */
// Stryker disable next-line BlockStatement: [equivalent] the generated validator refuses the same bodies first, with the same answer
export function checkAllowedUrlsCount(urls: readonly string[]): void {
  if (urls.length > MAX_ALLOWED_URLS) throw apiError('allowed-urls-too-many');
}

/** The default public token cannot get URL restrictions (docs/sources.md §8). */
export function checkAllowedUrlsTarget(token: StoredToken, urls: readonly string[] | null): void {
  if (token.isDefault && urls !== null && urls.length > 0) throw apiError('allowed-urls-on-default');
}

/** Temporary tokens cannot have allowed URLs (reference). */
export function checkNoAllowedUrlsOnTemporary(body: Record<string, unknown>): void {
  if ('allowedUrls' in body) throw apiError('allowed-urls-on-temporary');
}

export function checkExpiresNotPast(expiresMs: number, nowMs: number): void {
  if (expiresMs <= nowMs) throw apiError('expires-in-past');
}

export function checkExpiresWithinOneHour(expiresMs: number, nowMs: number): void {
  if (expiresMs > nowMs + MAX_TEMPORARY_LIFETIME_MS) throw apiError('expires-too-far');
}

/** A tk may not outlive the tk that authorized it (reference). */
export function checkExpiresWithinAuthorizer(expiresMs: number, authorizer: Authorizer): void {
  if (authorizer.exp !== undefined && Math.floor(expiresMs / 1000) > authorizer.exp) {
    throw apiError('expires-after-parent');
  }
}

/** The default token cannot be deleted (mock choice: the dashboard refuses it). */
export function checkDeletable(token: StoredToken): void {
  if (token.isDefault) throw apiError('delete-default');
}

/** PATCH/DELETE target a token of the path's account; others (and tks) are 404 Not Found. */
export function checkTokenOfAccount(token: StoredToken | undefined, username: string): StoredToken {
  if (token === undefined || token.username !== username) throw apiError('token-not-found');
  return token;
}

/** Duplicate scopes collapse to one, keeping the first occurrence's order. */
export function uniqueScopes(scopes: readonly string[]): string[] {
  return [...new Set(scopes)];
}
