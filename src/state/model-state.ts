import { createAccountRegistry, type Account } from '../model/accounts.ts';
import type { StateChange } from '../model/change-recorder.ts';
import { ChangeLog } from './change-log.ts';
import { isDateTime } from './mock-clock.ts';
import { base64UrlToBytes, bytesToBase64Url } from '../model/base64url.ts';
import type { MockClock } from './mock-clock.ts';
import { createIdGenerator } from '../model/ids.ts';
import { createSeededRandom, type RandomSource } from '../model/random.ts';
import { createUnseededRandom, seedMaterial, type Seed } from './seed.ts';
import { createRateLimiter, type RateLimitConfig, type RateWindow } from '../model/rate-limiter.ts';
import type { ModelRules } from '../model/rules.ts';
import { TokensService } from '../model/service.ts';
import { SIGNING_KEY_BYTES } from '../model/signing.ts';
import { createCachingSigner, randomSigningKey } from './signer.ts';
import { checkStateRules, migrateStateV1, StateError, stateVersionOf } from './state-rules.ts';
import { STATE_FORMAT, STATE_VERSION } from './state-schema.ts';
import { isKnownScope } from '../model/scopes.ts';
import { splitToken, verifyTokenSignature } from '../model/token-codec.ts';
import { TokenStore, type StoredToken } from '../model/token-store.ts';
import { isStoredTokenRecord } from './stored-token-record.ts';

/**
 * The whole state of a mock as JSON: what snapshot() returns and restore() / --state accept. Its
 * JSON Schema is STATE_SCHEMA (state-schema.ts); version 1 states are migrated on restore.
 */
