import { expectTrue, fail } from '../assertions.ts';
import { defineCheck, type ContractCheck } from '../check.ts';
import { resetWaitMs, type ApiResponse } from '../transport.ts';
import { abortableSleep } from '../sleep.ts';
import { expectRateLimitHeaders } from './headers.ts';

/** The opt-in rate-limit check: spends the account's quota for the current window. */
export const rateLimitChecks: ContractCheck[] = [
  defineCheck({
    id: 'rate-limit.enforced',
    description: 'requests beyond X-Rate-Limit-Limit in one window answer 429 Too Many Requests, and the limit resets (opt-in)',
    operation: 'listTokens',
    tags: ['rate-limit'],
    optIn: 'rate-limit',
    conditions: ['rate-limited'],
    documentation: 'reference: "limited to 100 requests per minute per account"; docs/sources.md §4: 429 {"message":"Too Many Requests"}',
    async run(ctx) {
      const send = (): Promise<ApiResponse> =>
        ctx.api.call({ method: 'GET', path: `/tokens/v2/${encodeURIComponent(ctx.env.username)}`, query: [['limit', '1']], token: ctx.env.masterToken, send: { paced: false, retryOn429: false } });
      const first = await send();
      ctx.expectSuccess(first, 200, 'TokenList');
      expectRateLimitHeaders(ctx.describe(first), first, ctx.env.serverNow());
      const limit = Number(first.headers.get('x-rate-limit-limit'));
      let limited: ApiResponse | undefined;
      for (let sent = 1; sent <= limit + 1; sent++) {
        const response = await send();
        if (response.status === 429) {
          limited = response;
          break;
        }
      }
      if (!limited) fail(`${limit + 2} requests in a row never answered 429 (X-Rate-Limit-Limit ${limit})`);
      // Only the 429 itself is kept in the report: the burst would drown it.
      ctx.api.exchanges.splice(1, ctx.api.exchanges.length - 2);
      ctx.expectCondition(limited, 'rate-limited');
      expectRateLimitHeaders(ctx.describe(limited), limited, ctx.env.serverNow());
      await abortableSleep(resetWaitMs(limited.headers));
      const after = await send();
      expectTrue(after.status === 200, `${ctx.describe(after)}: after X-Rate-Limit-Reset the request still answers ${after.status}`);
    },
  }),
];
