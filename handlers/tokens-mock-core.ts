// The mock without msw: everything createTokensMock() offers except `handlers`. Nothing here may
// import msw (not even its types), so a consumer that only needs fetch (the standalone server,
// Playwright's page.route) never loads it; create-tokens-mock.ts adds the msw handlers on top.
import type { Fixtures } from '../fixtures/types.ts';
import { DEFAULT_USERNAME, type AccountInit } from '../src/model/accounts.ts';
import { createClock, toInstantMs } from '../src/model/clock.ts';
import { ApiError } from '../src/model/errors.ts';
import { toFaultSet, type FaultName } from '../src/model/faults.ts';
import type { ApiErrorId } from '../src/model/errors.ts';
import { checkBodyField, checkBodyObject, checkKnownProperties } from '../src/model/request-validation.ts';
import { presentToken, type TokenMetadata } from '../src/model/presenters.ts';
import { DEFAULT_RATE_LIMIT, type RateLimitConfig } from '../src/model/rate-limiter.ts';
import { accountAuthorizer, type AccountCredentials, type TokensService } from '../src/model/service.ts';
import { createModel, restoreModel, snapshotModel, type MockState, type Model, type ModelConfig } from '../src/model/state.ts';
import { createPlainHandler, createRequestCore, type RequestCore } from './core.ts';
import { createLatencyPicker, sleep, type LatencyOption } from './latency.ts';
import { observeCore, type ObservationOptions } from './observed-core.ts';
import { toFetchResponse, type PlainRequest, type PlainResponse } from './plain-http.ts';
import { RequestJournal, type JournalEntry, type JournalExpectation, type JournalFilter } from './request-journal.ts';
import { preloadStrictRules, ViolationLog, type OnViolation, type StrictViolation } from './strict-mode.ts';
import { basePathOf } from './routes.ts';

export type { AccountCredentials, AccountInit, Fixtures, MockState, PlainRequest, PlainResponse, TokenMetadata };
export type { JournalEntry, JournalExpectation, JournalFilter, LatencyOption, OnViolation, RequestJournal, StrictViolation, ViolationLog };

export interface TokensMockOptions {
  /** Default 'https://api.mapbox.com'; a path prefix is allowed ('http://localhost/mapbox'). */
  baseUrl?: string;
  /** Deterministic signing key, ids and tokens (given the same clock, or the same `initialTime`). */
  seed?: number;
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
  faults?: readonly string[];
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
  scopes?: string[];
  allowedUrls?: string[];
}

export interface IssueTemporaryTokenInit {
  scopes: string[];
  /** Default: one hour from mock time. */
  expires?: Date | string;
}

/**
 * A mock of the Mapbox Tokens API without msw: for servers, Playwright's page.route, or anything
 * that takes a fetch function. `TokensMock` is this plus the msw `handlers`.
 */
export interface TokensMockCore {
  readonly baseUrl: string;
  /** The Tokens API routes as a fetch function, for any origin; 404 JSON when no route matches. */
  fetch(request: Request): Promise<Response>;
  /**
   * The same answers as fetch() without Fetch API objects: for servers and framework adapters.
   * Takes the method, absolute URL and body text of a request (a Fetch `Request` also fits) and
   * gives status, headers and body as plain data, 404 JSON when no route matches. An adapter that
   * writes this answer straight to its own response object skips building a Request and a Response
   * per request (under Node, a large share of a server's time) and the Fetch classes' first-use cost.
   */
  handle(request: PlainRequest): Promise<PlainResponse>;
  defaultAccount(): Promise<AccountCredentials>;
  createAccount(init: AccountInit): Promise<AccountCredentials>;
  issueToken(username: string, init?: IssueTokenInit): Promise<TokenMetadata & { token: string }>;
  issueTemporaryToken(username: string, init: IssueTemporaryTokenInit): Promise<string>;
  /** Mock time, epoch ms. */
  now(): number;
  advanceTime(ms: number): void;
  /**
   * Back to the initial state (same seed => same tokens, given the same clock or `initialTime`),
   * with the initial faults; empties the journal and the violations.
   */
  reset(): Promise<void>;
  /** The whole state as JSON; needs a settled mock (await any helper or request first). */
  snapshot(): MockState;
  restore(state: MockState): Promise<void>;
  /** The last requests answered (`journalSize`), with filters and the `expectOne()` assertion helper. */
  readonly journal: RequestJournal;
  /** What strict mode found (empty unless `strict`). */
  readonly violations: ViolationLog;
  /** The faults in effect now. */
  activeFaults(): FaultName[];
  /** Replaces the faults in effect (unknown names throw a TypeError and change nothing). */
  setFaults(names: readonly string[]): void;
}

/**
 * What the public factories are built from: the mock, and its request core (undefined for paths
 * outside the route table, so msw's unhandled-request strategy can apply). Internal: the package
 * entry exports neither this type nor buildTokensMock.
 */
