import { expectEqual, expectSameSet, expectTrue, fail } from '../assertions.ts';
import { defineCheck, type ContractCheck } from '../check.ts';

type Item = Record<string, unknown>;

/** updateToken: updates take effect, sk strings stay hidden, and every refusal changes nothing. */
export const updateChecks: ContractCheck[] = [
  defineCheck({
    id: 'update.takes-effect',
    description: 'PATCH of note, scopes and allowedUrls answers 200 with the new values and a later modified',
    operation: 'updateToken',
    tags: ['scenario'],
    owns: ['pkUpdated'],
    documentation: 'reference: Update a token ("Update the note, the scopes, the allowedUrls, or all three")',
    async run(ctx) {
      const updated = await ctx.use('pkUpdated');
      const pk = await ctx.use('pk');
      const body = ctx.expectSuccess(updated.response, 200, 'StoredTokenMetadata') as Item;
      expectEqual(body['id'], pk.id, 'updated token id');
      expectEqual(body['note'], updated.requested.note, 'updated note');
      expectSameSet(body['scopes'] as unknown[], updated.requested.scopes, 'updated scopes');
      expectSameSet(body['allowedUrls'] as unknown[], updated.requested.allowedUrls, 'updated allowedUrls');
      expectEqual(body['usage'], 'pk', 'updated token usage');
      expectEqual(body['token'], pk.token, 'updated pk token string (pk strings are shown)');
      expectEqual(body['created'], pk.body['created'], 'updated token created');
      expectTrue(
        Date.parse(String(body['modified'])) > Date.parse(updated.modifiedBefore),
        `modified did not advance (${String(body['modified'])} after ${updated.modifiedBefore})`,
      );
    },
  }),
  defineCheck({
    id: 'update.secret-token-hidden',
    description: 'PATCH of an sk answers 200 without its token string',
    operation: 'updateToken',
    tags: ['scenario'],
    documentation: 'document (secret-token-hidden): sk strings appear only in the create response',
    async run(ctx) {
      await ctx.use('listing'); // list.shows-created compares against the notes as created
      const sk = await ctx.use('sk');
      const note = ctx.api.owned.note('sk updated');
      const body = ctx.expectSuccess(await ctx.api.update(ctx.env.masterToken, sk.id, { note }), 200, 'StoredTokenMetadata') as Item;
      expectEqual(body['note'], note, 'updated sk note');
      expectTrue(!('token' in body), 'the update response shows the sk token string');
    },
  }),
  defineCheck({
    id: 'update.remove-allowed-urls',
    description: 'PATCH with allowedUrls null removes the URL restriction',
    operation: 'updateToken',
    tags: ['scenario'],
    documentation: 'docs/sources.md §8: the JS SDK sends allowedUrls: null to delete the property',
    async run(ctx) {
      await ctx.use('listing');
      // The scopeless token never authenticates anything, so a restriction left behind harms no check.
      const target = await ctx.use('scopeless');
      const withUrls = await ctx.api.update(ctx.env.masterToken, target.id, { allowedUrls: ['https://example.com'] });
      const restricted = ctx.expectSuccess(withUrls, 200, 'StoredTokenMetadata') as Item;
      expectSameSet(restricted['allowedUrls'] as unknown[], ['https://example.com'], 'allowedUrls after adding one');
      const cleared = ctx.expectSuccess(
        await ctx.api.update(ctx.env.masterToken, target.id, { allowedUrls: null }),
        200,
        'StoredTokenMetadata',
      ) as Item;
      const urls = cleared['allowedUrls'];
      expectTrue(urls === undefined || (Array.isArray(urls) && urls.length === 0), `allowedUrls after null: ${JSON.stringify(urls)}`);
    },
  }),
  defineCheck({
    id: 'update.missing-scope',
    description: 'a token without tokens:write cannot update: 404 Not Found',
    operation: 'updateToken',
    conditions: ['missing-scope'],
    documentation: 'reference errors table: `Not found` 404 (tokens:write to update); observed `Not Found`',
    async run(ctx) {
      const sk = await ctx.use('sk');
      const scopeless = await ctx.use('scopeless');
      ctx.expectCondition(await ctx.api.update(sk.token, scopeless.id, { note: ctx.api.owned.note('refused') }), 'missing-scope');
    },
  }),
  defineCheck({
    id: 'update.token-not-found',
    description: 'PATCH of an id that is no token of the account answers 404 Not Found',
    operation: 'updateToken',
    conditions: ['token-not-found'],
    documentation: 'document: token-not-found (docs/sources.md gaps: presumed)',
    async run(ctx) {
      await ctx.use('account');
      const id = ctx.api.owned.fabricateId();
      ctx.expectCondition(await ctx.api.update(ctx.env.masterToken, id, { note: ctx.api.owned.note('refused') }), 'token-not-found');
    },
  }),
  defineCheck({
    id: 'update.scopes-escalation',
    description: 'a token cannot give another token a scope it does not hold: 422 scopes are invalid',
    operation: 'updateToken',
    tags: ['scenario'],
    conditions: ['scopes-escalation'],
    documentation: 'reference: "the token sent along with the request must also have the scopes you\'re requesting"',
    async run(ctx) {
      const writer = await ctx.use('writer');
      const pk = await ctx.use('pk');
      await ctx.use('pkUpdated');
      const { publicScopes } = await ctx.use('account');
      const extra = publicScopes.find((scope) => !writer.requested.scopes.includes(scope));
      if (!extra) return ctx.skip('the master token holds a single public scope');
      ctx.expectCondition(await ctx.api.update(writer.token, pk.id, { scopes: [publicScopes[0]!, extra] }), 'scopes-escalation');
    },
  }),
  defineCheck({
    id: 'update.pk-secret-scope',
    description: 'a pk cannot be given a secret scope: 422 scopes are invalid',
    operation: 'updateToken',
    tags: ['scenario'],
    conditions: ['pk-secret-scope'],
    documentation: 'reference: "A public token may only be updated to include other public scopes"',
    async run(ctx) {
      const pk = await ctx.use('pk');
      const updated = await ctx.use('pkUpdated');
      ctx.expectCondition(
        await ctx.api.update(ctx.env.masterToken, pk.id, { scopes: [...updated.requested.scopes, 'tokens:read'] }),
        'pk-secret-scope',
      );
    },
  }),
  defineCheck({
    id: 'update.scopeless-gains-scopes',
    description: 'a token created with no scopes cannot gain scopes: 422 scopes are invalid',
    operation: 'updateToken',
    tags: ['scenario'],
    conditions: ['scopeless-gains-scopes'],
    documentation: 'reference: "you will not be able to update this token later to include any scopes"',
    async run(ctx) {
      const scopeless = await ctx.use('scopeless');
      const { publicScopes } = await ctx.use('account');
      ctx.expectCondition(
        await ctx.api.update(ctx.env.masterToken, scopeless.id, { scopes: [publicScopes[0]!] }),
        'scopeless-gains-scopes',
      );
      // Gaining no scope is no gain: an empty scopes list is accepted.
      const kept = ctx.expectSuccess(
        await ctx.api.update(ctx.env.masterToken, scopeless.id, { scopes: [] }),
        200,
        'StoredTokenMetadata',
      ) as Item;
      expectSameSet(kept['scopes'] as unknown[], [], 'scopes of the scopeless token after a PATCH of scopes []');
    },
  }),
  defineCheck({
    id: 'update.refusals-change-nothing',
    description: 'after the refused updates the pk and the scopeless token are unchanged',
    operation: 'updateToken',
    tags: ['scenario', 'listTokens'],
    documentation: 'document (check order step 8): a rejected request changes no token state',
    async run(ctx) {
      const pk = await ctx.use('pk');
      const updated = await ctx.use('pkUpdated');
      const scopeless = await ctx.use('scopeless');
      const items = ctx.expectSuccess(
        await ctx.api.list(ctx.env.masterToken, [
          ['usage', 'pk'],
          ['limit', '100'],
        ]),
        200,
        'TokenList',
      ) as Item[];
      const listedPk = items.find((item) => item['id'] === pk.id);
      const listedScopeless = items.find((item) => item['id'] === scopeless.id);
      if (!listedPk || !listedScopeless) fail("usage=pk&limit=100 does not list the run's pk and scopeless tokens");
      expectSameSet(listedPk['scopes'] as unknown[], updated.requested.scopes, 'pk scopes after refused updates');
      expectEqual(listedPk['usage'], 'pk', 'pk usage after refused updates');
      expectEqual(listedPk['note'], updated.requested.note, 'pk note after refused updates');
      expectSameSet(listedScopeless['scopes'] as unknown[], [], 'scopeless token scopes after refused updates');
      expectEqual(listedScopeless['note'], scopeless.requested.note, 'scopeless token note after refused updates');
    },
  }),
  defineCheck({
    id: 'update.allowed-urls-on-default',
    description: 'the default token cannot get allowed URLs: 422 (opt-in: writes to the default token)',
    operation: 'updateToken',
    tags: ['default-token'],
    optIn: 'default-token',
    conditions: ['allowed-urls-on-default'],
    documentation: 'docs/sources.md §8: the default public token cannot have URL restrictions (message: mock choice)',
    async run(ctx) {
      const response = await ctx.writeToDefaultToken((id) =>
        ctx.api.update(ctx.env.masterToken, id, { allowedUrls: ['https://example.com'] }),
      );
      ctx.expectCondition(response, 'allowed-urls-on-default');
    },
  }),
];
