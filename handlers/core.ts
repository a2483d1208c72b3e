import { API_ERRORS, ApiError } from '../src/model/errors.ts';
import { INVALID_JSON, type ParsedBody } from '../src/model/request-validation.ts';
import type { OperationResult, TokensService } from '../src/model/service.ts';
import {
  errorResponse, jsonResponse, nextLinkHeader, noContentResponse, preflightResponse, rateLimitHeaders,
} from './responses.ts';
import { matchRoute, relativePathOf, type OperationId, type RouteMethod } from './routes.ts';

/** A framework-free request handler: a Response for the Tokens API routes, undefined for other paths. */
export type RequestCore = (request: Request) => Promise<Response | undefined>;

export interface RequestCoreOptions {
  /** Path prefix of the base URL ('' when the base URL is an origin). */
  basePath: string;
  /** The current service; requests wait for the mock's initialisation through it. */
  service: () => Promise<TokensService>;
}

/** First value of every query parameter: the SDK repeats `limit` and `access_token` on nextPage(). */
export function firstQueryValues(params: URLSearchParams): Record<string, string> {
  const query: Record<string, string> = {};
  for (const [name, value] of params) if (!(name in query)) query[name] = value;
  return query;
}

/** The body as JSON whatever the Content-Type (the tutorial's curl sends none); empty counts as {}. */
export async function readJsonBody(request: Request): Promise<ParsedBody> {
  let text: string;
  try {
    text = await request.text();
  } catch {
    return INVALID_JSON;
  }
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return INVALID_JSON;
  }
}

interface OperationContext {
  service: TokensService;
  request: Request;
  url: URL;
  query: Record<string, string>;
  params: Record<string, string>;
  basePath: string;
}

function withRate<T>(result: OperationResult<T>, status: number, extra: Record<string, string> = {}): Response {
  return jsonResponse(status, result.value, { ...rateLimitHeaders(result.rateLimit), ...extra });
}

const OPERATIONS: Record<OperationId, (context: OperationContext) => Promise<Response>> = {
  async listTokens({ service, url, query, params, basePath }) {
    const result = await service.listTokens({ accessToken: query.access_token, username: params.username!, query });
    const { nextQuery } = result.value;
    // Built from the request's own origin so clients never follow a Link to the real Mapbox (FACTS §1.5).
    const link = nextQuery === undefined ? {} : nextLinkHeader(
      `${url.origin}${basePath}/tokens/v2/${encodeURIComponent(params.username!)}?${new URLSearchParams(nextQuery)}`,
    );
    return jsonResponse(200, result.value.tokens, { ...rateLimitHeaders(result.rateLimit), ...link });
  },
  async createToken({ service, request, query, params }) {
    const body = await readJsonBody(request);
    return withRate(await service.createToken({ accessToken: query.access_token, username: params.username!, body }), 200);
  },
  async updateToken({ service, request, query, params }) {
    const body = await readJsonBody(request);
    const result = await service.updateToken({
      accessToken: query.access_token, username: params.username!, tokenId: params.tokenId!, body,
    });
    return withRate(result, 200);
  },
  async deleteToken({ service, query, params }) {
    const result = await service.deleteToken({ accessToken: query.access_token, username: params.username!, tokenId: params.tokenId! });
    return noContentResponse(rateLimitHeaders(result.rateLimit));
  },
  async retrieveToken({ service, query }) {
    return withRate(await service.retrieveToken({ accessToken: query.access_token }), 200);
  },
  async listScopes({ service, query, params }) {
    return withRate(await service.listScopes({ accessToken: query.access_token, username: params.username! }), 200);
  },
};

export function createRequestCore(options: RequestCoreOptions): RequestCore {
  return async (request) => {
    const url = new URL(request.url);
    const relativePath = relativePathOf(url.pathname, options.basePath);
    const match = relativePath === undefined ? undefined : matchRoute(relativePath);
    if (match === undefined) return undefined;
    const method = request.method.toUpperCase();
    if (method === 'OPTIONS') return preflightResponse();
    const operation = match.route.operations[method as RouteMethod];
    if (operation === undefined) {
      const { status, message } = API_ERRORS['method-not-allowed'];
      return errorResponse(status, message, { Allow: [...Object.keys(match.route.operations), 'OPTIONS'].join(', ') });
    }
    try {
      const service = await options.service();
      return await OPERATIONS[operation]({
        service, request, url, query: firstQueryValues(url.searchParams), params: match.params, basePath: options.basePath,
      });
    } catch (error) {
      if (error instanceof ApiError) return errorResponse(error.status, error.message, rateLimitHeaders(error.rateLimit));
      // An unexpected failure is a bug of the mock; answer JSON rather than crash the caller.
      console.error('[mapbox-tokens-mock] unexpected error', error);
      return errorResponse(500, 'Internal Server Error');
    }
  };
}

/** Core plus the fallback of mock.fetch(): 404 JSON Not Found for paths outside the route table. */
export function createFetchHandler(core: RequestCore): (request: Request) => Promise<Response> {
  return async (request) => {
    const response = await core(request);
    if (response !== undefined) return response;
    const { status, message } = API_ERRORS['route-not-found'];
    return errorResponse(status, message);
  };
}
