import type { HttpHandler } from 'msw';
import type { Fixtures } from '../fixtures/types.ts';
import { DEFAULT_USERNAME, type AccountInit } from '../src/model/accounts.ts';
import { createClock } from '../src/model/clock.ts';
import { ApiError } from '../src/model/errors.ts';
import { toFaultSet } from '../src/model/faults.ts';
import { checkBodyField, checkBodyObject, checkKnownProperties } from '../src/model/request-validation.ts';
import { presentToken, type TokenMetadata } from '../src/model/presenters.ts';
import { DEFAULT_RATE_LIMIT, type RateLimitConfig } from '../src/model/rate-limiter.ts';
import { accountAuthorizer, type AccountCredentials, type TokensService } from '../src/model/service.ts';
import { createModel, restoreModel, snapshotModel, type MockState, type Model, type ModelConfig } from '../src/model/state.ts';
import { createFetchHandler, createRequestCore } from './core.ts';
import { createMswHandlers } from './msw-handlers.ts';
import { basePathOf } from './routes.ts';

export type { AccountCredentials, AccountInit, Fixtures, MockState, TokenMetadata };

export interface TokensMockOptions {
  /** Default 'https://api.mapbox.com'; a path prefix is allowed ('http://localhost/mapbox'). */
  baseUrl?: string;
  /** Deterministic signing key, ids and tokens (given the same clock). */
  seed?: number;
  /** Default [{ username: 'mockuser' }]; each account gets a default pk and a "Master token" sk. */
  accounts?: AccountInit[];
  /** Accounts and tokens to load after `accounts` (see fixtures/). */
  fixtures?: Fixtures;
  /** Epoch ms; default Date.now. advanceTime() adds an offset on top. */
  clock?: () => number;
  /** Default { limit: 100, intervalSeconds: 60 }; false turns rate limiting off. */
  rateLimit?: { limit?: number; intervalSeconds?: number } | false;
  /**
   * Fault injection (names from `faultNames`/`FAULTS`): each breaks one documented behaviour, to
   * test a client or a contract suite against a misbehaving API. Unknown names throw a TypeError.
   */
  faults?: readonly string[];
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

export interface TokensMock {
  readonly baseUrl: string;
  /** msw request handlers (msw >= 2.12.10 and 3.x), one per route path. */
  readonly handlers: HttpHandler[];
  /** The same routes without msw, for any origin; 404 JSON when no route matches. */
  fetch(request: Request): Promise<Response>;
  defaultAccount(): Promise<AccountCredentials>;
  createAccount(init: AccountInit): Promise<AccountCredentials>;
  issueToken(username: string, init?: IssueTokenInit): Promise<TokenMetadata & { token: string }>;
  issueTemporaryToken(username: string, init: IssueTemporaryTokenInit): Promise<string>;
  /** Mock time, epoch ms. */
  now(): number;
  advanceTime(ms: number): void;
  /** Back to the initial state (same seed => same tokens, given the same clock). */
  reset(): Promise<void>;
  /** The whole state as JSON; needs a settled mock (await any helper or request first). */
  snapshot(): MockState;
  restore(state: MockState): Promise<void>;
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

/** A mock of the Mapbox Tokens API. Synchronous: requests and helpers wait for initialisation. */
export function createTokensMock(options: TokensMockOptions = {}): TokensMock {
  const baseUrl = normalizeBaseUrl(options.baseUrl ?? DEFAULT_BASE_URL);
  const clock = createClock(options.clock ?? Date.now);
  const config: ModelConfig = {
    clock,
    rateLimit: normalizeRateLimit(options.rateLimit),
    ...(options.seed !== undefined && { seed: options.seed }),
  };
  const faults = toFaultSet(options.faults);
  const accounts = options.accounts ?? [{ username: DEFAULT_USERNAME }];
  if (accounts.length === 0) throw new TypeError('accounts must list at least one account');

  let current: Model | undefined;
  const initialise = async (): Promise<Model> => {
    clock.offsetMs = 0;
    const model = await createModel(config);
    model.service.faults = faults;
    for (const account of accounts) await model.service.createAccount(account);
    if (options.fixtures !== undefined) await loadFixtures(model.service, options.fixtures);
    current = model;
    return model;
  };
  let ready = initialise();
  // An initialisation error surfaces on first use; don't let it become an unhandled rejection meanwhile.
  ready.catch(() => undefined);
  const service = async (): Promise<TokensService> => (await ready).service;

  const account = async (username: string) => {
    const svc = await service();
    const found = svc.parts.accounts.get(username);
    if (found === undefined) throw new Error(`No such account: ${username}`);
    return { svc, found };
  };

  const core = createRequestCore({ basePath: basePathOf(baseUrl), service, faults });

  return {
    baseUrl,
    handlers: createMswHandlers(baseUrl, core),
    fetch: createFetchHandler(core),
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
      ready = initialise();
      await ready;
    },
    snapshot() {
      if (current === undefined) throw new Error('The mock is still initialising: await a helper (e.g. defaultAccount()) first');
      return snapshotModel(current);
    },
    async restore(state) {
      const restoring = restoreModel(config, state).then((model) => {
        model.service.faults = faults;
        current = model;
        return model;
      });
      // Keep serving the previous state when the snapshot is invalid.
      await restoring;
      ready = restoring;
    },
  };
}
