import { http, type HttpHandler } from 'msw';
import type { TokensRequestHandler } from '../src/http/tokens-request-handler.ts';
import { toFetchResponse } from '../src/http/plain-http.ts';
import { ROUTES } from '../src/http/routes.ts';

/**
 * One msw handler per path of the route table. `http.all` lets the request handler answer the documented
 * 405 and CORS preflight for a known path; paths outside the table stay unhandled, so msw's
 * unhandled-request strategy applies. Plain `:name` patterns behave the same in msw 2 and 3.
 * The request handler answers plain objects; msw needs a Fetch `Response`, made by the same conversion as mock.fetch().
 */
export function createMswHandlers(baseUrl: string, handleRequest: TokensRequestHandler): HttpHandler[] {
  const origin = baseUrl.replace(/\/+$/, '');
  return ROUTES.map((route) =>
    http.all(`${origin}${route.path}`, async ({ request }) => {
      const answer = await handleRequest(request);
      return answer === undefined ? undefined : toFetchResponse(answer);
    }),
  );
}
