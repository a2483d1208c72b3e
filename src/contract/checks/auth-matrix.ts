import { defineCheck, type ContractCheck } from '../check.ts';
import type { CheckContext } from '../context.ts';
import { forgeSignature } from '../token-strings.ts';
import type { ApiResponse } from '../transport.ts';

/** The account operations whose authentication every condition is probed on (list has its own checks). */
const OPERATIONS = ['createToken', 'updateToken', 'deleteToken', 'listScopes'] as const;
type ProbedOperation = (typeof OPERATIONS)[number];

/**
 * Sends one request of `operation` with `token` for `username`. Update and delete name a
 * fabricated id (never a real token), so a server that wrongly accepts them changes nothing; a
 * wrongly accepted create is registered for cleanup by the client.
 */
async function send(
  ctx: CheckContext,
  operation: ProbedOperation | 'listTokens',
  token: string,
  username = ctx.env.username,
): Promise<ApiResponse> {
  const id = ctx.api.owned.fabricateId();
  switch (operation) {
    case 'listTokens':
      return ctx.api.list(token, [['limit', '1']], username);
    case 'createToken': {
      const response = await ctx.api.create(token, { note: ctx.api.owned.note('refused'), scopes: [] }, 'refused', username);
      // A token wrongly created in another account: delete it there (the final cleanup works on this account only).
      const id = (response.json as { id?: unknown } | undefined)?.id;
      if (username !== ctx.env.username && response.status === 200 && typeof id === 'string') await ctx.api.remove(token, id, username);
      return response;
    }
    case 'updateToken':
      return ctx.api.update(token, id, { note: ctx.api.owned.note('refused') }, username);
    case 'deleteToken':
      return ctx.api.remove(token, id, username);
    case 'listScopes':
      return ctx.api.scopes(token, username);
  }
}

interface MatrixRow {
  id: string;
  what: string;
  condition: string;
  documentation: string;
  tags?: string[];
  concurrent?: boolean;
  operations?: readonly (ProbedOperation | 'listTokens')[];
  /** The token to send and the username of the path, or the reason to skip the check. */
  setup(ctx: CheckContext): Promise<{ token: string; username?: string } | string>;
}

function matrixCheck(row: MatrixRow): ContractCheck {
  const operations = row.operations ?? OPERATIONS;
  return defineCheck({
    id: row.id,
    description: `${row.what} is refused on ${operations.join(', ')} with the documented ${row.condition} answer`,
    operation: undefined,
    tags: ['auth', 'auth-matrix', ...operations, ...(row.tags ?? [])],
    conditions: [row.condition],
    documentation: row.documentation,
    ...(row.concurrent ? { concurrent: true } : {}),
    async run(ctx) {
      const setup = await row.setup(ctx);
      if (typeof setup === 'string') return ctx.skip(setup);
      for (const operation of operations)
        ctx.expectCondition(await send(ctx, operation, setup.token, setup.username), row.condition, operation);
    },
  });
}

/** Every authentication and account condition on every operation (the auth.* checks probe list). */
export const authMatrixChecks: ContractCheck[] = [
  matrixCheck({
    id: 'auth.malformed-every-operation',
    what: 'a string that is not a token',
    condition: 'invalid-token',
    documentation: 'reference errors table: `Unauthorized` 401 "The token used in the query was not valid" (every operation)',
    async setup() {
      return { token: 'not-a-token' };
    },
  }),
  matrixCheck({
    id: 'auth.forged-every-operation',
    what: 'the master token with a forged signature',
    condition: 'invalid-token',
    documentation: 'reference: the signature is "used to verify the token has not been tampered with"; errors table `Unauthorized` 401',
    async setup(ctx) {
      return { token: forgeSignature(ctx.env.masterToken) };
    },
  }),
  matrixCheck({
    id: 'auth.revoked-every-operation',
    what: 'a deleted token',
    condition: 'revoked-token',
    tags: ['scenario'],
    documentation: 'reference: Delete "will revoke its authorization"; errors table `Unauthorized` 401 (every operation)',
    async setup(ctx) {
      return { token: (await ctx.use('deleted')).created.token };
    },
  }),
  matrixCheck({
    id: 'auth.expired-every-operation',
    what: 'an expired temporary token',
    condition: 'expired-token',
    tags: ['temporary', 'scenario', 'expiry'],
    concurrent: true,
    documentation: 'reference errors table: `Unauthorized` 401 "If a temporary token was used, it may be expired" (every operation)',
    async setup(ctx) {
      return { token: (await ctx.use('expiredTk')).token };
    },
  }),
  matrixCheck({
    id: 'auth.no-such-user-every-operation',
    what: 'an unknown username in the path',
    condition: 'no-such-user',
    documentation: 'reference errors table: `No such user` 404 "Check the username used in the query" (every operation)',
    async setup(ctx) {
      return { token: ctx.env.masterToken, username: `contract-test-nouser-${ctx.api.owned.runId}` };
    },
  }),
  matrixCheck({
    id: 'auth.other-user-every-operation',
    what: "another existing account's username in the path",
    condition: 'other-user',
    documentation: 'reference errors table: `Not found` 404 "a token is not associated with a user account" (every operation)',
    async setup(ctx) {
      const other = ctx.env.otherUsername;
      return other ? { token: ctx.env.masterToken, username: other } : "needs otherUsername (an existing account other than the token's)";
    },
  }),
  matrixCheck({
    id: 'auth.other-account-token',
    what: "another account's token on this account's routes",
    condition: 'other-user',
    operations: ['listTokens', ...OPERATIONS],
    tags: ['listTokens'],
    documentation: 'reference errors table: `Not found` 404 "a token is not associated with a user account"',
    async setup(ctx) {
      return ctx.env.otherToken ? { token: ctx.env.otherToken } : 'needs otherUsername and otherToken (--other-username, --other-token)';
    },
  }),
];
