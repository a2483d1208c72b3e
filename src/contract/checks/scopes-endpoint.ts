import { expectEqual, expectTrue } from '../assertions.ts';
import { defineCheck, type ContractCheck } from '../check.ts';
import type { ScopeEntry } from '../preconditions.ts';
import { createOwned, type Item } from './expectations.ts';

/** List scopes beyond its happy path: the scope it needs, what it lists, and what its flags mean. */
export const scopesEndpointChecks: ContractCheck[] = [
  defineCheck({
    id: 'scopes.required-scope',
    description:
      'a token holding only scopes:list lists every scope of the account (the same list as the master token); a token without scopes:list gets 404',
    operation: 'listScopes',
    tags: ['scenario'],
    conditions: ['missing-scope'],
    documentation: 'reference: List scopes needs `scopes:list`; "All potential scopes a user has access to are listed."',
    async run(ctx) {
      const account = await ctx.use('account');
      const writer = await ctx.use('writer');
      const lister = await createOwned(ctx, 'scopes lister', { scopes: ['scopes:list'] });
      const response = await ctx.api.scopes(String(lister['token']));
      const listed = ctx.expectSuccess(response, 200, 'ScopeList') as ScopeEntry[];
      const summary = (entries: ScopeEntry[]): string[] =>
        entries.map((entry) => `${entry.id}${entry.public === true ? ' (public)' : ''}`).sort();
      expectEqual(
        summary(listed),
        summary(account.catalogue),
        'scopes listed for a token holding only scopes:list versus the master token',
      );
      ctx.expectCondition(await ctx.api.scopes(writer.token), 'missing-scope');
    },
  }),
  defineCheck({
    id: 'scopes.account-scopes',
    description:
      "List scopes shows exactly the account's scopes (accountScopes, when the caller knows them): not the whole catalogue, not only what the asking token holds",
    operation: 'listScopes',
    tags: ['scenario'],
    documentation:
      'reference: List scopes "All potential scopes a user has access to are listed." (the user\'s scopes, so an account without some scope does not list it)',
    async run(ctx) {
      const expected = ctx.env.accountScopes;
      if (expected === undefined) return ctx.skip("needs the account's scopes (accountScopes)");
      const account = await ctx.use('account');
      const listed = account.catalogue.map((entry) => entry.id);
      expectEqual([...listed].sort(), [...new Set(expected)].sort(), "scopes listed for the account versus the account's scopes");
    },
  }),
  defineCheck({
    id: 'scopes.public-flags-decide-usage',
    description: 'a token of public-flagged scopes only is a pk; adding one scope not flagged public makes it an sk',
    operation: 'createToken',
    tags: ['scenario', 'listScopes'],
    documentation:
      'reference: "Public tokens may only contain scopes with the public property set to true. Secret tokens may contain any scope."; tutorial: "If you add one or more secret scopes to your new token, it will be a secret token."',
    async run(ctx) {
      const { catalogue, masterScopes } = await ctx.use('account');
      const flagged = (isPublic: boolean): string[] =>
        masterScopes.filter((scope) => catalogue.some((entry) => entry.id === scope && (entry.public === true) === isPublic));
      const publicOnly = flagged(true);
      const secret = flagged(false);
      expectTrue(secret.length > 0, 'the master token holds no scope without the public flag');
      const pk = await createOwned(ctx, 'all public', { scopes: publicOnly });
      expectEqual(pk['usage'], 'pk', `usage of a token holding every public-flagged scope (${publicOnly.length})`);
      expectTrue(String(pk['token']).startsWith('pk.'), 'the token of public-flagged scopes only does not start with pk.');
      for (const scope of [secret[0]!, secret[secret.length - 1]!]) {
        const sk = await createOwned(ctx, 'one secret', { scopes: [...publicOnly, scope] });
        expectEqual((sk as Item)['usage'], 'sk', `usage of a token holding the public scopes and ${scope}`);
        expectTrue(String(sk['token']).startsWith('sk.'), `the token holding ${scope} does not start with sk.`);
      }
    },
  }),
];
