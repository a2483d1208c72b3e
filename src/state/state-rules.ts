import type { Account } from '../model/accounts.ts';
import { base64UrlToBytes } from '../model/base64url.ts';
import { isDateTime } from './mock-clock.ts';
import { SIGNING_KEY_BYTES } from '../model/signing.ts';
import { STATE_FORMAT, STATE_FORMAT_V1, STATE_VERSION } from './state-schema.ts';
import { decodeClaims, splitToken } from '../model/token-codec.ts';
import type { StoredToken } from '../model/token-store.ts';

/** A state that cannot be used, with the path of the offending field (`tokens[3].created`). */
export class StateError extends TypeError {
  readonly path: string;
  readonly reason: string;

  constructor(path: string, reason: string) {
    super(`Invalid mock state: ${path}: ${reason}`);
    this.name = 'StateError';
    this.path = path;
    this.reason = reason;
  }
}

/** The parts of a version 2 state these rules read (the schema has checked their shapes). */
interface CheckedState {
  signingKey: string;
  accounts: readonly Account[];
  tokens: readonly StoredToken[];
  rateLimits: ReadonlyArray<{ username: string }>;
}

/**
 * The rules that relate records to each other, which a JSON Schema cannot say: ids and usernames
 * are unique, every token and rate-limit window belongs to an account, every account's default and
 * master tokens exist and are its own, token strings name their own record, and the key is long
 * enough to sign with. Throws the first StateError found.
 */
export function checkStateRules(state: CheckedState): void {
  const key = base64UrlToBytes(state.signingKey);
  if (key === undefined || key.length < SIGNING_KEY_BYTES)
    throw new StateError('signingKey', `not a base64url key of at least ${SIGNING_KEY_BYTES} bytes`);
  const accounts = new Map<string, number>();
  state.accounts.forEach((account, index) => {
    const first = accounts.get(account.username);
    if (first !== undefined) throw new StateError(`accounts[${index}].username`, `duplicate of accounts[${first}].username`);
    accounts.set(account.username, index);
  });
  const tokens = new Map<string, number>();
  state.tokens.forEach((token, index) => {
    const path = `tokens[${index}]`;
    const first = tokens.get(token.id);
    if (first !== undefined) throw new StateError(`${path}.id`, `duplicate of tokens[${first}].id`);
    tokens.set(token.id, index);
    if (!accounts.has(token.username)) throw new StateError(`${path}.username`, 'no such account');
    if (!isDateTime(token.created)) throw new StateError(`${path}.created`, 'not a date');
    if (!isDateTime(token.modified)) throw new StateError(`${path}.modified`, 'not a date');
    const split = splitToken(token.token);
    const decoded = split && decodeClaims(split);
    if (decoded === undefined || decoded.usage !== token.usage || decoded.claims.a !== token.id || decoded.claims.u !== token.username) {
      throw new StateError(`${path}.token`, `not the ${token.usage} token of ${token.username}'s token ${token.id}`);
    }
  });
  state.accounts.forEach((account, index) => {
    const path = `accounts[${index}]`;
    const own = (id: string): StoredToken | undefined => {
      const found = tokens.get(id);
      const token = found === undefined ? undefined : state.tokens[found];
      return token?.username === account.username ? token : undefined;
    };
    if (own(account.defaultTokenId)?.isDefault !== true)
      throw new StateError(`${path}.defaultTokenId`, 'not a default token of this account');
    if (own(account.masterTokenId)?.usage !== 'sk') throw new StateError(`${path}.masterTokenId`, 'not a secret token of this account');
  });
  state.rateLimits.forEach((window, index) => {
    if (!accounts.has(window.username)) throw new StateError(`rateLimits[${index}].username`, 'no such account');
  });
}

/** What a state object is: the current version, version 1 (to migrate), or neither (with the reason). */
export function stateVersionOf(state: unknown): 1 | 2 {
  if (typeof state !== 'object' || state === null || Array.isArray(state)) throw new StateError('state', 'not a JSON object');
  const { format, version } = state as { format?: unknown; version?: unknown };
  if (format === STATE_FORMAT_V1 && version === undefined) return 1;
  if (format !== STATE_FORMAT) throw new StateError('format', `not "${STATE_FORMAT}" (is this a tokens-mock state file?)`);
  if (version !== STATE_VERSION) {
    throw new StateError(
      'version',
      `${JSON.stringify(version)} is not a version this tokens-mock reads (it reads ${STATE_VERSION} and migrates 1); a newer tokens-mock may have written it`,
    );
  }
  return 2;
}

/**
 * Version 1 to 2: accounts gain the ids of their default and master tokens, found as version 1 found
 * them (the default token; the oldest secret token noted "Master token", else the oldest secret
 * token). A version 1 account without a secret token cannot be migrated: a StateError says which.
 */
export function migrateStateV1(state: Record<string, unknown>): Record<string, unknown> {
  const tokens = Array.isArray(state.tokens) ? (state.tokens as Array<Partial<StoredToken>>) : [];
  const accounts = Array.isArray(state.accounts) ? (state.accounts as Array<Record<string, unknown>>) : [];
  const oldestFirst = [...tokens].sort((a, b) => Number(a?.created) - Number(b?.created));
  const migrated = accounts.map((account, index) => {
    const mine = oldestFirst.filter((token) => token?.username === account?.username);
    const defaultToken = mine.find((token) => token.isDefault === true);
    const secret = mine.filter((token) => token.usage === 'sk');
    const master = secret.find((token) => token.note === 'Master token') ?? secret[0];
    if (defaultToken === undefined) throw new StateError(`accounts[${index}]`, 'version 1 account without a default token: cannot migrate');
    if (master === undefined) throw new StateError(`accounts[${index}]`, 'version 1 account without a secret token: cannot migrate');
    return { ...account, defaultTokenId: defaultToken.id, masterTokenId: master.id };
  });
  return { ...state, format: STATE_FORMAT, version: STATE_VERSION, accounts: migrated };
}
