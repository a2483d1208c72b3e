import { expectEqual, expectSameSet, expectTrue, fail } from '../assertions.ts';
import { defineCheck, type ContractCheck } from '../check.ts';
import type { CheckContext } from '../context.ts';
import { walkPages } from '../preconditions.ts';
import { nextLink } from '../link-header.ts';

type Item = Record<string, unknown>;

/** listTokens: visibility, filters, order, limit and Link pagination, and its query validation. */
export const listChecks: ContractCheck[] = [
  defineCheck({
    id: 'list.missing-scope',
    description: 'a token without tokens:read (a pk) cannot list: 404 Not Found',
    operation: 'listTokens',
    conditions: ['missing-scope'],
    documentation: 'reference errors table: `Not found` 404 "needs the tokens:read (to list)" (observed `Not Found`)',
    async run(ctx) {
      const pk = await ctx.use('pk');
      ctx.expectCondition(await ctx.api.list(pk.token), 'missing-scope');
    },
  }),
  queryCheck(
    'list.bad-usage',
    'usage=tk is refused: 422 usage must be pk or sk',
    'bad-usage',
    ['usage', 'tk'],
    'reference errors table: `usage must be pk or sk` 422',
  ),
  queryCheck(
    'list.bad-default',
    'default=yes is refused with 422',
    'bad-default',
    ['default', 'yes'],
    'document: default is true|false (message: mock choice)',
  ),
  queryCheck(
    'list.bad-sortby',
    'sortby=name is refused with 422',
    'bad-sortby',
    ['sortby', 'name'],
    'document: sortby is created|modified (message: mock choice)',
  ),
  queryCheck(
    'list.bad-limit',
    'limit=0 is refused with 422',
    'bad-limit',
    ['limit', '0'],
    'document: limit is an integer >= 1 (message: mock choice)',
  ),
  queryCheck(
    'list.invalid-start',
    'a start cursor the server never issued answers 500 Internal Server Error',
    'invalid-start',
    ['start', 'not-a-cursor!'],
    'reference errors table: `Internal Server Error` 500 "if the start value is not valid"',
  ),
  defineCheck({
    id: 'list.shows-created',
    description: 'the listing shows every token the run created with its note, scopes, usage and allowedUrls, and not the deleted one',
    operation: 'listTokens',
    tags: ['scenario'],
    documentation: 'reference: List tokens "all the tokens that belong to an account" (token metadata object)',
    async run(ctx) {
      const listing = await ctx.use('listing');
      for (const response of listing.responses) ctx.expectSuccess(response, 200, 'TokenList');
      const byId = new Map(listing.items.map((item) => [item['id'], item]));
      const updated = await ctx.use('pkUpdated');
      for (const name of ['pk', 'sk', 'writer', 'scopeless'] as const) {
        const created = await ctx.use(name);
        const item = byId.get(created.id);
        if (!item) fail(`the listing does not show the ${name} token ${created.id} created by this run`);
        const expected = name === 'pk' ? updated.requested : created.requested;
        expectEqual(item['note'], expected.note, `listed ${name} token note`);
        expectSameSet(item['scopes'] as unknown[], expected.scopes, `listed ${name} token scopes`);
        expectEqual(item['usage'], created.body['usage'], `listed ${name} token usage`);
        expectEqual(item['default'], false, `listed ${name} token default`);
        if (expected.allowedUrls) expectSameSet(item['allowedUrls'] as unknown[], expected.allowedUrls, `listed ${name} token allowedUrls`);
        if (name === 'pk') expectEqual(item['token'], created.token, 'listed pk token string');
      }
      const deleted = await ctx.use('deleted');
      expectTrue(!byId.has(deleted.created.id), `the listing still shows the deleted token ${deleted.created.id}`);
      expectEqual(byId.size, listing.items.length, 'number of distinct ids in the listing (duplicates found)');
    },
  }),
  defineCheck({
    id: 'list.hides-secret-strings',
    description: 'listed sk tokens carry no token string and temporary tokens are never listed',
    operation: 'listTokens',
    tags: ['scenario'],
    documentation:
      'reference: "If a listed token\'s usage property is sk, the token property will not be included"; tk tokens are not stored',
    async run(ctx) {
      const listing = await ctx.use('listing');
      await ctx.use('tk');
      const leaked = listing.items.filter((item) => item['usage'] === 'sk' && 'token' in item).map((item) => item['id']);
      expectTrue(leaked.length === 0, `the listing shows the token string of sk tokens ${JSON.stringify(leaked)}`, {
        expected: [],
        actual: leaked,
      });
      const temporary = listing.items.filter((item) => item['usage'] === 'tk').map((item) => item['id']);
      expectTrue(temporary.length === 0, `the listing shows temporary tokens ${JSON.stringify(temporary)}`);
      const pkWithoutToken = listing.items
        .filter((item) => item['usage'] === 'pk' && typeof item['token'] !== 'string')
        .map((item) => item['id']);
      expectTrue(pkWithoutToken.length === 0, `listed pk tokens without their token string: ${JSON.stringify(pkWithoutToken)}`);
    },
  }),
  defineCheck({
    id: 'list.usage-filter',
    description: "usage=pk lists only public tokens and usage=sk only secret ones, each including the run's tokens",
    operation: 'listTokens',
    tags: ['scenario'],
    documentation: 'reference: List tokens optional parameter `usage` (pk or sk)',
    async run(ctx) {
      await ctx.use('listing');
      const pk = await ctx.use('pk');
      const sk = await ctx.use('sk');
      for (const [usage, mine, other] of [
        ['pk', pk, sk],
        ['sk', sk, pk],
      ] as const) {
        const pages = await walkPages(ctx.api, ctx.env.masterToken, [
          ['usage', usage],
          ['limit', '100'],
        ]);
        for (const response of pages.responses) ctx.expectSuccess(response, 200, 'TokenList');
        const wrong = pages.items.filter((item) => item['usage'] !== usage).map((item) => `${String(item['id'])}:${String(item['usage'])}`);
        expectTrue(wrong.length === 0, `usage=${usage} listed tokens of another usage: ${wrong.join(', ')}`);
        expectTrue(
          pages.items.some((item) => item['id'] === mine.id),
          `usage=${usage} does not list the run's ${usage} token ${mine.id}`,
        );
        expectTrue(!pages.items.some((item) => item['id'] === other.id), `usage=${usage} lists the run's ${other.label} token ${other.id}`);
      }
    },
  }),
  defineCheck({
    id: 'list.default-filter',
    description: 'default=true lists exactly the default token and default=false everything else',
    operation: 'listTokens',
    tags: ['scenario'],
    documentation: 'reference: List tokens optional parameter `default`',
    async run(ctx) {
      const listing = await ctx.use('listing');
      const only = await ctx.api.list(ctx.env.masterToken, [['default', 'true']]);
      const defaults = ctx.expectSuccess(only, 200, 'TokenList') as Item[];
      expectTrue(
        defaults.length === 1 && defaults[0]!['default'] === true,
        `default=true listed ${defaults.length} tokens (default flags ${JSON.stringify(defaults.map((item) => item['default']))}); expected exactly the default token`,
      );
      const rest = await walkPages(ctx.api, ctx.env.masterToken, [
        ['default', 'false'],
        ['limit', '100'],
      ]);
      for (const response of rest.responses) ctx.expectSuccess(response, 200, 'TokenList');
      expectTrue(
        !rest.items.some((item) => item['default'] === true || item['id'] === defaults[0]!['id']),
        'default=false lists the default token',
      );
      for (const name of ['pk', 'sk', 'writer', 'scopeless'] as const) {
        const created = await ctx.use(name);
        expectTrue(
          rest.items.some((item) => item['id'] === created.id),
          `default=false does not list the run's ${name} token ${created.id}`,
        );
      }
      expectTrue(
        listing.items.some((item) => item['id'] === defaults[0]!['id']),
        'the token listed by default=true is not in the whole listing',
      );
    },
  }),
  defineCheck({
    id: 'list.sort-order',
    description: 'the listing is ordered by created by default and by modified with sortby=modified',
    operation: 'listTokens',
    tags: ['scenario'],
    documentation:
      'reference: optional parameter `sortby` (created or modified); direction: document (ascending, mock choice) - either direction accepted',
    async run(ctx) {
      const listing = await ctx.use('listing');
      expectMonotone(listing.items, 'created', 'default order');
      const byModified = await walkPages(ctx.api, ctx.env.masterToken, [
        ['sortby', 'modified'],
        ['limit', '100'],
      ]);
      for (const response of byModified.responses) ctx.expectSuccess(response, 200, 'TokenList');
      expectMonotone(byModified.items, 'modified', 'sortby=modified');
      const pk = await ctx.use('pk');
      const writer = await ctx.use('writer');
      // The pk was created before the writer but modified after it: only a modified sort swaps them.
      const index = (items: Item[], id: string): number => items.findIndex((item) => item['id'] === id);
      const createdOrder = Math.sign(index(listing.items, writer.id) - index(listing.items, pk.id));
      const modifiedOrder = Math.sign(index(byModified.items, writer.id) - index(byModified.items, pk.id));
      expectTrue(
        createdOrder !== 0 && modifiedOrder === -createdOrder,
        'sortby=modified lists the updated pk and the writer token in the same relative order as sortby=created: the sort key is ignored',
      );
    },
  }),
  defineCheck({
    id: 'list.pagination',
    description: 'with a small limit, pages hold at most limit tokens and following Link rel="next" visits every token exactly once',
    operation: 'listTokens',
    tags: ['scenario', 'pagination'],
    documentation:
      'reference: `limit`, `start` "Find the token key in the Link header"; pagination via Link rel="next" on the request\'s origin',
    async run(ctx) {
      const listing = await ctx.use('listing');
      const total = listing.items.length;
      expectTrue(total >= 3, `the account lists ${total} tokens; pagination needs at least 3`);
      const limit = Math.max(1, Math.ceil(total / 3));
      const pages = await walkPages(ctx.api, ctx.env.masterToken, [
        ['limit', String(limit)],
        ['sortby', 'modified'],
      ]);
      pages.responses.forEach((response, page) => {
        const items = ctx.expectSuccess(response, 200, 'TokenList') as Item[];
        expectTrue(items.length <= limit, `page ${page + 1} holds ${items.length} tokens, more than limit=${limit}`);
        const next = nextLink(response.headers.get('link'));
        if (next) {
          const url = new URL(next, response.url);
          expectEqual(url.searchParams.get('limit'), String(limit), `Link of page ${page + 1} keeps limit`);
          expectEqual(url.searchParams.get('sortby'), 'modified', `Link of page ${page + 1} keeps sortby`);
        }
      });
      expectTrue(pages.responses.length > 1, `limit=${limit} over ${total} tokens answered a single page without Link rel="next"`);
      const ids = pages.items.map((item) => String(item['id']));
      const duplicates = ids.filter((id, index) => ids.indexOf(id) !== index);
      expectTrue(duplicates.length === 0, `pagination visited tokens more than once: ${JSON.stringify(duplicates)}`);
      expectSameSet(
        ids,
        listing.items.map((item) => String(item['id'])),
        'ids visited by pagination versus the whole listing',
      );
      expectMonotone(pages.items, 'modified', 'sortby=modified across pages');
    },
  }),
  defineCheck({
    id: 'list.repeated-query-parameters',
    description: 'repeated limit and access_token parameters (as the JS SDK sends on nextPage) are tolerated',
    operation: 'listTokens',
    tags: ['scenario', 'mock-choice'],
    documentation: 'document (repeated-query-parameters): the first value of a repeated parameter is used (docs/sources.md §1.5)',
    async run(ctx) {
      const token = ctx.env.masterToken;
      const response = await ctx.api.list(token, [
        ['limit', '1'],
        ['limit', '1'],
        ['access_token', token],
      ]);
      const items = ctx.expectSuccess(response, 200, 'TokenList') as Item[];
      expectTrue(items.length === 1, `limit=1&limit=1 listed ${items.length} tokens`);
    },
  }),
];

function queryCheck(id: string, description: string, condition: string, parameter: [string, string], documentation: string): ContractCheck {
  return defineCheck({
    id,
    description,
    operation: 'listTokens',
    conditions: [condition],
    documentation,
    async run(ctx: CheckContext) {
      ctx.expectCondition(await ctx.api.list(ctx.env.masterToken, [parameter]), condition);
    },
  });
}

function expectMonotone(items: Item[], key: 'created' | 'modified', what: string): void {
  const times = items.map((item) => Date.parse(String(item[key])));
  const ascending = times.every((time, index) => index === 0 || time >= times[index - 1]!);
  const descending = times.every((time, index) => index === 0 || time <= times[index - 1]!);
  expectTrue(ascending || descending, `${what}: tokens are not ordered by ${key}`, { actual: items.map((item) => item[key]) });
}
