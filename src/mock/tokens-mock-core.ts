// The mock without msw: everything createTokensMock() offers except `handlers`. Nothing here may
// import msw (not even its types), so a consumer that only needs fetch (the standalone server,
// Playwright's page.route) never loads it; create-tokens-mock.ts adds the msw handlers on top.
import type { Fixtures } from '../../fixtures/types.ts';
import { faultNames, toFaultSet, type FaultName } from '../faults/catalogue.ts';
import { withExchangeFaults } from '../faults/exchange-faults.ts';
import { applyRuleFaults, rulesWithFaults } from '../faults/rule-faults.ts';
import { accountCredentials, createAccount, type AccountCredentials } from './account-credentials.ts';
import { DEFAULT_USERNAME, normalizeAccount, type AccountInit } from './account-init.ts';
import { accountAuthorizer } from '../model/authorization.ts';
import { createClock, toInstantMs } from '../state/mock-clock.ts';
import { ApiError } from '../model/errors.ts';
import { checkPermanentTokenInit, createPermanentToken, createPermanentTokens, createTemporaryToken } from '../model/issuing.ts';
import type { ApiErrorId } from '../model/errors.ts';
import { checkBodyField, checkBodyObject, checkKnownProperties } from '../model/request-validation.ts';
import { presentTemporaryToken, presentToken, type TemporaryTokenResponse, type TokenMetadata } from '../model/presenters.ts';
import { DEFAULT_RATE_LIMIT, type RateLimitConfig } from '../model/rate-limiter.ts';
import type { TokensService } from '../model/service.ts';
import { seedText } from '../state/seed.ts';
import {
  createModel,
  restoreModel,
  snapshotModel,
  takeModelChanges,
  type MockState,
  type Model,
  type ModelChanges,
  type ModelConfig,
} from '../state/model-state.ts';
import { createPlainHandler, createTokensRequestHandler, type TokensRequestHandler } from '../http/tokens-request-handler.ts';
import { createLatencyPicker, sleep, type LatencyOption } from './latency.ts';
import { observeRequestHandler, type ObservationOptions } from './observed-handler.ts';
import { toFetchResponse, type HandleableRequest, type PlainRequest, type PlainResponse } from '../http/plain-http.ts';
import { RequestJournal } from './request-journal.ts';
import { preloadStrictRules, ViolationLog, type OnViolation } from './strict-mode.ts';
import { basePathOf } from '../http/routes.ts';
import { asHelperError, TokensMockError } from './helper-error.ts';
import type { ScopeInput } from '../model/scopes.ts';

export type { AccountCredentials, AccountInit, MockState, TokenMetadata };

export interface TokensMockOptions {
  /** Default 'https://api.mapbox.com'; a path prefix is allowed ('http://localhost/mapbox'). */
  baseUrl?: string;
  /**
   * Deterministic signing key, ids and tokens (given the same clock, or the same `initialTime`).
   * Any integer (number or bigint) or non-empty string; all of it is hashed into the key, so `0` and
   * `4294967296` differ. A fraction or an empty string throws a TypeError.
   */
  seed?: number | bigint | string;
  /** Default [{ username: 'mockuser' }]; each account gets a default pk and a "Master token" sk. */
  accounts?: AccountInit[];
  /** Accounts and tokens to load after `accounts` (see fixtures/). */
  fixtures?: Fixtures;
  /** Epoch ms; default Date.now. advanceTime() adds an offset on top. */
  clock?: () => number;
  /**
   * The instant at which the initial accounts and fixture tokens are created (and re-created by
   * reset()); afterwards mock time follows `clock`. With a seed, it makes the initial tokens the
   * same on every start whatever the clock. Default: the clock's time. An invalid Date or a
   * non-finite number throws a TypeError.
   */
  initialTime?: number | Date;
  /** Default { limit: 100, intervalSeconds: 60 }; false turns rate limiting off. */
  rateLimit?: { limit?: number; intervalSeconds?: number } | false;
  /**
   * Fault injection (names from `faultNames`/`FAULTS`): each breaks one documented behaviour, to
   * test a client or a contract suite against a misbehaving API. Unknown names throw a TypeError.
   */
  faults?: readonly FaultName[];
  /**
   * Strict mode: report every request the OpenAPI document does not describe (unknown query
   * parameter or body property, wrong type, missing required field, body on a GET, ...) with its
   * schema path and rule. The answer itself does not change. See `onViolation`.
   */
  strict?: boolean;
  /**
   * What a strict mock does on a violation, after msw's `onUnhandledRequest`: `'error'` (default)
   * throws from the handler, `'warn'` prints a warning, a function is called with the violation.
   * Every violation is also kept in `mock.violations`.
   */
  onViolation?: OnViolation;
  /**
   * Simulated latency in ms: a number, a seeded range `{ min, max }`, or per operation
   * (`{ createToken: 500, default: { min: 20, max: 80 } }`). The msw handlers wait with msw's delay().
   */
  latency?: LatencyOption;
  /** Entries kept by `mock.journal` (a ring of the last N requests). Default 1000; 0 keeps none. */
  journalSize?: number;
}