export interface MockState {
  format: typeof STATE_FORMAT;
  version: typeof STATE_VERSION;
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

export interface ModelConfig {
  seed?: Seed;
  /** Shared by successive models of one mock (reset/restore keep the same clock object). */
  clock: MockClock;
  rateLimit: RateLimitConfig | false;
  /** The rules the model's operations apply; default API_RULES (rules.ts). */
  rules?: ModelRules;
}

export interface Model {
  service: TokensService;
  random: RandomSource;
  /** Record changes of this model, for a journal (see takeModelChanges). */
  changes: ChangeLog;
  /** The mock's clock (ModelConfig.clock), whose offset snapshots keep. */
  clock: MockClock;
}

/** What changed in a model since the last call, with the counters a journal record restores. */
export interface ModelChanges {
  changes: StateChange[];
  ids: { counter: number; fingerprint: string };
  randomState: number | null;
  timeOffsetMs: number;
}

/** Takes the model's recorded changes (and starts recording, on the first call). */
export function takeModelChanges(model: Model): ModelChanges {
  model.changes.start();
  const { parts } = model.service;
  return {
    changes: model.changes.take(),
    ids: { counter: parts.ids.counter, fingerprint: parts.ids.fingerprint },
    randomState: model.random.state() ?? null,
    timeOffsetMs: model.clock.offsetMs,
  };
}

/** A fresh, empty model (no accounts yet). */
export async function createModel(config: ModelConfig): Promise<Model> {
  const seeded = config.seed === undefined ? undefined : await seedMaterial(config.seed, SIGNING_KEY_BYTES);
  const random = seeded === undefined ? createUnseededRandom() : createSeededRandom(seeded.randomState);
  return assembleModel(config, seeded === undefined ? randomSigningKey() : seeded.key, random);
}

/** A model with empty records over the given key and random source (and the id counter, if given). */
async function assembleModel(
  config: ModelConfig,
  key: Uint8Array,
  random: RandomSource,
  ids?: { counter: number; fingerprint: string },
): Promise<Model> {
  const changes = new ChangeLog();
  const service = new TokensService(
    {
      clock: config.clock,
      signer: await createCachingSigner(key),
      ids: createIdGenerator(random, ids),
      accounts: createAccountRegistry(changes),
      store: new TokenStore(changes),
      rateLimiter: createRateLimiter(config.rateLimit),
      changes,
    },
    config.rules,
  );
  return { service, random, changes, clock: config.clock };
}

export function snapshotModel(model: Model): MockState {
  const { parts } = model.service;
  return structuredClone({
    format: STATE_FORMAT,
    version: STATE_VERSION,
    signingKey: bytesToBase64Url(parts.signer.keyBytes),
    timeOffsetMs: model.clock.offsetMs,
    randomState: model.random.state() ?? null,
    ids: { counter: parts.ids.counter, fingerprint: parts.ids.fingerprint },
    accounts: parts.accounts.all(),
    tokens: parts.store.all().map((record) => ({ ...record })),
    rateLimits: parts.rateLimiter.windows(),
  });
}

/**
 * The shapes restoreModel relies on, for states that did not pass through the JSON Schema (a
 * state handed to mock.restore() in a browser); tokens-mock validates files with STATE_SCHEMA and
 * Ajv first, which names the offending field more precisely.
 */
function checkStateShape(state: Record<string, unknown>): asserts state is Record<string, unknown> & MockState {
  const isArray = (name: string): void => {
    if (!Array.isArray(state[name])) throw new StateError(name, 'not an array');
  };
  isArray('accounts');
  isArray('tokens');
  isArray('rateLimits');
  if (typeof state.signingKey !== 'string') throw new StateError('signingKey', 'not a string');
  if (!Number.isSafeInteger(state.timeOffsetMs)) throw new StateError('timeOffsetMs', 'not an integer');
  if (
    state.randomState !== null &&
    !(Number.isInteger(state.randomState) && (state.randomState as number) >= 0 && (state.randomState as number) < 2 ** 32)
  ) {
    throw new StateError('randomState', 'not a 32-bit unsigned integer or null');
  }
  const ids = state.ids as { counter?: unknown; fingerprint?: unknown } | null;
  if (!Number.isSafeInteger(ids?.counter) || (ids!.counter as number) < 0)
    throw new StateError('ids.counter', 'not a non-negative integer');
  if (typeof ids!.fingerprint !== 'string' || !/^[0-9a-z]{4}$/.test(ids!.fingerprint))
    throw new StateError('ids.fingerprint', 'not 4 base36 characters');
  if ((state.accounts as unknown[]).length === 0) throw new StateError('accounts', 'at least one account is required');
  (state.accounts as unknown[]).forEach((account, index) => {
    const { username, scopes, defaultTokenId, masterTokenId } = (account ?? {}) as Record<string, unknown>;
    if (typeof username !== 'string') throw new StateError(`accounts[${index}].username`, 'not a string');
    if (!Array.isArray(scopes) || !scopes.every(isKnownScope))
      throw new StateError(`accounts[${index}].scopes`, 'not a list of known scopes');
    if (typeof defaultTokenId !== 'string') throw new StateError(`accounts[${index}].defaultTokenId`, 'not a string');
    if (typeof masterTokenId !== 'string') throw new StateError(`accounts[${index}].masterTokenId`, 'not a string');
  });
  (state.tokens as unknown[]).forEach((token, index) => {
    if (!isStoredTokenRecord(token)) throw new StateError(`tokens[${index}]`, 'not a stored token record');
    if (!token.scopes.every(isKnownScope)) throw new StateError(`tokens[${index}].scopes`, 'not a list of known scopes');
  });
  (state.rateLimits as unknown[]).forEach((window, index) => {
    const { username, windowStartMs, count } = (window ?? {}) as Record<string, unknown>;
    if (typeof username !== 'string' || !isDateTime(windowStartMs as number) || !Number.isSafeInteger(count)) {
      throw new StateError(`rateLimits[${index}]`, 'not a rate-limit window');
    }
  });
}

/**
 * A state in the current version, checked: version 1 is migrated, then shapes and the cross-record
 * rules. Throws a StateError naming the offending field. Does not change `input`.
 */
export function upgradeState(input: unknown): MockState {
  let state = input as Record<string, unknown>;
  if (stateVersionOf(input) === 1) state = migrateStateV1(state);
  checkStateShape(state);
  checkStateRules(state);
  return state;
}

/**
 * Rebuilds a model from a snapshot; the clock source and rate-limit config come from the mock's
 * options. All or nothing: the clock's offset is only changed once everything else was accepted.
 */
export async function restoreModel(config: ModelConfig, input: unknown): Promise<Model> {
  const state = upgradeState(input);
  const offsetMs = state.timeOffsetMs;
  const random = state.randomState === null ? createUnseededRandom() : createSeededRandom(state.randomState);
  const model = await assembleModel(config, base64UrlToBytes(state.signingKey)!, random, state.ids);
  const { service } = model;
  await service.parts.store.insertMany(state.tokens);
  for (const [index, account] of state.accounts.entries()) {
    // The tokens the mock hands out must verify under the key: a key that does not match them
    // (a truncated or replaced key) would make the printed master token useless.
    for (const field of ['defaultTokenId', 'masterTokenId'] as const) {
      const split = splitToken(service.parts.store.get(account[field])!.token)!;
      if (!(await verifyTokenSignature(service.parts.signer, split))) {
        throw new StateError(`accounts[${index}].${field}`, 'its token string does not verify with signingKey');
      }
    }
    const { username, scopes, defaultTokenId, masterTokenId } = account;
    service.parts.accounts.add({ username, scopes: [...scopes], defaultTokenId, masterTokenId });
  }
  service.parts.rateLimiter.load(state.rateLimits);
  try {
    config.clock.setOffset(offsetMs, 'timeOffsetMs');
  } catch (error) {
    throw new StateError('timeOffsetMs', (error as Error).message);
  }
  return model;
}
