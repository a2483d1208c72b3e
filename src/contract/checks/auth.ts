import { expectTrue } from '../assertions.ts';
import { defineCheck, type ContractCheck } from '../check.ts';
import { abortableSleep } from '../sleep.ts';
import { forgeSignature } from '../token-strings.ts';
import { operationPath } from '../../generated/api-tables.ts';

/** Authentication and account resolution (check order steps 2, 3, 5 and 6), probed on listTokens. */
export const authChecks: ContractCheck[] = [
  defineCheck({
    id: 'auth.missing-token',
    description: 'a request without access_token is refused with 401 Unauthorized',
    operation: 'listTokens',
    tags: ['auth'],
    conditions: ['missing-token'],
    documentation: 'reference errors table: `Unauthorized` 401 "no token was used in the query"',
    async run(ctx) {
      ctx.expectCondition(
        await ctx.api.call({ method: 'GET', path: operationPath('listTokens', { username: ctx.env.username }) }),
        'missing-token',
      );
    },
  }),
  defineCheck({
    id: 'auth.missing-token-every-operation',
    description: 'create, update, delete and list scopes without access_token are refused with 401 Unauthorized',
    operation: undefined,
    tags: ['auth', 'createToken', 'updateToken', 'deleteToken', 'listScopes'],
    conditions: ['missing-token'],
    documentation: 'reference errors table: `Unauthorized` 401 "no token was used in the query" (every authenticated operation)',
    async run(ctx) {
      const username = ctx.env.username;
      const id = ctx.api.owned.fabricateId();
      const requests = [
        { operation: 'createToken', init: { method: 'POST', path: operationPath('createToken', { username }), body: { scopes: [] } } },
        {
          operation: 'updateToken',
          init: { method: 'PATCH', path: operationPath('updateToken', { username, token_id: id }), body: { note: 'x' } },
        },
        { operation: 'deleteToken', init: { method: 'DELETE', path: operationPath('deleteToken', { username, token_id: id }) } },
        { operation: 'listScopes', init: { method: 'GET', path: operationPath('listScopes', { username }) } },
      ];
      for (const { operation, init } of requests) {
        const response = await ctx.api.call(init);
        // A server that wrongly accepts the create made a token: register it for cleanup.
        if (init.method === 'POST' && response.status === 200) await ctx.api.registerCreated(response, 'refused');
        ctx.expectCondition(response, 'missing-token', operation);
      }
    },
  }),
  defineCheck({
    id: 'auth.empty-token',
    description: 'an empty access_token is refused like a missing one (401 Unauthorized)',
    operation: 'listTokens',
    tags: ['auth'],
    conditions: ['missing-token'],
    documentation: 'reference errors table: `Unauthorized` 401; decisions: missing or empty',
    async run(ctx) {
      ctx.expectCondition(await ctx.api.list(''), 'missing-token');
    },
  }),
  defineCheck({
    id: 'auth.forged-signature',
    description: 'the master token with a forged signature is refused with 401 Unauthorized',
    operation: 'listTokens',
    tags: ['auth'],
    conditions: ['invalid-token'],
    documentation: 'reference errors table: `Unauthorized` 401 "The token used in the query was not valid"',
    async run(ctx) {
      ctx.expectCondition(await ctx.api.list(forgeSignature(ctx.env.masterToken)), 'invalid-token');
    },
  }),
  defineCheck({
    id: 'auth.garbage-token',
    description: 'a token string that is not a token at all is refused with 401 Unauthorized',
    operation: 'listTokens',
    tags: ['auth'],
    conditions: ['invalid-token'],
    documentation: 'reference errors table: `Unauthorized` 401 "The token used in the query was not valid"',
    async run(ctx) {
      ctx.expectCondition(await ctx.api.list('not-a-token'), 'invalid-token');
    },
  }),
  defineCheck({
    id: 'auth.expired-token',
    description: 'a temporary token is refused with 401 Unauthorized once it has really expired',
    operation: 'listTokens',
    tags: ['auth', 'temporary', 'scenario', 'expiry'],
    conditions: ['expired-token'],
    documentation: 'reference errors table: `Unauthorized` 401 "If a temporary token was used, it may be expired"',
    concurrent: true,
    async run(ctx) {
      const expired = await ctx.use('expiredTk');
      let response = await ctx.api.list(expired.token);
      // A server clock a little behind ours: give the expiry one more second.
      if (response.status === 200) {
        await abortableSleep(1500);
        response = await ctx.api.list(expired.token);
      }
      ctx.expectCondition(response, 'expired-token');
    },
  }),
  defineCheck({
    id: 'auth.revoked-token',
    description: 'a deleted token is refused with 401 Unauthorized',
    operation: 'listTokens',
    tags: ['auth', 'deleteToken', 'scenario'],
    conditions: ['revoked-token'],
    documentation: 'reference: Delete "will revoke its authorization"; errors table `Unauthorized` 401',
    async run(ctx) {
      const deleted = await ctx.use('deleted');
      ctx.expectCondition(await ctx.api.list(deleted.created.token), 'revoked-token');
    },
  }),
  defineCheck({
    id: 'auth.no-such-user',
    description: 'an unknown username in the path answers 404 No such user',
    operation: 'listTokens',
    tags: ['auth'],
    conditions: ['no-such-user'],
    documentation: 'reference errors table: `No such user` 404 "Check the username used in the query"',
    async run(ctx) {
      const unknown = `contract-test-nouser-${ctx.api.owned.runId}`;
      ctx.expectCondition(await ctx.api.list(ctx.env.masterToken, undefined, unknown), 'no-such-user');
    },
  }),
  defineCheck({
    id: 'auth.other-user',
    description: "another existing account's username answers 404 Not Found",
    operation: 'listTokens',
    tags: ['auth'],
    conditions: ['other-user'],
    documentation: 'reference errors table: `Not found` 404 "a token is not associated with a user account" (observed `Not Found`)',
    async run(ctx) {
      const other = ctx.env.otherUsername;
      if (!other) return ctx.skip("needs otherUsername (an existing account other than the token's)");
      ctx.expectCondition(await ctx.api.list(ctx.env.masterToken, undefined, other), 'other-user');
    },
  }),
  defineCheck({
    id: 'auth.temporary-token-authenticates',
    description: "a temporary token holding tokens:read can list the account's tokens",
    operation: 'listTokens',
    tags: ['auth', 'temporary', 'scenario'],
    documentation: 'reference: a temporary token carries its scopes in its payload; tk may create tk with tokens:write',
    async run(ctx) {
      const tk = await ctx.use('tk');
      const body = ctx.expectSuccess(await ctx.api.list(tk.token, [['limit', '1']]), 200, 'TokenList');
      expectTrue(Array.isArray(body), 'list answered with a non-array');
    },
  }),
];