export interface IssueTokenInit {
  note?: string | null;
  scopes?: ScopeInput[];
  allowedUrls?: string[];
}

export interface IssueTemporaryTokenInit {
  scopes: ScopeInput[];
  /** Default: one hour from mock time. */
  expires?: Date | string;
}

/**
 * A mock of the Mapbox Tokens API without msw: for servers, Playwright's page.route, or anything
 * that takes a fetch function. `TokensMock` is this plus the msw `handlers`.
 */
export interface TokensMockCore {
  readonly baseUrl: string;
  /**
   * The faults in effect now (catalogue order; empty for the faithful mock), so a server can say
   * it deliberately breaks the documented behaviour (banner, --json line, `GET /`).
   */
  readonly faults: readonly FaultName[];
  /** The Tokens API routes as a fetch function, for any origin; 404 JSON when no route matches. */
  fetch(request: Request): Promise<Response>;
  /**
   * The same answers as fetch() without Fetch API objects: for servers and framework adapters.
   * Takes the method, absolute URL and body text of a request (a Fetch `Request` also fits) and
   * gives status, headers and body as plain data, 404 JSON when no route matches. An adapter that
   * writes this answer straight to its own response object skips building a Request and a Response
   * per request (under Node, a large share of a server's time) and the Fetch classes' first-use cost.
   * Playwright's `route.request()` is taken as it is too (see `PlaywrightRequestLike`).
   */
  handle(request: HandleableRequest): Promise<PlainResponse>;
  defaultAccount(): Promise<AccountCredentials>;
  /** Adds an account with its default pk and its "Master token" sk. Throws a TokensMockError when refused. */
  createAccount(init: AccountInit): Promise<AccountCredentials>;
  /**
   * A permanent token, as the API's create call answers it (the `token` string included, sk too).
   * The same rules as the API apply; a refusal throws a TokensMockError with the API's status.
   */
  issueToken(username: string, init?: IssueTokenInit): Promise<TokenMetadata & { token: string }>;
  /**
   * A temporary token, as the API's create call answers it: `{ token, issued_at, expires, expires_in }`
   * (an object like issueToken's; in 0.1.0 it was the token string). Refusals throw a TokensMockError.
   */
  issueTemporaryToken(username: string, init: IssueTemporaryTokenInit): Promise<TemporaryTokenResponse>;
  /** Mock time, epoch ms. */
  now(): number;
  /** Moves mock time; a RangeError (and no change) when the result is outside what a Date can hold. */
  advanceTime(ms: number): void;
  /** Sets mock time to an instant (Date or epoch ms); refused like advanceTime(). */
  setTime(instant: number | Date): void;
  /**
   * Back to the initial state (same seed => same tokens, given the same clock or `initialTime`),
   * with the initial faults; empties the journal and the violations.
   */
  reset(): Promise<void>;
  /** The whole state as JSON; needs a settled mock (await any helper or request first). */
  snapshot(): MockState;
  restore(state: MockState): Promise<void>;
  /**
   * For servers that keep the state on disk (`tokens-mock --state`): the record changes since the
   * previous call, to append to a journal, or `replaced: true` when reset() or restore() replaced the
   * whole state since then (or on the first call), when the whole snapshot must be written instead.
   * Undefined while the mock is initialising. Only one reader may use it.
   */
  takeStateChanges(): StateChanges | undefined;
  /** The last requests answered (`journalSize`), with filters and the `expectOne()` assertion helper. */
  readonly journal: RequestJournal;
  /** What strict mode found (empty unless `strict`). */
  readonly violations: ViolationLog;
  /** Replaces the faults in effect (unknown names throw a TypeError and change nothing). */
  setFaults(names: readonly string[]): void;
}

