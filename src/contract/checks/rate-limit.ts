import { expectEqual, expectTrue, fail } from '../assertions.ts';
import { defineCheck, type ContractCheck } from '../check.ts';
import { operationPath } from '../../generated/api-tables.ts';
import { resetWaitMs, type ApiResponse } from '../transport.ts';
import { abortableSleep } from '../sleep.ts';
import { CheckSkipped } from '../errors.ts';
import { expectRateLimitHeaders } from './headers.ts';

/** The documented limit: "limited to 100 requests per minute per account". */
const DOCUMENTED_LIMIT_PER_MINUTE = 100;

/** The opt-in rate-limit check: spends the account's quota for the current window. */
export const rateLimitChecks: ContractCheck[] = [
  defineCheck({
    id: 'rate-limit.enforced',
    description:
      'requests beyond X-Rate-Limit-Limit in one window answer 429 Too Many Requests, refused requests (422) count too, and the limit resets (opt-in)',
    operation: 'listTokens',
    tags: ['rate-limit'],
    optIn: 'rate-limit',
    conditions: ['rate-limited'],
    documentation: 'reference: "limited to 100 requests per minute per account"; docs/sources.md §4: 429 {"message":"Too Many Requests"}',
    async run(ctx) {
      const list = (limit: string): Promise<ApiResponse> =>
        ctx.api.call({
          method: 'GET',
          path: operationPath('listTokens', { username: ctx.env.username }),
          query: [['limit', limit]],
          token: ctx.env.masterToken,
          send: { paced: false, retryOn429: false },
        });
      const send = (): Promise<ApiResponse> => list('1');
      const first = await send();
      ctx.expectSuccess(first, 200, 'TokenList');
      expectRateLimitHeaders(ctx.describe(first), first, ctx.env.serverNow());
      const advertised = Number(first.headers.get('x-rate-limit-limit'));
      // The request count is bounded by the documented limit, never by what the server advertises.
      const limit =
        Number.isInteger(advertised) && advertised > 0 ? Math.min(advertised, DOCUMENTED_LIMIT_PER_MINUTE) : DOCUMENTED_LIMIT_PER_MINUTE;
      // A burst begun late in a window rolls over into the next one and proves nothing, so it starts
      // in a fresh window unless most of the current one is still ahead.
      const intervalMs = Number(first.headers.get('x-rate-limit-interval')) * 1000;
      const leftMs = Number(first.headers.get('x-rate-limit-reset')) * 1000 - ctx.env.serverNow();
      if (!(leftMs >= (intervalMs * 2) / 3)) await abortableSleep(resetWaitMs(first.headers, ctx.env.serverNow()), ctx.signal);
      let limited: ApiResponse | undefined;
      let window: string | null | undefined;
      let inWindow = 0;
      let restarted = false;
      // Never more than the documented limit and one in a window, whatever the server advertises
      // (issue 13), and at most two windows: the one the burst began in and, after a rollover, the next.
      while (inWindow <= limit) {
        const response = await send();
        if (response.status === 429) {
          limited = response;
          break;
        }
        const reset = response.headers.get('x-rate-limit-reset');
        if (window !== undefined && reset !== window) {
          // A window may end mid-burst on a slow link, but not before its own reset time has come
          // (the Date header has whole seconds, hence one second of slack).
          expectTrue(
            ctx.env.serverNow() >= (Number(window) - 1) * 1000,
            `${ctx.describe(response)}: X-Rate-Limit-Reset moved from ${window} to ${reset} before ${window} was reached`,
          );
          if (restarted) {
            throw new CheckSkipped(
              `no verdict: the window rolled over twice before X-Rate-Limit-Limit (${limit}) requests were sent in one (the link is too slow)`,
            );
          }
          // This answer opened the next window: the burst starts over there, from its beginning.
          restarted = true;
          inWindow = 0;
        }
        window = reset;
        inWindow += 1;
      }
      if (!limited)
        fail(
          `${inWindow} requests in one window (X-Rate-Limit-Reset ${window ?? '(none)'}) never answered 429 (X-Rate-Limit-Limit ${first.headers.get('x-rate-limit-limit')}; documented: ${DOCUMENTED_LIMIT_PER_MINUTE} per minute)`,
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
      await abortableSleep(resetWaitMs(limited.headers, ctx.env.serverNow()), ctx.signal);
      const after = await send();
      expectTrue(after.status === 200, `${ctx.describe(after)}: after X-Rate-Limit-Reset the request still answers ${after.status}`);
      // A fresh window began with that request: exactly X-Rate-Limit-Limit requests are answered in
      // it. Every other one is refused (limit=0: 422): the limit is on requests, and a refusal comes
      // after the rate-limit step (decision check-order), so it counts like any other.
      const fresh = after.headers.get('x-rate-limit-reset');
      let served = 1;
      for (;;) {
        const refused = served % 2 === 1;
        const response = await (refused ? list('0') : send());
        if (refused && response.status !== 429) ctx.expectCondition(response, 'bad-limit');
        if (response.headers.get('x-rate-limit-reset') !== fresh) break; // the link was too slow for one window: no verdict
        if (response.status === 429) {
          expectEqual(
            served,
            limit,
            `requests answered (half of them refused with 422) in one window before the 429 (X-Rate-Limit-Limit ${limit})`,
          );
          break;
        }
        served += 1;
        if (served > limit)
          fail(`${served} requests were answered in one window (X-Rate-Limit-Limit ${limit}): are refused requests (422) not counted?`);
      }
      ctx.api.exchanges.splice(2, ctx.api.exchanges.length - 3);
    },
  }),
];
