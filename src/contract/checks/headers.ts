import { expectTrue } from '../assertions.ts';
import { defineCheck, type ContractCheck } from '../check.ts';
import type { ApiResponse } from '../transport.ts';
import { API_ERRORS, operationPath } from '../../generated/api-tables.ts';

export const EXPOSED_HEADERS = ['link', 'x-rate-limit-interval', 'x-rate-limit-limit', 'x-rate-limit-reset'];

/** Headers every JSON response carries (CORS, content type, rate-limit headers) and routing. */
export const headerChecks: ContractCheck[] = [
  defineCheck({
    id: 'headers.cors',
    description: 'JSON responses (success and error) allow any origin and expose Link and the rate-limit headers',
    operation: undefined,
    tags: ['headers', 'cors'],
    documentation:
      'document (cors): Access-Control-Allow-Origin * and Access-Control-Expose-Headers; docs/sources.md §1.5 (mapbox-sdk-js#137)',
    async run(ctx) {
      const listing = await ctx.use('listing');
      const account = await ctx.use('account');
      const error = await ctx.api.retrieve(undefined);
      for (const response of [listing.responses[0]!, account.scopesResponse, error]) {
        ctx.expectSuccess(response, response.status);
        const where = ctx.describe(response);
        expectTrue(
          response.headers.get('access-control-allow-origin') === '*',
          `${where}: Access-Control-Allow-Origin is ${response.headers.get('access-control-allow-origin') ?? '(none)'}, expected *`,
        );
        const exposed = (response.headers.get('access-control-expose-headers') ?? '')
          .toLowerCase()
          .split(',')
          .map((name) => name.trim());
        const missing = EXPOSED_HEADERS.filter((name) => !exposed.includes(name));
        expectTrue(missing.length === 0, `${where}: Access-Control-Expose-Headers lacks ${missing.join(', ')}`);
      }
    },
  }),
  defineCheck({
    id: 'headers.rate-limit',
    description: 'authenticated responses carry X-Rate-Limit-Interval, -Limit and -Reset (epoch seconds within the interval)',
    operation: 'listTokens',
    tags: ['headers', 'rate-limit-headers'],
    documentation: 'reference: 100 requests per minute; docs/sources.md §4: X-Rate-Limit-Interval/Limit/Reset',
    async run(ctx) {
      const listing = await ctx.use('listing');
      expectRateLimitHeaders(ctx.describe(listing.responses[0]!), listing.responses[0]!, ctx.env.serverNow());
    },
  }),
  defineCheck({
    id: 'headers.cors-preflight',
    description: 'an OPTIONS preflight answers 204 without authentication, allowing the API methods and Content-Type',
    operation: undefined,
    tags: ['headers', 'cors', 'mock-choice'],
    documentation:
      'document (cors): preflight 204 with Access-Control-Allow-Methods and -Headers (mock choice; Mapbox supports CORS, docs/sources.md §10.7)',
    async run(ctx) {
      const response = await ctx.api.call({
        method: 'OPTIONS',
        path: operationPath('listTokens', { username: ctx.env.username }),
        headers: {
          origin: 'https://example.com',
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type',
        },
      });
      const where = ctx.describe(response);
      expectTrue(response.status === 204 || response.status === 200, `${where}: expected 204, got ${response.status}`, {
        expected: 204,
        actual: response.status,
      });
      const methods = (response.headers.get('access-control-allow-methods') ?? '').toUpperCase();
      const missing = ['GET', 'POST', 'PATCH', 'DELETE'].filter((method) => !methods.includes(method));
      expectTrue(missing.length === 0, `${where}: Access-Control-Allow-Methods lacks ${missing.join(', ')}`);
      expectTrue(
        (response.headers.get('access-control-allow-headers') ?? '').toLowerCase().includes('content-type'),
        `${where}: Access-Control-Allow-Headers lacks Content-Type`,
      );
      expectTrue(response.headers.get('access-control-allow-origin') === '*', `${where}: Access-Control-Allow-Origin is not *`);
    },
  }),
  defineCheck({
    id: 'routes.method-not-allowed',
    description: 'a known path with an unsupported method answers 405 with a JSON message',
    operation: undefined,
    tags: ['mock-choice'],
    documentation: 'document (method-not-allowed): 405 `Method Not Allowed` (mock choice)',
    async run(ctx) {
      const response = await ctx.api.call({
        method: 'PUT',
        path: operationPath('listTokens', { username: ctx.env.username }),
        token: ctx.env.masterToken,
        body: {},
      });
      ctx.expectSuccess(response, 405, 'Error');
      if (ctx.env.strictMessages) {
        const message = (response.json as { message: string }).message;
        const expected = API_ERRORS['method-not-allowed'].message;
        expectTrue(
          message === expected,
          `${ctx.describe(response)}: expected message ${JSON.stringify(expected)}, got ${JSON.stringify(message)}`,
        );
      }
    },
  }),
];

export function expectRateLimitHeaders(where: string, response: ApiResponse, serverNow: number): void {
  const interval = Number(response.headers.get('x-rate-limit-interval'));
  const limit = Number(response.headers.get('x-rate-limit-limit'));
  const reset = Number(response.headers.get('x-rate-limit-reset'));
  expectTrue(
    Number.isInteger(interval) && interval > 0,
    `${where}: X-Rate-Limit-Interval is ${response.headers.get('x-rate-limit-interval') ?? '(none)'}`,
  );
  expectTrue(
    Number.isInteger(limit) && limit > 0,
    `${where}: X-Rate-Limit-Limit is ${response.headers.get('x-rate-limit-limit') ?? '(none)'}`,
  );
  const nowSeconds = serverNow / 1000;
  expectTrue(
    Number.isInteger(reset) && reset >= nowSeconds - 5 && reset <= nowSeconds + interval + 5,
    `${where}: X-Rate-Limit-Reset ${response.headers.get('x-rate-limit-reset') ?? '(none)'} is not epoch seconds within the next ${interval} s`,
  );
}
