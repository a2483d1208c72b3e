import type { ChangeRecorder } from './change-recorder.ts';
import type { UndoLog } from './undo-log.ts';

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

export interface AccountRegistry {
  get(username: string): Account | undefined;
  /** With `undo`, the inverse is pushed there (undo-log.ts), as for every write below. */
  add(account: Account, undo?: UndoLog): void;
  /** Records a new master token id (the previous master token was deleted and a new one issued). */
  setMasterTokenId(username: string, id: string, undo?: UndoLog): void;
  all(): Account[];
  clear(): void;
}

export function createAccountRegistry(changes?: ChangeRecorder): AccountRegistry {
  const accounts = new Map<string, Account>();
  return {
    get: (username) => accounts.get(username),
    add(account, undo) {
      // Stryker disable next-line StringLiteral: [unreachable] accounts are added by the mock's helpers, never by a request
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
