import { expectTrue } from '../assertions.ts';
import { defineCheck, type ContractCheck } from '../check.ts';

/** listScopes. */
export const scopesChecks: ContractCheck[] = [
  defineCheck({
    id: 'scopes.list',
    description: 'GET /scopes/v1/{username} lists scopes with ids, descriptions and public: true on public ones only',
    operation: 'listScopes',
    tags: ['scenario'],
    owns: ['account'],
    documentation: 'reference: List scopes (id, description, public)',
    async run(ctx) {
      const account = await ctx.use('account');
      ctx.expectSuccess(account.scopesResponse, 200, 'ScopeList');
      const ids = account.catalogue.map((entry) => entry.id);
      expectTrue(ids.includes('scopes:list'), 'the scope list lacks scopes:list (held by the token that listed it)');
      expectTrue(ids.includes('tokens:write') && ids.includes('tokens:read'), 'the scope list lacks tokens:read or tokens:write');
      const secretMarkedPublic = account.catalogue.filter((entry) => entry.id.startsWith('tokens:') && entry.public === true);
      expectTrue(secretMarkedPublic.length === 0, 'tokens:* scopes are marked public');
      expectTrue(
        account.catalogue.some((entry) => entry.public === true),
        'no scope is marked public',
      );
    },
  }),
  defineCheck({
    id: 'scopes.missing-scope',
    description: 'a token without scopes:list cannot list scopes: 404 Not Found',
    operation: 'listScopes',
    conditions: ['missing-scope'],
    documentation: 'reference: List scopes needs `scopes:list`; errors table `Not found` 404 (observed `Not Found`)',
    async run(ctx) {
      const pk = await ctx.use('pk');
      ctx.expectCondition(await ctx.api.scopes(pk.token), 'missing-scope');
    },
  }),
];
