import type { AccountDraft } from '../model/accounts.ts';
import { ALL_SCOPE_IDS, isKnownScope, type ScopeInput } from '../model/scopes.ts';

// The accounts a mock is given (its options, fixtures and createAccount()): checked and completed
// here, before the model creates them. Over the Tokens API nobody creates an account.

/** An account of a mock: a username and the scopes its tokens may hold. */
export interface AccountInit {
  username: string;
  /** Scopes the account may grant, from the catalogue (others are refused); default: every scope of the catalogue. */
  scopes?: ScopeInput[];
}

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
