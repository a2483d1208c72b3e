import { expectEqual, expectTrue } from '../assertions.ts';
import { defineCheck, type ContractCheck } from '../check.ts';

/** deleteToken: 204, revocation, not-found and scope refusals. */
export const deleteChecks: ContractCheck[] = [
  defineCheck({
    id: 'delete.revokes',
    description: 'DELETE answers 204 with an empty body and the token then retrieves as TokenRevoked',
    operation: 'deleteToken',
    tags: ['scenario', 'retrieveToken'],
    conditions: ['token-revoked'],
    owns: ['deleted'],
    documentation:
      'reference: Delete a token "HTTP 204 No Content"; Retrieve code `TokenRevoked` "The token\'s authorization has been deleted"',
    async run(ctx) {
      const deleted = await ctx.use('deleted');
      expectEqual(deleted.deleteResponse.status, 204, 'DELETE status');
      expectEqual(deleted.deleteResponse.text, '', 'DELETE body');
      const body = ctx.expectRetrieveCode(await ctx.api.retrieve(deleted.created.token), 'token-revoked');
      if (body.token !== undefined) {
        expectEqual(body.token['authorization'], deleted.created.id, 'revoked token authorization');
        expectEqual(body.token['user'], ctx.env.username, 'revoked token user');
      }
    },
  }),
  defineCheck({
    id: 'delete.token-not-found',
    description: 'deleting an already deleted token answers 404 Not Found',
    operation: 'deleteToken',
    tags: ['scenario'],
    conditions: ['token-not-found'],
    documentation: 'document: token-not-found (docs/sources.md gaps: presumed)',
    async run(ctx) {
      const deleted = await ctx.use('deleted');
      ctx.expectCondition(await ctx.api.remove(ctx.env.masterToken, deleted.created.id), 'token-not-found');
    },
  }),
  defineCheck({
    id: 'delete.missing-scope',
    description: 'a token without tokens:write cannot delete: 404 Not Found, and the token survives',
    operation: 'deleteToken',
    conditions: ['missing-scope'],
    documentation: 'reference errors table: `Not found` 404 (tokens:write to delete); observed `Not Found`',
    async run(ctx) {
      const sk = await ctx.use('sk');
      const scopeless = await ctx.use('scopeless');
      ctx.expectCondition(await ctx.api.remove(sk.token, scopeless.id), 'missing-scope');
      const body = ctx.expectRetrieveCode(await ctx.api.retrieve(scopeless.token), 'token-valid');
      expectTrue(body.code === 'TokenValid', 'the token survives a refused delete');
    },
  }),
  defineCheck({
    id: 'delete.default-token',
    description: 'the default token cannot be deleted: 422 (opt-in: writes to the default token)',
    operation: 'deleteToken',
    tags: ['default-token'],
    optIn: 'default-token',
    conditions: ['delete-default'],
    documentation: 'document: delete-default (mock choice; the dashboard refuses it)',
    async run(ctx) {
      const response = await ctx.writeToDefaultToken((id) => ctx.api.remove(ctx.env.masterToken, id));
      ctx.expectCondition(response, 'delete-default');
    },
  }),
];
