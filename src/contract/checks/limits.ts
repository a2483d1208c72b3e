import { expectEqual, expectTrue, fail } from '../assertions.ts';
import { defineCheck, type ContractCheck } from '../check.ts';
import { walkPages } from '../preconditions.ts';
import { SERVER_TIME_TOLERANCE_MS } from '../server-clock.ts';
import { decodeTokenString } from '../token-strings.ts';
import { expectTemporary, findListed, sortedMembers, type Item } from './expectations.ts';

const HOUR_MS = 60 * 60_000;
const TOLERANCE_S = SERVER_TIME_TOLERANCE_MS / 1000;

/**
 * Every numeric and time limit probed on both sides. Time comes from the server (a fresh tk's
 * `iat`, else its `Date` header), never from the runner's clock; boundaries that depend on the
 * server's "now" are probed SERVER_TIME_TOLERANCE_MS inside and outside, the tk-from-tk boundary
 * (a fixed instant) exactly.
 */
export const limitChecks: ContractCheck[] = [
  defineCheck({
    id: 'limits.expires-hour-cap',
    description: `a tk may expire up to one hour after the server's now (accepted ${TOLERANCE_S} s inside the hour, refused ${TOLERANCE_S} s past it); its iat is the server's now`,
    operation: 'createToken',
    tags: ['temporary', 'limits'],
    conditions: ['expires-too-far'],
    documentation:
      'reference: expires "Cannot be a time in the past or more than one hour in the future"; decision temporary-response-fields',
    async run(ctx) {
      const { publicScopes } = await ctx.use('account');
      const scopes = [publicScopes[0]!];
      const probe = await ctx.api.create(ctx.env.masterToken, { expires: iso(ctx.env.serverNow() + HOUR_MS / 2), scopes }, 'temporary');
      const now = expectTemporary(ctx, probe, 'a tk expiring in 30 minutes');
      const inside = await ctx.api.create(
        ctx.env.masterToken,
        { expires: iso(now() + HOUR_MS - SERVER_TIME_TOLERANCE_MS), scopes },
        'temporary',
      );
      expectTemporary(ctx, inside, `a tk expiring ${TOLERANCE_S} s before the one-hour cap`);
      const outside = await ctx.api.create(
        ctx.env.masterToken,
        { expires: iso(now() + HOUR_MS + SERVER_TIME_TOLERANCE_MS), scopes },
        'refused',
      );
      ctx.expectCondition(outside, 'expires-too-far');
    },
  }),
  defineCheck({
    id: 'limits.expires-not-in-past',
    description: `a tk expiring ${TOLERANCE_S} s after the server's now is accepted, ${TOLERANCE_S} s before it refused (before any scope is judged)`,
    operation: 'createToken',
    tags: ['temporary', 'limits'],
    conditions: ['expires-in-past'],
    documentation: 'reference: expires "Cannot be a time in the past"; decision temporary-validation-order (expires before scopes)',
    async run(ctx) {
      const { publicScopes } = await ctx.use('account');
      const scopes = [publicScopes[0]!];
      const soon = await ctx.api.create(
        ctx.env.masterToken,
        { expires: iso(ctx.env.serverNow() + 2 * SERVER_TIME_TOLERANCE_MS), scopes },
        'temporary',
      );
      const now = expectTemporary(ctx, soon, `a tk expiring ${2 * TOLERANCE_S} s ahead`);
      const justInside = await ctx.api.create(ctx.env.masterToken, { expires: iso(now() + SERVER_TIME_TOLERANCE_MS), scopes }, 'temporary');
      expectTemporary(ctx, justInside, `a tk expiring ${TOLERANCE_S} s ahead`);
      const past = await ctx.api.create(ctx.env.masterToken, { expires: iso(now() - SERVER_TIME_TOLERANCE_MS), scopes }, 'refused');
      ctx.expectCondition(past, 'expires-in-past');
      const pastAndUnknownScope = await ctx.api.create(
        ctx.env.masterToken,
        { expires: iso(now() - SERVER_TIME_TOLERANCE_MS), scopes: ['not:a:valid:scope'] },
        'refused',
      );
      ctx.expectCondition(pastAndUnknownScope, 'expires-in-past');
    },
  }),
  defineCheck({
    id: 'limits.expires-parent-boundary',
    description: 'a tk may create a tk expiring exactly when it does or a second earlier, not a second later',
    operation: 'createToken',
    tags: ['temporary', 'limits', 'scenario'],
    conditions: ['expires-after-parent'],
    documentation:
      'reference: "the expires time for the new temporary token cannot be later than that of the authorizing temporary token" (equal is not later)',
    async run(ctx) {
      const tk = await ctx.use('tk');
      const { publicScopes } = await ctx.use('account');
      const exp = decodeTokenString(tk.token)?.claims['exp'];
      if (typeof exp !== 'number') fail('the authorizing tk has no numeric exp claim', { actual: exp });
      const scopes = [publicScopes[0]!];
      const equal = await ctx.api.create(tk.token, { expires: iso(exp * 1000), scopes }, 'temporary child');
      expectTemporary(ctx, equal, 'a tk expiring exactly with its authorizing tk');
      expectEqual(
        decodeTokenString(String((equal.json as Item)['token']))?.claims['exp'],
        exp,
        'exp of the child expiring with its parent',
      );
      expectTemporary(
        ctx,
        await ctx.api.create(tk.token, { expires: iso(exp * 1000 - 1000), scopes }, 'temporary child'),
        'a tk expiring a second before its authorizing tk',
      );
      ctx.expectCondition(await ctx.api.create(tk.token, { expires: iso(exp * 1000 + 1000), scopes }, 'refused'), 'expires-after-parent');
    },
  }),
  defineCheck({
    id: 'limits.allowed-urls-create',
    description: 'a token is created with exactly 100 allowed URLs (all kept); 101 are refused',
    operation: 'createToken',
    tags: ['limits', 'scenario'],
    conditions: ['allowed-urls-too-many'],
    documentation: 'reference: "Each token is limited to 100 allowed URLs"',
    async run(ctx) {
      const { publicScopes } = await ctx.use('account');
      const urls = allowedUrls(100);
      const response = await ctx.api.create(
        ctx.env.masterToken,
        { note: ctx.api.owned.note('100 urls'), scopes: [publicScopes[0]!], allowedUrls: urls },
        '100 urls',
      );
      const body = ctx.expectSuccess(response, 200, 'CreatedTokenMetadata') as Item;
      expectEqual(sortedMembers(body['allowedUrls']), sortedMembers(urls), 'allowedUrls of a token created with 100');
      const refused = await ctx.api.create(
        ctx.env.masterToken,
        { note: ctx.api.owned.note('refused'), scopes: [], allowedUrls: allowedUrls(101) },
        'refused',
      );
      ctx.expectCondition(refused, 'allowed-urls-too-many');
    },
  }),
  defineCheck({
    id: 'limits.allowed-urls-update',
    description: 'a PATCH may set exactly 100 allowed URLs; 101 are refused and the 100 stay',
    operation: 'updateToken',
    tags: ['limits', 'scenario'],
    conditions: ['allowed-urls-too-many'],
    documentation: 'reference: "Each token is limited to 100 allowed URLs" (on update too)',
    async run(ctx) {
      const { publicScopes } = await ctx.use('account');
      const created = await ctx.api.create(
        ctx.env.masterToken,
        { note: ctx.api.owned.note('urls update'), scopes: [publicScopes[0]!] },
        'urls update',
      );
      const id = (ctx.expectSuccess(created, 200, 'CreatedTokenMetadata') as Item)['id'] as string;
      const urls = allowedUrls(100);
      const updated = ctx.expectSuccess(
        await ctx.api.update(ctx.env.masterToken, id, { allowedUrls: urls }),
        200,
        'StoredTokenMetadata',
      ) as Item;
      expectEqual(sortedMembers(updated['allowedUrls']), sortedMembers(urls), 'allowedUrls after a PATCH of 100');
      ctx.expectCondition(await ctx.api.update(ctx.env.masterToken, id, { allowedUrls: allowedUrls(101) }), 'allowed-urls-too-many');
      const listed = await findListed(ctx, id);
      expectEqual(sortedMembers(listed['allowedUrls']), sortedMembers(urls), 'allowedUrls after a refused PATCH of 101');
    },
  }),
  defineCheck({
    id: 'limits.list-limit-bounds',
    description:
      'limit=1 lists one token, limit=100 and limit=101 at most 100; limit=0, -1, 1.5 and abc are refused; without limit a page holds up to 100',
    operation: 'listTokens',
    tags: ['limits', 'pagination'],
    conditions: ['bad-limit'],
    documentation:
      'reference: limit "The maximum number of tokens to return"; decision limit-bounds (>= 1, above 100 served as 100, default 100)',
    async run(ctx) {
      await ctx.use('listing');
      const total = (await walkPages(ctx.api, ctx.env.masterToken, [['limit', '100']])).items.length;
      const one = ctx.expectSuccess(await ctx.api.list(ctx.env.masterToken, [['limit', '1']]), 200, 'TokenList') as Item[];
      expectEqual(one.length, 1, 'tokens listed with limit=1');
      for (const limit of ['100', '101']) {
        const response = await ctx.api.list(ctx.env.masterToken, [['limit', limit]]);
        const page = ctx.expectSuccess(response, 200, 'TokenList') as Item[];
        expectEqual(page.length, Math.min(total, 100), `tokens listed with limit=${limit} (the account has ${total})`);
      }
      const unbounded = await ctx.api.list(ctx.env.masterToken);
      const page = ctx.expectSuccess(unbounded, 200, 'TokenList') as Item[];
      expectEqual(page.length, Math.min(total, 100), `tokens listed without limit (the account has ${total})`);
      const hasLink = unbounded.headers.get('link') !== null;
      expectTrue(
        hasLink === total > 100,
        `${ctx.describe(unbounded)}: ${hasLink ? 'a Link header although' : 'no Link header although'} the account has ${total} tokens and a page holds 100`,
      );
      for (const limit of ['0', '-1', '1.5', 'abc'])
        ctx.expectCondition(await ctx.api.list(ctx.env.masterToken, [['limit', limit]]), 'bad-limit');
    },
  }),
];

function iso(epochMs: number): string {
  return new Date(epochMs).toISOString();
}

function allowedUrls(count: number): string[] {
  return Array.from({ length: count }, (_, index) => `https://u${index}.example.com`);
}
