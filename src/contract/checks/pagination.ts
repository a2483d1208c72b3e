import { expectEqual, expectTrue, fail } from '../assertions.ts';
import { defineCheck, type ContractCheck } from '../check.ts';
import { walkPages } from '../preconditions.ts';
import { nextLink } from '../link-header.ts';
import { createOwned, type Item } from './expectations.ts';

/** Cursor and Link semantics beyond walking the pages. */
export const paginationChecks: ContractCheck[] = [
  defineCheck({
    id: 'list.start-after-token',
    description:
      'the next page starts right after the last token of the page before, even when that token was deleted in between (start is not an offset)',
    operation: 'listTokens',
    tags: ['scenario', 'pagination', 'deleteToken'],
    documentation: 'reference: start "The token after which to start the listing"; decision cursor ("not a token id", opaque)',
    async run(ctx) {
      await ctx.use('listing');
      const { publicScopes } = await ctx.use('account');
      const first = await createOwned(ctx, 'cursor a', { scopes: [publicScopes[0]!] });
      const second = await createOwned(ctx, 'cursor b', { scopes: [publicScopes[0]!] });
      const all = (await walkPages(ctx.api, ctx.env.masterToken, [['limit', '100']])).items.map((item) => String(item['id']));
      const positions = [all.indexOf(String(first['id'])), all.indexOf(String(second['id']))];
      if (positions.includes(-1)) fail('the listing does not show the two tokens just created');
      const pivot = Math.min(...positions);
      if (pivot + 1 > 100) return ctx.skip('the account lists more than 99 tokens before the ones this run created');
      const after = all[pivot + 1]!;
      const page = await ctx.api.list(ctx.env.masterToken, [['limit', String(pivot + 1)]]);
      const items = ctx.expectSuccess(page, 200, 'TokenList') as Item[];
      expectEqual(items[items.length - 1]?.['id'], all[pivot], `last token of the first page (limit=${pivot + 1})`);
      const next = nextLink(page.headers.get('link'));
      if (!next) fail(`${ctx.describe(page)}: no Link rel="next" although more tokens follow`);
      expectEqual((await ctx.api.remove(ctx.env.masterToken, all[pivot]!)).status, 204, 'DELETE of the last token of the first page');
      const url = new URL(next, page.url);
      url.searchParams.delete('access_token');
      const following = await ctx.api.call({ method: 'GET', path: url.toString(), token: ctx.env.masterToken });
      const rest = ctx.expectSuccess(following, 200, 'TokenList') as Item[];
      expectEqual(rest[0]?.['id'], after, 'first token of the next page after the last token of the page before was deleted');
    },
  }),
  defineCheck({
    id: 'list.link-keeps-filters',
    description:
      'Link rel="next" keeps usage, default, sortby and limit, adds start, carries no access_token and stays on the origin; its page honours the filters',
    operation: 'listTokens',
    tags: ['scenario', 'pagination'],
    documentation:
      'reference: start "Find the token key in the Link header"; decision cursor (keeps usage, default, sortby and limit, never access_token)',
    async run(ctx) {
      await ctx.use('listing');
      const query: [string, string][] = [
        ['usage', 'pk'],
        ['default', 'false'],
        ['sortby', 'modified'],
        ['limit', '1'],
      ];
      const page = await ctx.api.list(ctx.env.masterToken, query);
      ctx.expectSuccess(page, 200, 'TokenList');
      const next = nextLink(page.headers.get('link'));
      if (!next) fail(`${ctx.describe(page)}: no Link rel="next" although the run created several public tokens`);
      const url = new URL(next, page.url);
      expectEqual(url.origin, new URL(page.url).origin, 'origin of Link rel="next"');
      for (const [name, value] of query) expectEqual(url.searchParams.get(name), value, `${name} in Link rel="next"`);
      expectTrue(url.searchParams.has('start'), 'Link rel="next" has no start');
      expectTrue(!url.searchParams.has('access_token'), 'Link rel="next" carries access_token');
      const following = await ctx.api.call({ method: 'GET', path: url.toString(), token: ctx.env.masterToken });
      const items = ctx.expectSuccess(following, 200, 'TokenList') as Item[];
      expectTrue(
        items.length === 1 && items[0]!['usage'] === 'pk' && items[0]!['default'] === false,
        `the page behind Link does not honour usage=pk&default=false&limit=1: ${JSON.stringify(items.map((item) => [item['usage'], item['default']]))}`,
      );
    },
  }),
  defineCheck({
    id: 'list.default-combines',
    description:
      'default=true combines with usage and start: with usage=pk it lists the default (public) token, with usage=sk none, and after a start at the default token none',
    operation: 'listTokens',
    tags: ['scenario', 'pagination'],
    documentation:
      'reference: List tokens `default` ("will only include the account\'s default token"), `usage` (only pk or only sk), start "The token after which to start the listing"; "All user accounts have a default public token"',
    async run(ctx) {
      const master = ctx.env.masterToken;
      const defaults = ctx.expectSuccess(await ctx.api.list(master, [['default', 'true']]), 200, 'TokenList') as Item[];
      if (defaults.length !== 1) fail(`default=true listed ${defaults.length} tokens; expected exactly the default token`);
      const defaultId = String(defaults[0]!['id']);
      const ids = async (query: [string, string][]): Promise<string[]> =>
        (ctx.expectSuccess(await ctx.api.list(master, query), 200, 'TokenList') as Item[]).map((item) => String(item['id']));
      expectEqual(
        await ids([
          ['default', 'true'],
          ['usage', 'pk'],
        ]),
        [defaultId],
        'tokens listed by default=true&usage=pk',
      );
      expectEqual(
        await ids([
          ['default', 'true'],
          ['usage', 'sk'],
        ]),
        [],
        'tokens listed by default=true&usage=sk',
      );
      // A start at the default token itself: the Link of the page that ends with it.
      // One page of 100 is enough (a start needs the default token among them), and costs one request.
      const all = (ctx.expectSuccess(await ctx.api.list(master, [['limit', '100']]), 200, 'TokenList') as Item[]).map((item) =>
        String(item['id']),
      );
      const index = all.indexOf(defaultId);
      if (index === -1 || index + 1 >= all.length) return ctx.skip('the default token is not among the first 99 listed tokens');
      const page = await ctx.api.list(master, [['limit', String(index + 1)]]);
      ctx.expectSuccess(page, 200, 'TokenList');
      const next = nextLink(page.headers.get('link'));
      if (!next) fail(`${ctx.describe(page)}: no Link rel="next" although more tokens follow`);
      const start = new URL(next, page.url).searchParams.get('start');
      if (!start) fail(`${ctx.describe(page)}: Link rel="next" has no start`);
      expectEqual(
        await ids([
          ['default', 'true'],
          ['start', start],
        ]),
        [],
        'tokens listed by default=true after a start at the default token',
      );
    },
  }),
];
