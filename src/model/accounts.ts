import type { ChangeLog } from './change-log.ts';
import { ALL_SCOPE_IDS, isKnownScope, type ScopeInput } from './scopes.ts';
import type { UndoLog } from './undo-log.ts';

/** Accounts of a mock: a username and the scopes its tokens may hold. */
export interface AccountInit {
  username: string;
  /** Scopes the account may grant, from the catalogue (others are refused); default: every scope of the catalogue. */
  scopes?: ScopeInput[];
}

export interface Account {
  username: string;
  scopes: string[];
  /**
   * Ids of the account's default public token and master secret token. The account knows them by
   * id, never by note: renaming either token is an ordinary update (issue 14).
   */
  defaultTokenId: string;
  masterTokenId: string;
}

/** An account's name and scopes before its default and master tokens exist. */
export type AccountDraft = Pick<Account, 'username' | 'scopes'>;

export const DEFAULT_USERNAME = 'mockuser';

/** Usernames travel in paths and token payloads; keep them to a safe, URL-friendly alphabet. */
const USERNAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

export function normalizeAccount(init: AccountInit): AccountDraft {
  if (typeof init?.username !== 'string' || !USERNAME_PATTERN.test(init.username)) {
    throw new TypeError(`Invalid account username: ${JSON.stringify(init?.username)} (letters, digits, "_", "." and "-", at most 64)`);
  }
  const scopes = init.scopes ?? [...ALL_SCOPE_IDS];
  const unknown = scopes.filter((scope) => !isKnownScope(scope));
  if (unknown.length > 0) throw new TypeError(`Unknown scopes for account ${init.username}: ${unknown.join(', ')}`);
  return { username: init.username, scopes: [...new Set(scopes)] };
}

export interface AccountRegistry {
  get(username: string): Account | undefined;
  /** With `undo`, the inverse is pushed there (undo-log.ts), as for every write below. */
  add(account: Account, undo?: UndoLog): void;
  /** Records a new master token id (the previous master token was deleted and a new one issued). */
  setMasterTokenId(username: string, id: string, undo?: UndoLog): void;
  all(): Account[];
  clear(): void;
}

export function createAccountRegistry(changes?: ChangeLog): AccountRegistry {
  const accounts = new Map<string, Account>();
  return {
    get: (username) => accounts.get(username),
    add(account, undo) {
      if (accounts.has(account.username)) throw new TypeError(`Account ${account.username} already exists`);
      accounts.set(account.username, account);
      undo?.push('write', () => {
        if (accounts.get(account.username) === account) accounts.delete(account.username);
      });
      changes?.record({ account }, undo);
    },
    setMasterTokenId(username, id, undo) {
      const account = accounts.get(username);
      if (account === undefined) throw new TypeError(`No such account: ${username}`);
      const previous = account.masterTokenId;
      account.masterTokenId = id;
      undo?.push('write', () => {
        if (account.masterTokenId === id) account.masterTokenId = previous;
      });
      changes?.record({ account }, undo);
    },
    all: () => [...accounts.values()].map((account) => ({ ...account, scopes: [...account.scopes] })),
    clear: () => accounts.clear(),
  };
}
