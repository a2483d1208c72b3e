import { OPERATION_RULES, type RequiredScope } from '../generated/api-tables.ts';
import type { Account, AccountRegistry } from './accounts.ts';
import { normalizeAccount } from './accounts.ts';
import type { MockClock } from './clock.ts';
import { toEpochSeconds } from './clock.ts';
import { encodeCursor, type ListPosition } from './cursor.ts';
import { ApiError, apiError, type ApiErrorId, type RateLimitInfo } from './errors.ts';
import { NO_FAULTS, type FaultName, type FaultSet } from './faults.ts';
import type { IdGenerator } from './ids.ts';
import { parseListQuery, type ListQuery } from './list-query.ts';
import {
  presentClaims,
  presentTemporaryToken,
  presentToken,
  type RetrieveCode,
  type RetrieveTokenResponse,
  type ScopeResponse,
  type TemporaryTokenResponse,
  type TokenMetadata,
} from './presenters.ts';
import type { RateLimiter } from './rate-limiter.ts';
import {
  checkBodyField,
  checkBodyObject,
  checkKnownProperties,
  parseDateTime,
  type BodyKind,
  type ParsedBody,
} from './request-validation.ts';
import { PUBLIC_SCOPE_IDS, SCOPE_CATALOGUE, usageForScopes } from './scopes.ts';
import type { Signer } from './signing.ts';
import {
  atobSafeTemporaryPayload,
  decodeClaims,
  encodePermanentPayload,
  isAtobSafePayload,
  signPayload,
  splitToken,
  verifyTokenSignature,
  type TemporaryClaims,
  type TokenClaims,
} from './token-codec.ts';
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
  checkScopesGrantable,
  checkScopesHeld,
  checkScopesKnown,
  checkTokenOfAccount,
  MAX_ALLOWED_URLS,
  uniqueScopes,
  type Authorizer,
} from './token-rules.ts';
import type { StoredToken, TokenStore } from './token-store.ts';
import type { ChangeLog } from './change-log.ts';
import { UndoLog } from './undo-log.ts';

/** Everything the service works on; built by createModel(). */
export interface ModelParts {
  clock: MockClock;
  signer: Signer;
  ids: IdGenerator;
  accounts: AccountRegistry;
  store: TokenStore;
  rateLimiter: RateLimiter;
  /** Where the store and the registry record their changes (for a journal), when anywhere. */
  changes?: ChangeLog;
}

/** A successful operation, with the rate-limit window when the request was authenticated. */
export interface OperationResult<T> {
  value: T;
  rateLimit?: RateLimitInfo;
}

export interface ListTokensResult {
  tokens: TokenMetadata[];
  /** Query of the next page (list parameters + `start`) when more tokens follow. */
  nextQuery?: Record<string, string>;
}

export interface TokenInspection {
  code: RetrieveCode;
  decoded?: TokenClaims;
  record?: StoredToken;
}

export interface PermanentTokenInit {
  note?: string | null;
  scopes?: string[];
  allowedUrls?: string[] | null;
}

export interface AccountCredentials {
  username: string;
  publicToken: string;
  secretToken: string;
  publicTokenId: string;
  secretTokenId: string;
}

type RouteScope = RequiredScope;

const INSPECTION_ERRORS: Record<Exclude<RetrieveCode, 'TokenValid'>, ApiErrorId> = {
  TokenMalformed: 'invalid-token',
  TokenInvalid: 'invalid-token',
  TokenExpired: 'expired-token',
  TokenRevoked: 'revoked-token',
};

/** Faults under which a token that failed inspection still authenticates (it must decode). */
const ACCEPTED_DESPITE: Partial<Record<RetrieveCode, FaultName>> = {
  TokenInvalid: 'forged-signature-accepted',
  TokenRevoked: 'revoked-token-accepted',
  TokenExpired: 'expired-token-accepted',
};