export interface TokensMockParts {
  mock: TokensMockCore;
  requestCore: RequestCore;
  /** The request core with strict mode, latency and the journal, waiting with `wait` (msw's delay). */
  observedCore(wait: (ms: number) => Promise<unknown>): RequestCore;
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
export async function loadFixtures(service: TokensService, fixtures: Fixtures): Promise<void> {
  if (!Array.isArray(fixtures?.accounts)) throw new TypeError('fixtures.accounts must be an array');
  for (const fixture of fixtures.accounts) {
    if (service.parts.accounts.get(fixture.username) === undefined) {
      await service.createAccount({ username: fixture.username, ...(fixture.scopes && { scopes: fixture.scopes }) });
    }
    const authorizer = accountAuthorizer(service.parts.accounts.get(fixture.username)!);
    const tokens = fixture.tokens ?? [];
    // Refuse a bad fixture with its position; then create the whole account's tokens in one batch.
    for (const [index, token] of tokens.entries()) {
      try {
        // A fixture token has the shape of a create request body (it may come from a JSON file).
        const body = checkBodyObject(token);
        checkKnownProperties('createToken', body);
        for (const field of ['note', 'scopes', 'allowedUrls'] as const) if (field in body) checkBodyField('createToken', field, body[field]);
        service.checkPermanentTokenInit(token, authorizer);
      } catch (error) {
        if (error instanceof ApiError) {
          throw new TypeError(`Invalid fixture token ${index} of ${fixture.username}: ${error.message}`);
        }
        throw error;
      }
    }
    await service.createPermanentTokens(fixture.username, authorizer, tokens);
  }
}

function parseExpires(expires: Date | string): number {
  const ms = expires instanceof Date ? expires.getTime() : Date.parse(expires);
  if (!Number.isFinite(ms)) throw new TypeError(`Invalid expires: ${String(expires)}`);
  return ms;
}

/**
 * Builds a mock and its request core; both public factories (createTokensMockCore and
 * createTokensMock) go through here, so the mock is assembled in one place. Internal.
 */
export function buildTokensMock(options: TokensMockOptions = {}): TokensMockParts {
  const baseUrl = normalizeBaseUrl(options.baseUrl ?? DEFAULT_BASE_URL);
  const clock = createClock(options.clock ?? Date.now);
  const initialTimeMs = options.initialTime === undefined ? undefined : toInstantMs(options.initialTime, 'initialTime');
  const config: ModelConfig = {
    clock,
    rateLimit: normalizeRateLimit(options.rateLimit),
    ...(options.seed !== undefined && { seed: options.seed }),
  };
  // One mutable set shared by the request core and every model: setFaults() changes it in place.
  const faults = new Set<FaultName>(toFaultSet(options.faults));
  const initialFaults = [...faults];
  const accounts = options.accounts ?? [{ username: DEFAULT_USERNAME }];
  if (accounts.length === 0) throw new TypeError('accounts must list at least one account');

  let current: Model | undefined;
  const initialise = async (): Promise<Model> => {
    clock.offsetMs = 0;
    clock.heldAtMs = initialTimeMs;
    try {
      const model = await createModel(config);
      model.service.faults = faults;
      for (const account of accounts) await model.service.createAccount(account);
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

  const account = async (username: string) => {
    const svc = await service();
    const found = svc.parts.accounts.get(username);
    if (found === undefined) throw new Error(`No such account: ${username}`);
    return { svc, found };
  };

  const conditions = new WeakMap<PlainRequest, ApiErrorId>();
  const basePath = basePathOf(baseUrl);
  const requestCore = createRequestCore({
    basePath, service, faults, onCondition: (request, condition) => conditions.set(request, condition),
  });
  const journal = new RequestJournal(options.journalSize, basePath);
  const violations = new ViolationLog();
  const onViolation = options.onViolation ?? 'error';
  if (onViolation !== 'error' && onViolation !== 'warn' && typeof onViolation !== 'function') {
    throw new TypeError(`onViolation must be 'error', 'warn' or a function (got ${JSON.stringify(onViolation)})`);
  }
  const strict = options.strict === true ? onViolation : undefined;
  if (strict !== undefined) preloadStrictRules();
  const observation: ObservationOptions = {
    basePath, journal, conditions, now: () => clock.now(), strict, violations,
    latency: options.latency === undefined ? undefined : createLatencyPicker(options.latency, options.seed),
  };
  const observedCore = (wait: (ms: number) => Promise<unknown>): RequestCore => observeCore(requestCore, observation, wait, false);
  const handle = createPlainHandler(observeCore(requestCore, observation, sleep, true));

  const mock: TokensMockCore = {
    baseUrl,
    fetch: async (request) => toFetchResponse(await handle(request)),
    handle,
    async defaultAccount() {
      // The first account of the current state (after restore(), the snapshot's first account).
      const svc = await service();
      return svc.accountCredentials(svc.parts.accounts.all()[0]!.username);
    },
    async createAccount(init) {
      return (await service()).createAccount(init);
    },
    async issueToken(username, init = {}) {
      const { svc, found } = await account(username);
      const record = await svc.createPermanentToken(username, accountAuthorizer(found), init);
      return presentToken(record, 'always') as TokenMetadata & { token: string };
    },
    async issueTemporaryToken(username, init) {
      const { svc, found } = await account(username);
      const expiresMs = init.expires === undefined ? clock.now() + 3600 * 1000 : parseExpires(init.expires);
      return (await svc.createTemporaryToken(username, accountAuthorizer(found), { expiresMs, scopes: init.scopes })).token;
    },
    now: () => clock.now(),
    advanceTime: (ms) => clock.advance(ms),
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
    async restore(state) {
      const previous = ready;
      const restoring = afterPending().then(() => restoreModel(config, state)).then((model) => {
        model.service.faults = faults;
        current = model;
        return model;
      });
      // Keep serving the previous state when the snapshot is invalid.
      setReady(restoring.catch(() => previous));
      await restoring;
    },
    journal,
    violations,
    activeFaults: () => [...faults],
    setFaults(names) {
      const next = toFaultSet(names);
      faults.clear();
      for (const name of next) faults.add(name);
    },
  };
  return { mock, requestCore, observedCore };
}

/**
 * A mock of the Mapbox Tokens API without msw: the same mock as createTokensMock() minus
 * `handlers`, for servers, Playwright's page.route, or anything that takes a fetch function.
 * Synchronous: requests and helpers wait for initialisation.
 */
export function createTokensMockCore(options: TokensMockOptions = {}): TokensMockCore {
  return buildTokensMock(options).mock;
}
