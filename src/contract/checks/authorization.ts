import { expectEqual, expectTrue } from '../assertions.ts';
import { defineCheck, type ContractCheck } from '../check.ts';
import type { CheckContext } from '../context.ts';
import { serverTimeAfter } from '../server-clock.ts';
import { decodeTokenString } from '../token-strings.ts';
import type { ApiResponse } from '../transport.ts';
import { createOwned, expectTemporary, scopeNotIn, sortedMembers, type Item } from './expectations.ts';

const FIVE_MINUTES_MS = 5 * 60_000;

/** Who may create which token, and with which scopes relative to the authorizing token. */
export const authorizationChecks: ContractCheck[] = [
  defineCheck({
    id: 'authz.temporary-creators',
    description: 'a tk is created by an sk or a tk holding tokens:write, and refused (404) to an sk or a tk without it and to a pk',
    operation: 'createToken',
    tags: ['temporary', 'scenario', 'authz'],
    conditions: ['missing-scope'],
    documentation:
      'reference: "using a secret token that has the tokens:write scope", "another temporary token as long as the authorizing token has tokens:write"; tutorial: "public, secret, or even other temporary tokens as long as the authenticating token is scoped correctly"',
    async run(ctx) {
      const { publicScopes } = await ctx.use('account');
      const [writer, sk, pk, tk] = [await ctx.use('writer'), await ctx.use('sk'), await ctx.use('pk'), await ctx.use('tk')];
      const body = (): { expires: string; scopes: string[] } => ({
        expires: serverTimeAfter(ctx.env, FIVE_MINUTES_MS),
        scopes: [publicScopes[0]!],
      });
      expectTemporary(ctx, await ctx.api.create(writer.token, body(), 'temporary'), 'a tk created by an sk holding tokens:write');
      expectTemporary(ctx, await ctx.api.create(tk.token, body(), 'temporary child'), 'a tk created by a tk holding tokens:write');
      const readOnlyTk = await ctx.api.create(ctx.env.masterToken, { ...body(), scopes: ['tokens:read', publicScopes[0]!] }, 'temporary');
      expectTemporary(ctx, readOnlyTk, 'a tk holding tokens:read only');
      // An sk without tokens:write, a pk, and a tk without tokens:write.
      for (const token of [sk.token, pk.token, String((readOnlyTk.json as Item)['token'])])
        ctx.expectCondition(await ctx.api.create(token, body(), 'refused'), 'missing-scope');
    },
  }),
  defineCheck({
    id: 'authz.permanent-creators',
    description: 'a permanent token is created by an sk holding tokens:write (with scopes it holds) and refused (404) to a pk',
    operation: 'createToken',
    tags: ['scenario', 'authz'],
    conditions: ['missing-scope'],
    documentation:
      'reference: "you need to have an authorizing token that has the tokens:write scope, as well as all the scopes you want to add"',
    async run(ctx) {
      const { publicScopes } = await ctx.use('account');
      const writer = await ctx.use('writer');
      const pk = await ctx.use('pk');
      const created = await ctx.api.create(
        writer.token,
        { note: ctx.api.owned.note('by writer'), scopes: [publicScopes[0]!] },
        'by writer',
      );
      const body = ctx.expectSuccess(created, 200, 'CreatedTokenMetadata') as Item;
      expectEqual(body['usage'], 'pk', 'usage of a public token created by the writer');
      ctx.expectCondition(await ctx.api.create(pk.token, { note: ctx.api.owned.note('refused'), scopes: [] }, 'refused'), 'missing-scope');
    },
  }),
  defineCheck({
    id: 'authz.temporary-scopes-relative',
    description:
      "a tk may hold exactly its authorizer's scopes, never one more (422 scopes are invalid, from an sk and from a tk), and must name its scopes",
    operation: 'createToken',
    tags: ['temporary', 'scenario', 'authz'],
    conditions: ['scopes-escalation', 'scopes-invalid'],
    documentation:
      'reference: "The authorizing token needs to have the same scopes as, or more scopes than, the new temporary token"; decision temporary-scopes-required',
    async run(ctx) {
      const { masterScopes } = await ctx.use('account');
      const writer = await ctx.use('writer');
      const tk = await ctx.use('tk');
      const expires = (): string => serverTimeAfter(ctx.env, FIVE_MINUTES_MS);
      const same = await ctx.api.create(writer.token, { expires: expires(), scopes: writer.requested.scopes }, 'temporary');
      expectTemporary(ctx, same, "a tk with exactly its authorizer's scopes");
      expectEqual(
        sortedMembers(decodeTokenString(String((same.json as Item)['token']))?.claims['scopes']),
        sortedMembers(writer.requested.scopes),
        'scopes claim of the tk',
      );
      for (const [authorizer, held] of [
        [writer.token, writer.requested.scopes],
        [tk.token, tk.requested.scopes],
      ] as const) {
        const extra = scopeNotIn(masterScopes, held);
        if (!extra) return ctx.skip('the master token holds no scope beyond the suite preconditions');
        ctx.expectCondition(
          await ctx.api.create(authorizer, { expires: expires(), scopes: [...held, extra] }, 'refused'),
          'scopes-escalation',
        );
      }
      ctx.expectCondition(await ctx.api.create(ctx.env.masterToken, { expires: expires() }, 'refused'), 'scopes-invalid');
    },
  }),
  defineCheck({
    id: 'authz.update-scopes-subset',
    description:
      'an update may set scopes the authorizer holds; a pk may gain public scopes; an sk may gain secret ones and keeps usage sk with public scopes only',
    operation: 'updateToken',
    tags: ['scenario', 'authz'],
    documentation:
      'reference: "A public token may only be updated to include other public scopes. A secret token may be updated to contain public and secret scopes."; decision usage-from-scopes ("its usage never changes")',
    async run(ctx) {
      const { publicScopes, masterScopes, catalogue } = await ctx.use('account');
      const writer = await ctx.use('writer');
      const pk = await createOwned(ctx, 'authz pk', { scopes: [publicScopes[0]!] });
      const pkId = String(pk['id']);
      expectUsageAndScopes(
        ctx,
        await ctx.api.update(writer.token, pkId, { scopes: [publicScopes[0]!] }),
        'pk',
        [publicScopes[0]!],
        'a pk updated by the writer to scopes it holds',
      );
      const publics = publicScopes.slice(0, 2);
      expectUsageAndScopes(
        ctx,
        await ctx.api.update(ctx.env.masterToken, pkId, { scopes: publics }),
        'pk',
        publics,
        'a pk given another public scope',
      );
      const sk = await createOwned(ctx, 'authz sk', { scopes: ['tokens:read'] });
      const skId = String(sk['id']);
      expectEqual(sk['usage'], 'sk', 'usage of a token created with tokens:read');
      expectUsageAndScopes(
        ctx,
        await ctx.api.update(ctx.env.masterToken, skId, { scopes: [publicScopes[0]!] }),
        'sk',
        [publicScopes[0]!],
        'an sk updated to public scopes only',
      );
      const secret =
        masterScopes.find((scope) => catalogue.some((entry) => entry.id === scope && entry.public !== true) && scope !== 'tokens:read') ??
        'tokens:read';
      expectUsageAndScopes(
        ctx,
        await ctx.api.update(ctx.env.masterToken, skId, { scopes: [publicScopes[0]!, secret] }),
        'sk',
        [publicScopes[0]!, secret],
        'an sk given a secret scope',
      );
    },
  }),
];

function expectUsageAndScopes(ctx: CheckContext, response: ApiResponse, usage: 'pk' | 'sk', scopes: string[], what: string): void {
  const body = ctx.expectSuccess(response, 200, 'StoredTokenMetadata') as Item;
  expectEqual(body['usage'], usage, `${what}: usage`);
  expectEqual(sortedMembers(body['scopes']), sortedMembers(scopes), `${what}: scopes`);
  expectTrue(!(usage === 'sk' && 'token' in body), `${what}: the update response shows the sk token string`);
}