/** Faults under which retrieve reports another code than the inspection found. */
const LYING_RETRIEVE_CODES: Partial<Record<RetrieveCode, { fault: FaultName; code: RetrieveCode }>> = {
  TokenRevoked: { fault: 'retrieve-revoked-reads-valid', code: 'TokenValid' },
  TokenInvalid: { fault: 'retrieve-forged-reads-valid', code: 'TokenValid' },
  TokenExpired: { fault: 'retrieve-expired-reads-valid', code: 'TokenValid' },
  TokenMalformed: { fault: 'retrieve-malformed-reads-invalid', code: 'TokenInvalid' },
};

/** Faults under which a list parameter is ignored (dropped before the query is parsed). */
const IGNORED_LIST_PARAMETERS: ReadonlyArray<readonly [FaultName, string]> = [
  ['list-ignores-usage', 'usage'],
  ['list-ignores-default', 'default'],
  ['list-ignores-sortby', 'sortby'],
  ['list-ignores-limit', 'limit'],
  ['list-cursor-ignored', 'start'],
];

/** Concurrent signatures per batch in bulk creation (bounded to keep memory flat). */
const SIGNING_BATCH = 256;

/** Upper bound of id draws while looking for an atob-safe pk/sk payload (best effort). */
const MAX_ID_ATTEMPTS = 64;

/**
 * The Tokens API operations on already-parsed input. Each runs the documented check order (x-decisions `check-order` in openapi/tokens.yaml)
 * step by step and returns a domain result or throws ApiError; nothing here knows about HTTP.
 */
export class TokensService {
  readonly parts: ModelParts;
  /** Injected faults (createTokensMock's `faults` option); empty for the faithful mock. */
  faults: FaultSet = NO_FAULTS;
  /** The undo log every write of this service goes to (a service bound by atomically()). */
  readonly #undo: UndoLog | undefined;

  constructor(parts: ModelParts, undo?: UndoLog) {
    this.parts = parts;
    this.#undo = undo;
  }

  /**
   * Runs `operation` all or nothing (issue 14): it gets this service bound to a fresh undo log, and
   * when it throws, every write it made (records, accounts, id draws, its rate-limit count) is
   * reverted before the error goes on, so the model is as it was before the call. An ApiError (a
   * refusal) keeps the request's rate-limit count, as refused requests count. The request core and
   * the mock's helpers call every operation through here; operations need no cleanup of their own.
   */
  async atomically<T>(operation: (service: TokensService) => Promise<T> | T): Promise<T> {
    const undo = new UndoLog(this.parts.changes);
    const bound = new TokensService(this.parts, undo);
    bound.faults = this.faults;
    try {
      return await operation(bound);
    } catch (error) {
      undo.rollback(error instanceof ApiError ? 'refused' : 'failed');
      throw error;
    }
  }