/** See TokensMockCore.takeStateChanges(). */
export type StateChanges = { replaced: true } | ({ replaced: false } & ModelChanges);

/**
 * What the public factories are built from: the mock, and its request handler (undefined for paths
 * outside the route table, so msw's unhandled-request strategy can apply). Internal: the package
 * entry exports neither this type nor buildTokensMock.
 */
export interface TokensMockParts {
  mock: TokensMockCore;
  requestHandler: TokensRequestHandler;
  /** The request handler with strict mode, latency and the journal, waiting with `wait` (msw's delay). */
  observedHandler(wait: (ms: number) => Promise<unknown>): TokensRequestHandler;
}

const DEFAULT_BASE_URL = 'https://api.mapbox.com';

function normalizeBaseUrl(baseUrl: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new TypeError(`Invalid baseUrl: ${JSON.stringify(baseUrl)} (an absolute http(s) URL is required)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TypeError(`Invalid baseUrl protocol: ${url.protocol}`);
  if (url.search !== '' || url.hash !== '') throw new TypeError('baseUrl may not have a query or a fragment');
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

function normalizeRateLimit(option: TokensMockOptions['rateLimit']): RateLimitConfig | false {
  if (option === false) return false;
  const config = { ...DEFAULT_RATE_LIMIT, ...option };
  if (!Number.isInteger(config.limit) || config.limit < 1) throw new TypeError('rateLimit.limit must be a positive integer');
  if (!Number.isInteger(config.intervalSeconds) || config.intervalSeconds < 1) {
    throw new TypeError('rateLimit.intervalSeconds must be a positive integer');
  }
  return config;
}

/** Loads fixture accounts (created when missing) and their tokens, with each account's authority. */
async function loadFixtures(service: TokensService, fixtures: Fixtures): Promise<void> {
  if (!Array.isArray(fixtures?.accounts)) throw new TypeError('fixtures.accounts must be an array');
  for (const fixture of fixtures.accounts) {
    if (service.parts.accounts.get(fixture.username) === undefined) {
      await createAccount(service, normalizeAccount({ username: fixture.username, ...(fixture.scopes && { scopes: fixture.scopes }) }));
    }
    const authorizer = accountAuthorizer(service.parts.accounts.get(fixture.username)!);
    const tokens = fixture.tokens ?? [];
    // Refuse a bad fixture with its position; then create the whole account's tokens in one batch.
    for (const [index, token] of tokens.entries()) {
      try {
        // A fixture token has the shape of a create request body (it may come from a JSON file).
        const body = checkBodyObject(token);
        checkKnownProperties('createToken', body);
        for (const field of ['note', 'scopes', 'allowedUrls'] as const)
          if (field in body) checkBodyField('createToken', field, body[field]);
        checkPermanentTokenInit(service.rules, token, authorizer);
      } catch (error) {
        if (error instanceof ApiError) {
          throw new TypeError(`Invalid fixture token ${index} of ${fixture.username}: ${error.message}`);
        }
        throw error;
      }
    }
    await createPermanentTokens(service, fixture.username, authorizer, tokens);
  }
}

function parseExpires(expires: Date | string): number {
  const ms = expires instanceof Date ? expires.getTime() : Date.parse(expires);
  if (!Number.isFinite(ms)) throw new TypeError(`Invalid expires: ${String(expires)}`);
  return ms;
}

/**
 * Builds a mock and its request handler; both public factories (createTokensMockCore and
 * createTokensMock) go through here, so the mock is assembled in one place. Internal.
 */
export function buildTokensMock(options: TokensMockOptions = {}): TokensMockParts {
  const baseUrl = normalizeBaseUrl(options.baseUrl ?? DEFAULT_BASE_URL);
  const clock = createClock(options.clock ?? Date.now);
  const initialTimeMs = options.initialTime === undefined ? undefined : toInstantMs(options.initialTime, 'initialTime');
  // One mutable set of faults, and the rules they make, shared by the request handler and every model:
  // setFaults() changes both in place.
  const faults = new Set<FaultName>(toFaultSet(options.faults));
  const initialFaults = [...faults];
  const rules = rulesWithFaults(faults);
  const config: ModelConfig = {
    clock,
    rateLimit: normalizeRateLimit(options.rateLimit),
    rules,
    ...(options.seed !== undefined && { seed: options.seed }),
  };
  // Refused now, not on first use: the model derives its key from the seed asynchronously.
  if (options.seed !== undefined) seedText(options.seed);
  const accounts = options.accounts ?? [{ username: DEFAULT_USERNAME }];
  if (accounts.length === 0) throw new TypeError('accounts must list at least one account');

  let current: Model | undefined;
  /** The model whose changes takeStateChanges() last reported. */
  let journaled: Model | undefined;
  const initialise = async (): Promise<Model> => {
    clock.offsetMs = 0;
    clock.heldAtMs = initialTimeMs;
    try {
      const model = await createModel(config);
      for (const account of accounts) await createAccount(model.service, normalizeAccount(account));
      if (options.fixtures !== undefined) await loadFixtures(model.service, options.fixtures);
      current = model;
      return model;
    } finally {
      // Released before `ready` settles: requests and helpers waiting on it see `clock` time.
      clock.heldAtMs = undefined;
    }
  };
  // The state every request and helper waits for. State changes (initialisation, reset(), restore())
  // run one after another in call order, so a slow initialisation can never overwrite a state
  // restored after it started, and two initialisations never share the held clock.
  let ready: Promise<Model>;
  const setReady = (next: Promise<Model>): void => {
    ready = next;
    // A failure surfaces on next use; don't let it become an unhandled rejection meanwhile.
    next.catch(() => undefined);
  };
  const afterPending = (): Promise<unknown> => ready.catch(() => undefined);
  setReady(initialise());
  const service = async (): Promise<TokensService> => (await ready).service;

  const account = async (helper: 'issueToken' | 'issueTemporaryToken', username: string) => {
    const svc = await service();
    const found = svc.parts.accounts.get(username);
    if (found === undefined)
      throw new TokensMockError({ helper, argument: 'username', status: 404, message: `No such account: ${username}` });
    return { svc, found };
  };

  const conditions = new WeakMap<PlainRequest, ApiErrorId>();
  const basePath = basePathOf(baseUrl);
  const requestHandler = withExchangeFaults(
    createTokensRequestHandler({ basePath, service, onCondition: (request, condition) => conditions.set(request, condition) }),
    { basePath, faults, conditions },
  );
  const journal = new RequestJournal(options.journalSize, basePath);
  const violations = new ViolationLog();
  const onViolation = options.onViolation ?? 'error';
  if (onViolation !== 'error' && onViolation !== 'warn' && typeof onViolation !== 'function') {
    throw new TypeError(`onViolation must be 'error', 'warn' or a function (got ${JSON.stringify(onViolation)})`);
  }
  const strict = options.strict === true ? onViolation : undefined;
  if (strict !== undefined) preloadStrictRules();
  // The journal records a request even when the clock has left a Date's range (that request answers 500).
  const journalNow = (): number => {
    try {
      return clock.now();
    } catch {
      return Date.now();
    }
  };
  const observation: ObservationOptions = {
    basePath,
    journal,
    conditions,
    now: journalNow,
    strict,
    violations,
    latency: options.latency === undefined ? undefined : createLatencyPicker(options.latency, options.seed),
  };
  const observedHandler = (wait: (ms: number) => Promise<unknown>): TokensRequestHandler =>
    observeRequestHandler(requestHandler, observation, wait, false);
  const handle = createPlainHandler(observeRequestHandler(requestHandler, observation, sleep, true));

  const mock: TokensMockCore = {
    baseUrl,
    get faults() {
      return faultNames.filter((name) => faults.has(name));
    },
    fetch: async (request) => toFetchResponse(await handle(request)),
    handle,
    async defaultAccount() {
      // The first account of the current state (after restore(), the snapshot's first account).
      const svc = await service();
      // Atomic like every helper below: it may issue and record a new master token.
      return await svc.atomically((atomic) => accountCredentials(atomic, svc.parts.accounts.all()[0]!.username));
    },
    createAccount: (init) =>
      asHelperError(
        'createAccount',
        async () => {
          const draft = normalizeAccount(init);
          return (await service()).atomically((svc) => createAccount(svc, draft));
        },
        (error) => ({
          // The account rules (account-init.ts): a bad or taken username, or scopes outside the catalogue.
          argument: /scopes/i.test(error.message) ? 'init.scopes' : 'init.username',
          status: /already exists/.test(error.message) ? 409 : 422,
        }),
      ),
    issueToken: (username, init = {}) =>
      asHelperError(
        'issueToken',
        async () => {
          const { svc, found } = await account('issueToken', username);
          return await svc.atomically(async (atomic) => {
            const record = await createPermanentToken(atomic, username, accountAuthorizer(found), init);
            return presentToken(record, 'always') as TokenMetadata & { token: string };
          });
        },
        () => ({ argument: 'init', status: 422 }),
      ),
    issueTemporaryToken: (username, init) =>
      asHelperError(
        'issueTemporaryToken',
        async () => {
          const { svc, found } = await account('issueTemporaryToken', username);
          const expiresMs = init.expires === undefined ? clock.now() + 3600 * 1000 : parseExpires(init.expires);
          return await svc.atomically(async (atomic) => {
            const { token, claims } = await createTemporaryToken(atomic, username, accountAuthorizer(found), {
              expiresMs,
              scopes: init.scopes,
            });
            return presentTemporaryToken(token, claims);
          });
        },
        () => ({ argument: 'init.expires', status: 422 }),
      ),
    now: () => clock.now(),
    advanceTime: (ms) => clock.advance(ms),
    setTime: (instant) => clock.set(instant instanceof Date ? instant.getTime() : instant),
    async reset() {
      const resetting = afterPending().then(initialise);
      setReady(resetting);
      // Each test starts clean: its journal entries and violations are its own.
      journal.clear();
      violations.clear();
      mock.setFaults(initialFaults);
      await resetting;
    },
    snapshot() {
      if (current === undefined) throw new Error('The mock is still initialising: await a helper (e.g. defaultAccount()) first');
      return snapshotModel(current);
    },
    takeStateChanges() {
      if (current === undefined) return undefined;
      // takeResync(): a reverted operation's changes may be in the journal already (see undo-log.ts).
      if (journaled !== current || current.changes.takeResync()) {
        journaled = current;
        takeModelChanges(current);
        return { replaced: true };
      }
      return { replaced: false, ...takeModelChanges(current) };
    },
    async restore(state) {
      const previous = ready;
      const restoring = afterPending()
        .then(() => restoreModel(config, state))
        .then((model) => {
          current = model;
          return model;
        });
      // Keep serving the previous state when the snapshot is invalid.
      setReady(restoring.catch(() => previous));
      await restoring;
    },
    journal,
    violations,
    setFaults(names) {
      const next = toFaultSet(names);
      faults.clear();
      for (const name of next) faults.add(name);
      applyRuleFaults(rules, faults);
    },
  };
  return { mock, requestHandler, observedHandler };
}

/**
 * A mock of the Mapbox Tokens API without msw: the same mock as createTokensMock() minus
 * `handlers`, for servers, Playwright's page.route, or anything that takes a fetch function.
 * Synchronous: requests and helpers wait for initialisation.
 */
export function createTokensMockCore(options: TokensMockOptions = {}): TokensMockCore {
  return buildTokensMock(options).mock;
}
