import { createAccountRegistry, type Account } from './accounts.ts';
import { base64UrlToBytes, bytesToBase64Url } from './base64url.ts';
import type { MockClock } from './clock.ts';
import { createIdGenerator } from './ids.ts';
import { createSeededRandom, createUnseededRandom, randomBytes, type RandomSource } from './random.ts';
import { createRateLimiter, type RateLimitConfig, type RateWindow } from './rate-limiter.ts';
import { TokensService } from './service.ts';
import { createSigner, randomSigningKey, SIGNING_KEY_BYTES } from './signing.ts';
import { storedTokenSchema, TokenStore, type StoredToken } from './token-store.ts';

/** The whole state of a mock as JSON: what snapshot() returns and restore() / --state accept. */
export interface MockState {
  format: 'mapbox-tokens-mock/state@1';
  /** Signing key, base64url (tokens issued before the snapshot still verify after restore). */
  signingKey: string;
  timeOffsetMs: number;
  /** PRNG state when the mock is seeded, so ids continue the same sequence. */
  randomState: number | null;
  ids: { counter: number; fingerprint: string };
  accounts: Account[];
  tokens: StoredToken[];
  rateLimits: RateWindow[];
}

export const MOCK_STATE_FORMAT = 'mapbox-tokens-mock/state@1';

export interface ModelConfig {
  seed?: number;
  /** Shared by successive models of one mock (reset/restore keep the same clock object). */
  clock: MockClock;
  rateLimit: RateLimitConfig | false;
}

export interface Model {
  service: TokensService;
  random: RandomSource;
}

/** A fresh, empty model (no accounts yet). */
export async function createModel(config: ModelConfig): Promise<Model> {
  const random = config.seed === undefined ? createUnseededRandom() : createSeededRandom(config.seed);
  const key = config.seed === undefined ? randomSigningKey() : randomBytes(random, SIGNING_KEY_BYTES);
  const service = new TokensService({
    clock: config.clock,
    signer: await createSigner(key),
    ids: createIdGenerator(random),
    accounts: createAccountRegistry(),
    store: new TokenStore(),
    rateLimiter: createRateLimiter(config.rateLimit),
  });
  return { service, random };
}

export function snapshotModel(model: Model): MockState {
  const { parts } = model.service;
  return structuredClone({
    format: MOCK_STATE_FORMAT,
    signingKey: bytesToBase64Url(parts.signer.keyBytes),
    timeOffsetMs: parts.clock.offsetMs,
    randomState: model.random.state() ?? null,
    ids: { counter: parts.ids.counter, fingerprint: parts.ids.fingerprint },
    accounts: parts.accounts.all(),
    tokens: parts.store.all().map((record) => ({ ...record })),
    rateLimits: parts.rateLimiter.windows(),
  });
}

function invalidState(reason: string): never {
  throw new TypeError(`Invalid mock state: ${reason}`);
}

/** Rebuilds a model from a snapshot; the clock source and rate-limit config come from the mock's options. */
export async function restoreModel(config: ModelConfig, state: MockState): Promise<Model> {
  if (state?.format !== MOCK_STATE_FORMAT) invalidState(`format must be "${MOCK_STATE_FORMAT}"`);
  const key = base64UrlToBytes(state.signingKey);
  if (key === undefined || key.length === 0) invalidState('signingKey is not base64url');
  if (!Array.isArray(state.accounts) || !Array.isArray(state.tokens)) invalidState('accounts and tokens must be arrays');
  if (state.accounts.length === 0) invalidState('at least one account is required');
  const random = state.randomState === null ? createUnseededRandom() : createSeededRandom(state.randomState);
  const service = new TokensService({
    clock: config.clock,
    signer: await createSigner(key),
    ids: createIdGenerator(random, state.ids),
    accounts: createAccountRegistry(),
    store: new TokenStore(),
    rateLimiter: createRateLimiter(config.rateLimit),
  });
  for (const account of state.accounts) service.parts.accounts.add({ username: account.username, scopes: [...account.scopes] });
  for (const token of state.tokens) {
    const checked = storedTokenSchema['~standard'].validate(token);
    if ('issues' in checked && checked.issues) invalidState(`token ${JSON.stringify((token as { id?: unknown })?.id)} is malformed`);
    await service.parts.store.insert(token);
  }
  service.parts.rateLimiter.load(state.rateLimits ?? []);
  config.clock.offsetMs = Number(state.timeOffsetMs) || 0;
  return { service, random };
}
