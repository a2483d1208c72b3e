import { expectEqual, expectTrue, fail } from '../assertions.ts';
import { defineCheck, type ContractCheck } from '../check.ts';
import { operationPath } from '../../generated/api-tables.ts';
import { resetWaitMs, type ApiResponse } from '../transport.ts';
import { abortableSleep } from '../sleep.ts';
import { expectRateLimitHeaders } from './headers.ts';

/** The documented limit: "limited to 100 requests per minute per account". */
const DOCUMENTED_LIMIT_PER_MINUTE = 100;

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
        ctx.api.call({
          method: 'GET',
          path: operationPath('listTokens', { username: ctx.env.username }),
          query: [['limit', '1']],
          token: ctx.env.masterToken,
          send: { paced: false, retryOn429: false },
        });
      const first = await send();
      ctx.expectSuccess(first, 200, 'TokenList');
      expectRateLimitHeaders(ctx.describe(first), first, ctx.env.serverNow());
      const advertised = Number(first.headers.get('x-rate-limit-limit'));
      // The request count is bounded by the documented limit, never by what the server advertises.
      const limit =
        Number.isInteger(advertised) && advertised > 0 ? Math.min(advertised, DOCUMENTED_LIMIT_PER_MINUTE) : DOCUMENTED_LIMIT_PER_MINUTE;
      let limited: ApiResponse | undefined;
      // Counted per window (X-Rate-Limit-Reset): a slow link may cross into the next window mid-burst.
      let window = first.headers.get('x-rate-limit-reset');
      let inWindow = 1;
      // Never more than the documented limit in all, even when a window rolls over mid-burst (issue 13).
      for (let sent = 1; sent <= limit + 1 && inWindow <= limit; sent++) {
        const response = await send();
        if (response.status === 429) {
          limited = response;
          break;
        }
        const reset = response.headers.get('x-rate-limit-reset');
        inWindow = reset === window ? inWindow + 1 : 1;
        window = reset;
      }
      if (!limited)
        fail(
          `${limit + 1} requests in one window (X-Rate-Limit-Reset ${window ?? '(none)'}) never answered 429 (X-Rate-Limit-Limit ${first.headers.get('x-rate-limit-limit')}; documented: ${DOCUMENTED_LIMIT_PER_MINUTE} per minute)`,
        );
      // Only the 429 itself is kept in the report: the burst would drown it.
      ctx.api.exchanges.splice(1, ctx.api.exchanges.length - 2);
      ctx.expectCondition(limited, 'rate-limited');
      expectRateLimitHeaders(ctx.describe(limited), limited, ctx.env.serverNow());
      expectTrue(
        limited.headers.get('access-control-allow-origin') === '*',
        `${ctx.describe(limited)}: the 429 has no Access-Control-Allow-Origin: *`,
      );
      // Retrieve is never rate limited: it still answers with a code inside the spent window.
      const retrieve = await ctx.api.call({
        method: 'GET',
        path: operationPath('retrieveToken', {}),
        token: ctx.env.masterToken,
        send: { paced: false, retryOn429: false },
      });
      ctx.expectRetrieveCode(retrieve, 'token-valid');
      await abortableSleep(resetWaitMs(limited.headers), ctx.signal);
      const after = await send();
      expectTrue(after.status === 200, `${ctx.describe(after)}: after X-Rate-Limit-Reset the request still answers ${after.status}`);
      // A fresh window began with that request: exactly X-Rate-Limit-Limit requests are served in it.
      const fresh = after.headers.get('x-rate-limit-reset');
      let served = 1;
      for (;;) {
        const response = await send();
        if (response.headers.get('x-rate-limit-reset') !== fresh) break; // the link was too slow for one window: no verdict
        if (response.status === 429) {
          expectEqual(served, limit, `requests served in one window before the 429 (X-Rate-Limit-Limit ${limit})`);
          break;
        }
        served += 1;
        if (served > limit) fail(`${served} requests were served in one window (X-Rate-Limit-Limit ${limit})`);
      }
      ctx.api.exchanges.splice(2, ctx.api.exchanges.length - 3);
    },
  }),
];
