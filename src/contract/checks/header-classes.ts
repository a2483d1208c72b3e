import { expectEqual, expectTrue } from '../assertions.ts';
import { defineCheck, type ContractCheck } from '../check.ts';
import { forgeSignature } from '../token-strings.ts';
import type { ApiResponse } from '../transport.ts';
import { createOwned } from './expectations.ts';
import { EXPOSED_HEADERS, expectRateLimitHeaders } from './headers.ts';

/** CORS and rate-limit headers on every class of answer (429: rate-limit.enforced). */
export const headerClassChecks: ContractCheck[] = [
  defineCheck({
    id: 'headers.every-status-class',
    description:
      'answers 200, 204, 401, 404 and 422 carry the CORS headers; those past authentication carry the same X-Rate-Limit-Interval (seconds) and -Limit and a Reset in epoch seconds',
    operation: undefined,
    tags: ['headers', 'cors', 'rate-limit-headers', 'listTokens', 'deleteToken'],
    documentation:
      'decision cors ("Every response carries Access-Control-Allow-Origin: *"); decision rate-limit (headers "on every response that passed authentication"); reference: 100 requests per minute',
    async run(ctx) {
      const { publicScopes } = await ctx.use('account');
      const pk = await ctx.use('pk');
      const doomed = await createOwned(ctx, 'headers 204', { scopes: [publicScopes[0]!] });
      const answers: [string, ApiResponse, boolean][] = [
        ['200', await ctx.api.list(ctx.env.masterToken, [['limit', '1']]), true],
        ['204', await ctx.api.remove(ctx.env.masterToken, String(doomed['id'])), true],
        ['401', await ctx.api.list(forgeSignature(ctx.env.masterToken), [['limit', '1']]), false],
        ['404', await ctx.api.list(pk.token, [['limit', '1']]), true],
        ['422', await ctx.api.list(ctx.env.masterToken, [['usage', 'tk']]), true],
      ];
      const windows = new Set<string>();
      for (const [status, response, authenticated] of answers) {
        const where = ctx.describe(response);
        expectEqual(String(response.status), status, `${where}: status`);
        expectTrue(
          response.headers.get('access-control-allow-origin') === '*',
          `${where} (${status}): Access-Control-Allow-Origin is ${response.headers.get('access-control-allow-origin') ?? '(none)'}, expected *`,
        );
        const exposed = (response.headers.get('access-control-expose-headers') ?? '')
          .toLowerCase()
          .split(',')
          .map((name) => name.trim());
        const missing = EXPOSED_HEADERS.filter((name) => !exposed.includes(name));
        expectTrue(missing.length === 0, `${where} (${status}): Access-Control-Expose-Headers lacks ${missing.join(', ')}`);
        if (status === '204') expectEqual(response.text, '', `${where}: body of 204`);
        if (!authenticated) continue;
        expectRateLimitHeaders(`${where} (${status})`, response, ctx.env.serverNow());
        const interval = Number(response.headers.get('x-rate-limit-interval'));
        expectTrue(interval <= 3600, `${where} (${status}): X-Rate-Limit-Interval ${interval} is not in seconds`);
        windows.add(`${response.headers.get('x-rate-limit-limit') ?? ''}/${interval}`);
      }
      expectTrue(windows.size === 1, `the answers advertise different rate limits: ${[...windows].join(', ')}`);
    },
  }),
];
