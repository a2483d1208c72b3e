import type { OperationId } from '../generated/api-tables.ts';

/**
 * Fault injection: named, deliberate deviations from the documented behaviour, one per fault,
 * used to prove that the contract suite notices each of them (its mutation score). A faithful mock
 * has no faults. The faults live outside the faithful path: a fault of a rule replaces that named
 * rule of the model when the mock is built (rule-faults.ts), and a fault of what goes over the wire
 * bends the request or the answer around the request handler (exchange-faults.ts).
 */
export type FaultOperation =
  | OperationId
  /** Rules every authenticated operation shares (check order, error table, headers). */
  | 'all';

export interface FaultDefinition {
  /** What the faulty mock does wrong, in one line. */
  description: string;
  operation: FaultOperation;
  /** The condition id (document error table) or the documented behaviour the fault breaks. */
  breaks: string;
}

export const FAULTS = {
  // ---- authentication and the check order (every authenticated operation) ----
  'missing-token-accepted': {
    description: 'a request without access_token is served as if the account itself had authorized it',
    operation: 'all',
    breaks: 'missing-token',
  },
  'forged-signature-accepted': {
    description: 'a pk/sk token with a wrong signature authenticates (the signature is not verified)',
    operation: 'all',
    breaks: 'invalid-token',
  },
  'revoked-token-accepted': {
    description: "a deleted token still authenticates (with its account's scopes)",
    operation: 'all',
    breaks: 'revoked-token',
  },
  'expired-token-accepted': {
    description: 'a temporary token past its expiry still authenticates',
    operation: 'all',
    breaks: 'expired-token',
  },
  'other-user-accessible': {
    description: "a token may act on another existing account (the path username is not compared with the token's)",
    operation: 'all',
    breaks: 'other-user',
  },
  'missing-scope-not-enforced': {
    description: 'the route scope (tokens:read, tokens:write, scopes:list) is not required',
    operation: 'all',
    breaks: 'missing-scope',
  },
  'missing-scope-answers-403': {
    description: 'a token lacking the route scope gets 403 instead of 404 Not Found',
    operation: 'all',
    breaks: 'missing-scope (status 404)',
  },
  'not-found-lowercase': {
    description: "404 errors say `Not found` (the reference table's spelling) instead of the observed `Not Found`",
    operation: 'all',
    breaks: 'other-user / missing-scope / token-not-found (message)',
  },
  'no-such-user-answers-not-found': {
    description: 'an unknown username answers 404 `Not Found` instead of `No such user`',
    operation: 'all',
    breaks: 'no-such-user (message)',
  },
  'rate-limit-not-enforced': {
    description: 'requests beyond the per-minute limit are served instead of answering 429',
    operation: 'all',
    breaks: 'rate-limited',
  },
  'rate-limit-headers-missing': {
    description: 'responses carry no X-Rate-Limit-Interval/-Limit/-Reset headers',
    operation: 'all',
    breaks: 'rate-limit headers on every authenticated response',
  },
  'cors-headers-missing': {
    description: 'JSON responses carry no Access-Control-Allow-Origin / -Expose-Headers',
    operation: 'all',
    breaks: 'CORS headers on every JSON response',
  },
  'errors-not-json': {
    description: 'error bodies are served as text/plain instead of application/json',
    operation: 'all',
    breaks: 'error body content type (every error row)',
  },

  // ---- listTokens ----
  'list-leaks-secret-tokens': {
    description: 'listed sk tokens carry their token string',
    operation: 'listTokens',
    breaks: 'sk strings appear only in the create response',
  },
  'list-ignores-usage': {
    description: 'the usage filter is ignored',
    operation: 'listTokens',
    breaks: 'list parameter usage',
  },
  'list-ignores-default': {
    description: 'the default filter is ignored',
    operation: 'listTokens',
    breaks: 'list parameter default',
  },
  'list-ignores-sortby': {
    description: 'sortby=modified is ignored (always ordered by created)',
    operation: 'listTokens',
    breaks: 'list parameter sortby',
  },
  'list-ignores-limit': {
    description: 'limit is ignored (always pages of 100)',
    operation: 'listTokens',
    breaks: 'list parameter limit',
  },
  'list-link-missing': {
    description: 'no Link rel="next" header although more tokens follow',
    operation: 'listTokens',
    breaks: 'Link pagination',
  },
  'list-link-wrong-origin': {
    description:
      'Link rel="next" points to https://api.mapbox.com instead of the request\'s origin (invisible when requests go there anyway)',
    operation: 'listTokens',
    breaks: "Link on the request's own origin",
  },
  'list-cursor-ignored': {
    description: 'the start cursor is ignored: every page is the first page',
    operation: 'listTokens',
    breaks: 'list parameter start',
  },
  'list-pages-overlap': {
    description: 'the next page starts one token early: the last token of a page is listed twice',
    operation: 'listTokens',
    breaks: 'pagination visits every token exactly once',
  },
  'list-pages-skip': {
    description: 'the next page starts one token late: one token per page boundary is never listed',
    operation: 'listTokens',
    breaks: 'pagination visits every token exactly once',
  },

  // ---- createToken (permanent) ----
  'create-answers-201': {
    description: 'create answers 201 instead of 200',
    operation: 'createToken',
    breaks: 'create success status 200 (docs/sources.md §2)',
  },
  'create-accepts-scope-escalation': {
    description: 'a token may create a token with scopes it does not hold',
    operation: 'createToken',
    breaks: 'scopes-escalation',
  },
  'create-accepts-too-many-allowed-urls': {
    description: 'more than 100 allowedUrls are accepted',
    operation: 'createToken',
    breaks: 'allowed-urls-too-many',
  },
  'create-accepts-unknown-property': {
    description: 'unknown body properties are ignored instead of refused',
    operation: 'createToken',
    breaks: 'unknown-property',
  },
  'token-missing-client': {
    description: 'token metadata lacks the `client` property',
    operation: 'createToken',
    breaks: 'TokenMetadata shape (client)',
  },
  'token-dates-not-iso': {
    description: 'created/modified are served as locale date strings instead of ISO 8601',
    operation: 'createToken',
    breaks: 'TokenMetadata shape (date-time)',
  },

  // ---- createToken (temporary) ----
  'temporary-accepts-past-expires': {
    description: 'a temporary token may expire in the past',
    operation: 'createToken',
    breaks: 'expires-in-past',
  },
  'temporary-accepts-far-expires': {
    description: 'a temporary token may live longer than one hour',
    operation: 'createToken',
    breaks: 'expires-too-far',
  },
  'temporary-outlives-parent': {
    description: 'a tk may create a tk that expires after itself',
    operation: 'createToken',
    breaks: 'expires-after-parent',
  },
  'temporary-accepts-allowed-urls': {
    description: 'allowedUrls on a temporary token are accepted (and ignored)',
    operation: 'createToken',
    breaks: 'allowed-urls-on-temporary',
  },

  // ---- updateToken ----
  'update-accepts-scope-escalation': {
    description: 'a token may give another token scopes it does not hold',
    operation: 'updateToken',
    breaks: 'scopes-escalation',
  },
  'update-pk-accepts-secret-scope': {
    description: 'a pk may be given a secret scope',
    operation: 'updateToken',
    breaks: 'pk-secret-scope',
  },
  'update-scopeless-gains-scopes': {
    description: 'a token created with no scopes may gain scopes',
    operation: 'updateToken',
    breaks: 'scopeless-gains-scopes',
  },
  'update-ignores-note': {
    description: 'PATCH answers 200 but the note is not written',
    operation: 'updateToken',
    breaks: 'update takes effect (note)',
  },
  'update-leaks-secret-token': {
    description: 'the PATCH response of an sk carries its token string',
    operation: 'updateToken',
    breaks: 'sk strings appear only in the create response',
  },
  'update-allows-urls-on-default': {
    description: 'the default token may get allowedUrls',
    operation: 'updateToken',
    breaks: 'allowed-urls-on-default',
  },

  // ---- deleteToken ----
  'delete-is-noop': {
    description: 'DELETE answers 204 but the token stays (listed, valid, authenticating)',
    operation: 'deleteToken',
    breaks: 'delete revokes the token',
  },
  'delete-answers-200': {
    description: 'DELETE answers 200 with a JSON body instead of 204 No Content',
    operation: 'deleteToken',
    breaks: 'delete success status 204',
  },
  'delete-allows-default-token': {
    description: 'the default token may be deleted',
    operation: 'deleteToken',
    breaks: 'delete-default',
  },

  // ---- retrieveToken ----
  'retrieve-missing-token-answers-401': {
    description: 'GET /tokens/v2 without access_token answers 401 Unauthorized instead of 422 access token is required',
    operation: 'retrieveToken',
    breaks: 'access-token-required',
  },
  'retrieve-revoked-reads-valid': {
    description: 'a deleted token retrieves as TokenValid instead of TokenRevoked',
    operation: 'retrieveToken',
    breaks: 'token-revoked',
  },
  'retrieve-forged-reads-valid': {
    description: 'a token with a wrong signature retrieves as TokenValid instead of TokenInvalid',
    operation: 'retrieveToken',
    breaks: 'token-invalid',
  },
  'retrieve-expired-reads-valid': {
    description: 'an expired temporary token retrieves as TokenValid instead of TokenExpired',
    operation: 'retrieveToken',
    breaks: 'token-expired',
  },
  'retrieve-malformed-reads-invalid': {
    description: 'an unparseable string retrieves as TokenInvalid instead of TokenMalformed',
    operation: 'retrieveToken',
    breaks: 'token-malformed',
  },

  // ---- listScopes ----
  'scopes-secret-marked-public': {
    description: 'every scope of the list is marked "public": true',
    operation: 'listScopes',
    breaks: 'Scope.public on public scopes only',
  },
} as const satisfies Record<string, FaultDefinition>;

export type FaultName = keyof typeof FAULTS;

/** Every fault name, in catalogue order. */
export const faultNames: readonly FaultName[] = Object.freeze(Object.keys(FAULTS) as FaultName[]);

/** The faults active in one mock; the faithful mock has the empty set. */
export type FaultSet = ReadonlySet<FaultName>;

const NO_FAULTS: FaultSet = new Set<FaultName>();

function isFaultName(name: unknown): name is FaultName {
  return typeof name === 'string' && Object.hasOwn(FAULTS, name);
}

/** Validates requested fault names; unknown ones are refused with the list of known faults. */
export function toFaultSet(names: readonly string[] | undefined): FaultSet {
  if (names === undefined || names.length === 0) return NO_FAULTS;
  if (!Array.isArray(names)) throw new TypeError('faults must be an array of fault names');
  const unknown = names.filter((name) => !isFaultName(name));
  if (unknown.length > 0) {
    throw new TypeError(`Unknown fault ${unknown.map((name) => JSON.stringify(name)).join(', ')}; known faults: ${faultNames.join(', ')}`);
  }
  return new Set(names.filter(isFaultName));
}