  #faulty(name: FaultName): boolean {
    return this.faults.has(name);
  }

  // ---- token validity: the single place that decides what a token string is worth ----

  /** Retrieve codes in the documented order (x-decisions `retrieve-codes`). */
  async inspectToken(token: string): Promise<TokenInspection> {
    const split = splitToken(token);
    if (split === undefined) return { code: 'TokenMalformed' };
    const decoded = decodeClaims(split);
    if (!(await verifyTokenSignature(this.parts.signer, split))) {
      return decoded === undefined ? { code: 'TokenInvalid' } : { code: 'TokenInvalid', decoded };
    }
    if (decoded === undefined) return { code: 'TokenMalformed' };
    if (decoded.usage === 'tk' && this.parts.clock.now() >= decoded.claims.exp * 1000) {
      return { code: 'TokenExpired', decoded };
    }
    if (this.parts.accounts.get(decoded.claims.u) === undefined) return { code: 'TokenRevoked', decoded };
    if (decoded.usage === 'tk') return { code: 'TokenValid', decoded };
    const record = this.parts.store.get(decoded.claims.a);
    if (record === undefined || record.username !== decoded.claims.u || record.usage !== decoded.usage) {
      return { code: 'TokenRevoked', decoded };
    }
    return { code: 'TokenValid', decoded, record };
  }

  /** Steps 2-7 of the check order; returns who authorizes and the rate-limit window. */
  async #authorize(
    accessToken: string | undefined,
    username: string,
    scope: RouteScope,
  ): Promise<{ authorizer: Authorizer; rateLimit: RateLimitInfo }> {
    const authorizer = await this.#authenticate(accessToken, username);
    const decision = this.parts.rateLimiter.consume(authorizer.username, this.parts.clock.now(), this.#undo);
    const fail = (id: ApiErrorId): never => {
      const error = apiError(id);
      error.rateLimit = decision.info;
      throw error;
    };
    if (!decision.allowed && !this.#faulty('rate-limit-not-enforced')) fail('rate-limited');
    if (this.parts.accounts.get(username) === undefined) fail('no-such-user');
    if (username !== authorizer.username && !this.#faulty('other-user-accessible')) fail('other-user');
    if (!authorizer.scopes.includes(scope) && !this.#faulty('missing-scope-not-enforced')) fail('missing-scope');
    return { authorizer, rateLimit: decision.info };
  }

  /** Steps 2-3: the access token's authority, or the documented 401. */
  async #authenticate(accessToken: string | undefined, username: string): Promise<Authorizer> {
    if (accessToken === undefined || accessToken === '') {
      const account = this.parts.accounts.get(username);
      if (account !== undefined && this.#faulty('missing-token-accepted')) return accountAuthorizer(account);
      throw apiError('missing-token');
    }
    const inspection = await this.inspectToken(accessToken);
    const { code, decoded } = inspection;
    if (code !== 'TokenValid') {
      const fault = ACCEPTED_DESPITE[code];
      if (decoded === undefined || fault === undefined || !this.#faulty(fault)) throw apiError(INSPECTION_ERRORS[code]);
    }
    if (decoded!.usage === 'tk') {
      const { claims } = decoded!;
      return { username: claims.u, usage: 'tk', scopes: claims.scopes, exp: claims.exp };
    }
    const { claims, usage } = decoded!;
    // Only a faulty mock gets here without the record (a forged or deleted token): then the
    // stored token's scopes, or, for a deleted one, its account's.
    const record = inspection.record ?? this.parts.store.get(claims.a);
    const scopes = record?.username === claims.u ? record.scopes : (this.parts.accounts.get(claims.u)?.scopes ?? []);
    return { username: claims.u, usage, scopes };
  }

  /** Runs an authorized operation; errors after authentication carry the rate-limit window. */
  async #authorized<T>(
    accessToken: string | undefined,
    username: string,
    scope: RouteScope,
    operation: (authorizer: Authorizer) => Promise<T> | T,
  ): Promise<OperationResult<T>> {
    const { authorizer, rateLimit } = await this.#authorize(accessToken, username, scope);
    try {
      return { value: await operation(authorizer), rateLimit };
    } catch (error) {
      if (error instanceof ApiError) error.rateLimit ??= rateLimit;
      throw error;
    }
  }

  // ---- operations ----

  listTokens(input: {
    accessToken?: string;
    username: string;
    query: Readonly<Record<string, string>>;
  }): Promise<OperationResult<ListTokensResult>> {
    return this.#authorized(input.accessToken, input.username, OPERATION_RULES.listTokens.requiredScope, () => {
      const query = parseListQuery(this.faults.size === 0 ? input.query : this.#withoutIgnoredParameters(input.query));
      const { items, next } =
        this.faults.size === 0 ? this.parts.store.page(input.username, query) : this.#faultyPage(input.username, query);
      const visibility = this.#faulty('list-leaks-secret-tokens') ? 'always' : 'public-only';
      const tokens = items.map((record) => presentToken(record, visibility, this.faults));
      return next === undefined ? { tokens } : { tokens, nextQuery: { ...query.echo, start: encodeCursor(next) } };
    });
  }

  #withoutIgnoredParameters(query: Readonly<Record<string, string>>): Record<string, string> {
    const kept = { ...query };
    for (const [fault, name] of IGNORED_LIST_PARAMETERS) if (this.#faulty(fault)) delete kept[name];
    return kept;
  }

  /** A page whose next cursor starts one token early (overlap) or one token late (skip). */
  #faultyPage(username: string, query: ListQuery): { items: StoredToken[]; next: ListPosition | undefined } {
    const position = (record: StoredToken): ListPosition => ({ key: record[query.order], id: record.id });
    if (this.#faulty('list-pages-skip')) {
      const page = this.parts.store.page(username, { ...query, limit: query.limit + 1 });
      if (page.items.length <= query.limit) return page;
      return { items: page.items.slice(0, query.limit), next: position(page.items[query.limit]!) };
    }
    const page = this.parts.store.page(username, query);
    if (this.#faulty('list-pages-overlap') && page.next !== undefined && page.items.length >= 2) {
      return { items: page.items, next: position(page.items[page.items.length - 2]!) };
    }
    return page;
  }

  /** POST /tokens/v2/{username}: a body with `expires` creates a temporary token (x-decisions `temporary-selection`). */
  createToken(input: {
    accessToken?: string;
    username: string;
    body: ParsedBody;
  }): Promise<OperationResult<TokenMetadata | TemporaryTokenResponse>> {
    return this.#authorized(input.accessToken, input.username, OPERATION_RULES.createToken.requiredScope, async (authorizer) => {
      const body = checkBodyObject(input.body);
      if ('expires' in body) return this.#createTemporaryFromBody(input.username, body, authorizer);
      const kind: BodyKind = 'createToken';
      checkKnownProperties(kind, body, this.#faulty('create-accepts-unknown-property'));
      if ('note' in body) checkBodyField(kind, 'note', body.note);
      if ('scopes' in body) checkBodyField(kind, 'scopes', body.scopes);
      if ('allowedUrls' in body) {
        let urls = body.allowedUrls;
        if (Array.isArray(urls)) {
          this.#checkCreateAllowedUrlsCount(urls);
          // The schema's maxItems restates the count rule: a faulty mock checks only the items' shape.
          if (this.#faulty('create-accepts-too-many-allowed-urls')) urls = urls.slice(0, MAX_ALLOWED_URLS);
        }
        checkBodyField(kind, 'allowedUrls', urls);
      }
      const record = await this.createPermanentToken(input.username, authorizer, {
        note: (body.note as string | null | undefined) ?? null,
        scopes: (body.scopes as string[] | undefined) ?? [],
        allowedUrls: (body.allowedUrls as string[] | undefined) ?? null,
      });
      return presentToken(record, 'always', this.faults);
    });
  }

  #checkCreateAllowedUrlsCount(urls: readonly string[]): void {
    if (!this.#faulty('create-accepts-too-many-allowed-urls')) checkAllowedUrlsCount(urls);
  }

  async #createTemporaryFromBody(username: string, body: Record<string, unknown>, authorizer: Authorizer): Promise<TemporaryTokenResponse> {
    const kind: BodyKind = 'createTemporaryToken';
    checkKnownProperties(kind, body);
    // Order inside create-temporary: expires invalid -> past -> > 1 h -> > parent exp -> scopes -> allowedUrls.
    checkBodyField(kind, 'expires', body.expires);
    const expiresMs = parseDateTime(body.expires as string);
    if (expiresMs === undefined) throw apiError('expires-invalid');
    // `note` is accepted and ignored (the tutorial's curl sends one); still type-checked.
    const { token, claims } = await this.createTemporaryToken(username, authorizer, {
      expiresMs,
      scopes: () => {
        if (!('scopes' in body)) throw apiError('scopes-invalid');
        checkBodyField(kind, 'scopes', body.scopes);
        return body.scopes as string[];
      },
      beforeIssue: () => {
        if (!this.#faulty('temporary-accepts-allowed-urls')) checkNoAllowedUrlsOnTemporary(body);
        if ('note' in body) checkBodyField(kind, 'note', body.note);
      },
    });
    return presentTemporaryToken(token, claims);
  }

  updateToken(input: {
    accessToken?: string;
    username: string;
    tokenId: string;
    body: ParsedBody;
  }): Promise<OperationResult<TokenMetadata>> {
    return this.#authorized(input.accessToken, input.username, OPERATION_RULES.updateToken.requiredScope, async (authorizer) => {
      const target = checkTokenOfAccount(this.parts.store.get(input.tokenId), input.username);
      const kind: BodyKind = 'updateToken';
      const body = checkBodyObject(input.body);
      checkKnownProperties(kind, body);
      const changes: { note?: string | null; scopes?: string[]; allowedUrls?: string[] | null; modified: number } = {
        modified: this.parts.clock.now(),
      };
      if ('note' in body) {
        checkBodyField(kind, 'note', body.note);
        if (!this.#faulty('update-ignores-note')) changes.note = body.note as string | null;
      }
      if ('scopes' in body) {
        checkBodyField(kind, 'scopes', body.scopes);
        const scopes = uniqueScopes(body.scopes as string[]);
        checkScopesKnown(scopes);
        if (!this.#faulty('update-accepts-scope-escalation')) checkScopesHeld(scopes, authorizer);
        if (!this.#faulty('update-pk-accepts-secret-scope')) checkPublicTokenScopes(target, scopes);
        if (!this.#faulty('update-scopeless-gains-scopes')) checkScopelessStaysScopeless(target, scopes);
        changes.scopes = scopes;
      }
      if ('allowedUrls' in body) {
        if (Array.isArray(body.allowedUrls)) checkAllowedUrlsCount(body.allowedUrls);
        checkBodyField(kind, 'allowedUrls', body.allowedUrls);
        const urls = body.allowedUrls as string[] | null;
        if (!this.#faulty('update-allows-urls-on-default')) checkAllowedUrlsTarget(target, urls);
        changes.allowedUrls = urls === null || urls.length === 0 ? null : [...urls];
      }
      // A concurrent delete may win the race to the write queue: then the token is gone (404).
      const updated = checkTokenOfAccount(await this.parts.store.update(target.id, changes, this.#undo), input.username);
      return presentToken(updated, this.#faulty('update-leaks-secret-token') ? 'always' : 'public-only', this.faults);
    });
  }

  deleteToken(input: { accessToken?: string; username: string; tokenId: string }): Promise<OperationResult<null>> {
    return this.#authorized(input.accessToken, input.username, OPERATION_RULES.deleteToken.requiredScope, async () => {
      const target = checkTokenOfAccount(this.parts.store.get(input.tokenId), input.username);
      if (!this.#faulty('delete-allows-default-token')) checkDeletable(target);
      if (!this.#faulty('delete-is-noop')) await this.parts.store.delete(target.id, this.#undo);
      return null;
    });
  }

  /** GET /tokens/v2: never rate limited (no account is authenticated), always 200 with a code. */
  async retrieveToken(input: { accessToken?: string }): Promise<OperationResult<RetrieveTokenResponse>> {
    if (input.accessToken === undefined || input.accessToken === '') throw apiError('access-token-required');
    const inspection = await this.inspectToken(input.accessToken);
    const lie = LYING_RETRIEVE_CODES[inspection.code];
    const code = lie !== undefined && this.#faulty(lie.fault) ? lie.code : inspection.code;
    return {
      value:
        inspection.decoded === undefined || inspection.code === 'TokenMalformed'
          ? { code }
          : { code, token: presentClaims(inspection.decoded) },
    };
  }

  listScopes(input: { accessToken?: string; username: string }): Promise<OperationResult<ScopeResponse[]>> {
    return this.#authorized(input.accessToken, input.username, OPERATION_RULES.listScopes.requiredScope, () => {
      const held = new Set(this.parts.accounts.get(input.username)!.scopes);
      const allPublic = this.#faulty('scopes-secret-marked-public');
      return SCOPE_CATALOGUE.filter((scope) => held.has(scope.id)).map((scope) =>
        scope.public || allPublic
          ? { id: scope.id, public: true as const, description: scope.description }
          : { id: scope.id, description: scope.description },
      );
    });
  }

  // ---- issuing (shared by the routes and the mock's helpers) ----

  /** Validates scopes/allowedUrls against the authorizer and stores a new pk/sk token. */
  async createPermanentToken(
    username: string,
    authorizer: Authorizer,
    init: PermanentTokenInit & { isDefault?: boolean },
  ): Promise<StoredToken> {
    return (await this.createPermanentTokens(username, authorizer, [init]))[0]!;
  }

  /** The creation rules of a pk/sk token (scopes grantable, allowedUrls count); its usage follows its scopes. */
  checkPermanentTokenInit(
    init: PermanentTokenInit,
    authorizer: Authorizer,
  ): { scopes: string[]; allowedUrls: string[] | null; usage: 'pk' | 'sk' } {
    const scopes = uniqueScopes(init.scopes ?? []);
    checkScopesKnown(scopes);
    if (!this.#faulty('create-accepts-scope-escalation')) checkScopesHeld(scopes, authorizer);
    const allowedUrls = init.allowedUrls ?? null;
    if (allowedUrls !== null) this.#checkCreateAllowedUrlsCount(allowedUrls);
    return { scopes, allowedUrls, usage: usageForScopes(scopes) };
  }

  /**
   * Many tokens at once, all or none (fixtures, bulk loads): every init passes the rules first, then
   * the signatures are computed concurrently (Web Crypto is async) and the records stored in order.
   */
  async createPermanentTokens(
    username: string,
    authorizer: Authorizer,
    inits: ReadonlyArray<PermanentTokenInit & { isDefault?: boolean }>,
  ): Promise<StoredToken[]> {
    const now = this.parts.clock.now();
    const drafts = inits.map((init) => ({ init, ...this.checkPermanentTokenInit(init, authorizer) }));
    const reserved = new Set<string>();
    const prepared = drafts.map((draft) => ({ ...draft, ...this.#newTokenId(username, now, reserved) }));
    const signatures: string[] = [];
    for (let start = 0; start < prepared.length; start += SIGNING_BATCH) {
      const batch = prepared.slice(start, start + SIGNING_BATCH);
      signatures.push(...(await Promise.all(batch.map((draft) => signPayload(this.parts.signer, draft.usage, draft.payload)))));
    }
    return this.parts.store.insertMany(
      prepared.map((draft, index) => ({
        id: draft.id,
        username,
        usage: draft.usage,
        isDefault: draft.init.isDefault ?? false,
        scopes: draft.scopes,
        note: draft.init.note ?? null,
        allowedUrls: draft.allowedUrls === null || draft.allowedUrls.length === 0 ? null : [...draft.allowedUrls],
        created: now,
        modified: now,
        token: signatures[index]!,
        createdWithoutScopes: draft.scopes.length === 0,
      })),
      this.#undo,
    );
  }

  /** A fresh unique cuid whose `{"u","a"}` payload avoids `-`/`_` when some draw allows it. */
  #newTokenId(username: string, now: number, reserved: Set<string>): { id: string; payload: string } {
    let fallback: { id: string; payload: string } | undefined;
    for (let attempt = 0; attempt < MAX_ID_ATTEMPTS; attempt++) {
      const id = this.parts.ids.next(now, this.#undo);
      if (this.parts.store.get(id) !== undefined || reserved.has(id)) continue;
      const payload = encodePermanentPayload({ u: username, a: id });
      if (isAtobSafePayload(payload)) {
        reserved.add(id);
        return { id, payload };
      }
      fallback ??= { id, payload };
    }
    if (fallback === undefined) throw new Error('Could not draw a unique token id');
    reserved.add(fallback.id);
    return fallback;
  }

  /** Lifetime and scope rules of temporary tokens, then signing (temporary tokens are not stored). */
  async createTemporaryToken(
    username: string,
    authorizer: Authorizer,
    init: { expiresMs: number; scopes: string[] | (() => string[]); beforeIssue?: () => void },
  ): Promise<{ token: string; claims: TemporaryClaims }> {
    const now = this.parts.clock.now();
    if (!this.#faulty('temporary-accepts-past-expires')) checkExpiresNotPast(init.expiresMs, now);
    if (!this.#faulty('temporary-accepts-far-expires')) checkExpiresWithinOneHour(init.expiresMs, now);
    if (!this.#faulty('temporary-outlives-parent')) checkExpiresWithinAuthorizer(init.expiresMs, authorizer);
    // Scopes are read only now, so their errors come after the lifetime errors.
    const scopes = uniqueScopes(typeof init.scopes === 'function' ? init.scopes() : init.scopes);
    checkScopesGrantable(scopes, authorizer);
    init.beforeIssue?.();
    const { claims, payload } = atobSafeTemporaryPayload({
      u: username,
      exp: toEpochSeconds(init.expiresMs),
      iat: toEpochSeconds(now),
      scopes,
      client: 'api',
    });
    return { token: await signPayload(this.parts.signer, 'tk', payload), claims };
  }

  /** Adds an account with its default public token and its master secret token (all or nothing). */
  async createAccount(init: { username: string; scopes?: string[] }): Promise<AccountCredentials> {
    const draft = normalizeAccount(init);
    if (this.parts.accounts.get(draft.username) !== undefined) throw new TypeError(`Account ${draft.username} already exists`);
    const authorizer = accountAuthorizer(draft);
    const publicScopes = draft.scopes.filter((scope) => PUBLIC_SCOPE_IDS.includes(scope));
    const [publicToken, secretToken] = await this.createPermanentTokens(draft.username, authorizer, [
      { note: 'Default public token', scopes: publicScopes, isDefault: true },
      { note: MASTER_TOKEN_NOTE, scopes: draft.scopes },
    ]);
    this.parts.accounts.add({ ...draft, defaultTokenId: publicToken!.id, masterTokenId: secretToken!.id }, this.#undo);
    return credentials(draft.username, publicToken!, secretToken!);
  }

  /**
   * Credentials of an existing account: its default token and its master token, found by the ids the
   * account records (their notes may have been changed). The default token cannot be deleted; when
   * the master token was, a new one is issued with the account's scopes and recorded, so the mock
   * always has a working secret token to offer.
   */
  async accountCredentials(username: string): Promise<AccountCredentials> {
    const account = this.parts.accounts.get(username);
    if (account === undefined) throw new TypeError(`No such account: ${username}`);
    const publicToken = this.parts.store.get(account.defaultTokenId);
    if (publicToken === undefined) throw new Error(`Account ${username} has lost its default token ${account.defaultTokenId}`);
    let secretToken = this.parts.store.get(account.masterTokenId);
    if (secretToken === undefined || secretToken.username !== username) {
      secretToken = await this.createPermanentToken(username, accountAuthorizer(account), {
        note: MASTER_TOKEN_NOTE,
        scopes: account.scopes,
      });
      this.parts.accounts.setMasterTokenId(username, secretToken.id, this.#undo);
    }
    return credentials(username, publicToken, secretToken);
  }
}

/** The note of the secret token created with every account (only its initial note: users may rename it). */
const MASTER_TOKEN_NOTE = 'Master token';

/** Mock helpers act with the account's full authority. */
export function accountAuthorizer(account: Pick<Account, 'username' | 'scopes'>): Authorizer {
  return { username: account.username, usage: 'account', scopes: account.scopes };
}

function credentials(username: string, publicToken: StoredToken, secretToken: StoredToken): AccountCredentials {
  return {
    username,
    publicToken: publicToken.token,
    secretToken: secretToken.token,
    publicTokenId: publicToken.id,
    secretTokenId: secretToken.id,
  };
}
