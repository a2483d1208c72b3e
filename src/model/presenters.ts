import type { components } from '../generated/api-types.ts';
import type { StoredToken } from './token-store.ts';
import type { TemporaryClaims, TokenClaims } from './token-codec.ts';

/**
 * Response shapes of the Tokens API (docs/sources.md §6.6, §6.7, §9): the document's schema types
 * (src/generated/api-types.ts), narrowed only where the mock always answers more precisely.
 */
type Schemas = components['schemas'];

/** A stored token as answered: stored tokens are permanent, so pk or sk. */
export type TokenMetadata = Schemas['TokenMetadata'] & { usage: Schemas['PermanentTokenClaims']['usage'] };

/** A created temporary token: the mock always answers every field. */
export type TemporaryTokenResponse = Required<Schemas['TemporaryToken']>;

export type RetrieveTokenResponse = Schemas['RetrieveTokenResponse'];

export type RetrieveCode = RetrieveTokenResponse['code'];

export type RetrievedClaims = NonNullable<RetrieveTokenResponse['token']>;

export type ScopeResponse = Schemas['Scope'];

/**
 * Whether the token string is shown: secret token strings appear only in the create response
 * (docs/sources.md §5.4); list and update responses carry it for pk tokens only.
 */
export type TokenStringVisibility = 'always' | 'public-only';

/** Key order follows the documented examples: client, note, usage, id, default, scopes, [allowedUrls,] created, modified, token. */
export function presentToken(record: StoredToken, visibility: TokenStringVisibility): TokenMetadata {
  return {
    client: 'api',
    note: record.note,
    usage: record.usage,
    id: record.id,
    default: record.isDefault,
    scopes: [...record.scopes],
    ...(record.allowedUrls !== null && { allowedUrls: [...record.allowedUrls] }),
    created: presentTime(record.created),
    modified: presentTime(record.modified),
    ...((visibility === 'always' || record.usage === 'pk') && { token: record.token }),
  };
}

/**
 * ISO strings already made, by epoch ms. A list page presents two times per token and
 * `Date#toISOString` was a measured share of a page's cost (BENCHMARKS.md); a stored token's times
 * change only on update, so most lookups hit. Bounded: cleared when full, so a long run with many
 * tokens holds at most this many strings.
 */
const ISO_CACHE_LIMIT = 10_000;
const isoStrings = new Map<number, string>();

/** Times are ISO 8601 strings (docs/sources.md §6.6). */
function presentTime(epochMs: number): string {
  let iso = isoStrings.get(epochMs);
  if (iso === undefined) {
    iso = new Date(epochMs).toISOString();
    // Stryker disable next-line all: [equivalent] the cache of ISO strings only saves time: the same string either way
    if (isoStrings.size >= ISO_CACHE_LIMIT) isoStrings.clear();
    // Stryker disable next-line all: [equivalent] the cache of ISO strings only saves time: the same string either way
    isoStrings.set(epochMs, iso);
  }
  return iso;
}

export function presentTemporaryToken(token: string, claims: TemporaryClaims): TemporaryTokenResponse {
  return {
    token,
    issued_at: new Date(claims.iat * 1000).toISOString(),
    expires: new Date(claims.exp * 1000).toISOString(),
    expires_in: claims.exp - claims.iat,
  };
}

export function presentClaims(decoded: TokenClaims): RetrievedClaims {
  if (decoded.usage === 'tk') {
    const { claims } = decoded;
    return {
      usage: 'tk',
      user: claims.u,
      expires: new Date(claims.exp * 1000).toISOString(),
      created: new Date(claims.iat * 1000).toISOString(),
      scopes: [...claims.scopes],
      client: claims.client,
    };
  }
  return { usage: decoded.usage, user: decoded.claims.u, authorization: decoded.claims.a };
}
