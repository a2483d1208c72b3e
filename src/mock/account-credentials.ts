import type { AccountDraft } from '../model/accounts.ts';
import { accountAuthorizer } from '../model/authorization.ts';
import { createPermanentToken, createPermanentTokens } from '../model/issuing.ts';
import type { ModelContext } from '../model/model-context.ts';
import { PUBLIC_SCOPE_IDS } from '../model/scopes.ts';
import type { StoredToken } from '../model/token-store.ts';

// Accounts with their two tokens: creating one, and the credentials the mock offers for one. These
// are the mock's helpers (createAccount(), defaultAccount(), fixtures): over the Tokens API nobody
// creates an account, so they sit beside the mock, on top of the model's issuing rules.

export interface AccountCredentials {
  username: string;
  publicToken: string;
  secretToken: string;
  publicTokenId: string;
  secretTokenId: string;
}

/** The note of the secret token created with every account (only its initial note: users may rename it). */
const MASTER_TOKEN_NOTE = 'Master token';

function credentials(username: string, publicToken: StoredToken, secretToken: StoredToken): AccountCredentials {
  return {
    username,
    publicToken: publicToken.token,
    secretToken: secretToken.token,
    publicTokenId: publicToken.id,
    secretTokenId: secretToken.id,
  };
}

/** Adds an account with its default public token and its master secret token (all or nothing). */
export async function createAccount(context: ModelContext, draft: AccountDraft): Promise<AccountCredentials> {
  const { parts } = context;
  if (parts.accounts.get(draft.username) !== undefined) throw new TypeError(`Account ${draft.username} already exists`);
  const authorizer = accountAuthorizer(draft);
  const publicScopes = draft.scopes.filter((scope) => PUBLIC_SCOPE_IDS.includes(scope));
  const [publicToken, secretToken] = await createPermanentTokens(context, draft.username, authorizer, [
    { note: 'Default public token', scopes: publicScopes, isDefault: true },
    { note: MASTER_TOKEN_NOTE, scopes: draft.scopes },
  ]);
  parts.accounts.add({ ...draft, defaultTokenId: publicToken!.id, masterTokenId: secretToken!.id }, context.undo);
  return credentials(draft.username, publicToken!, secretToken!);
}

/**
 * Credentials of an existing account: its default token and its master token, found by the ids the
 * account records (their notes may have been changed). The default token cannot be deleted; when
 * the master token was, a new one is issued with the account's scopes and recorded, so the mock
 * always has a working secret token to offer.
 */
export async function accountCredentials(context: ModelContext, username: string): Promise<AccountCredentials> {
  const { parts } = context;
  const account = parts.accounts.get(username);
  if (account === undefined) throw new TypeError(`No such account: ${username}`);
  const publicToken = parts.store.get(account.defaultTokenId);
  if (publicToken === undefined) throw new Error(`Account ${username} has lost its default token ${account.defaultTokenId}`);
  let secretToken = parts.store.get(account.masterTokenId);
  if (secretToken === undefined || secretToken.username !== username) {
    secretToken = await createPermanentToken(context, username, accountAuthorizer(account), {
      note: MASTER_TOKEN_NOTE,
      scopes: account.scopes,
    });
    parts.accounts.setMasterTokenId(username, secretToken.id, context.undo);
  }
  return credentials(username, publicToken, secretToken);
}
