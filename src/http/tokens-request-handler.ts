import { API_ERRORS, ApiError, type ApiErrorId } from '../model/errors.ts';
import { INVALID_JSON, type ParsedBody } from '../model/request-validation.ts';
import type { OperationResult, TokensService } from '../model/service.ts';
import { toPlainRequest, type HandleableRequest, type PlainRequest, type PlainResponse } from './plain-http.ts';
import { errorResponse, jsonResponse, nextLinkHeader, noContentResponse, preflightResponse, rateLimitHeaders } from './responses.ts';
import { OPERATION_RULES } from '../generated/api-tables.ts';
import { matchRoute, operationPath, relativePathOf, type OperationId, type RouteMethod } from './routes.ts';

/**
 * A framework-free request handler: an answer for the Tokens API routes, undefined for other paths.
 * Plain objects in and out (no Fetch API classes), so a server can call it without building any.
 */
export type TokensRequestHandler = (request: PlainRequest) => Promise<PlainResponse | undefined>;

export interface TokensRequestHandlerOptions {
  /** Path prefix of the base URL ('' when the base URL is an origin). */
  basePath: string;
  /** The current service; requests wait for the mock's initialisation through it. */
  service: () => Promise<TokensService>;
  /** Told the document's condition id of every error answer (the request journal records it). */
  onCondition?: (request: PlainRequest, condition: ApiErrorId) => void;
}

/** First value of every query parameter: the SDK repeats `limit` and `access_token` on nextPage(). */
function firstQueryValues(params: URLSearchParams): Record<string, string> {
  const query: Record<string, string> = {};
  for (const [name, value] of params) if (!(name in query)) query[name] = value;
  return query;
}

/** The body as JSON whatever the Content-Type (the tutorial's curl sends none); empty counts as {}. */
async function readJsonBody(request: PlainRequest): Promise<ParsedBody> {
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
  request: PlainRequest;
  url: URL;
  query: Record<string, string>;
  params: Record<string, string>;
  basePath: string;
}

/** The operation's success answer, with the status the document gives it (no body for a 204). */
function success(operation: OperationId, body: unknown, headers: Record<string, string>): PlainResponse {
  const status = OPERATION_RULES[operation].successStatus;
  return status === 204 ? noContentResponse(headers) : jsonResponse(status, body, headers);
}

function withRate<T>(operation: OperationId, result: OperationResult<T>): PlainResponse {
  return success(operation, result.value, rateLimitHeaders(result.rateLimit));
}

const OPERATIONS: Record<OperationId, (context: OperationContext) => Promise<PlainResponse>> = {
  async listTokens({ service, url, query, params, basePath }) {
    const result = await service.listTokens({ accessToken: query.access_token, username: params.username!, query });
    const { nextQuery } = result.value;
    // Built from the request's own origin so clients never follow a Link to the real Mapbox (docs/sources.md §1.5).
    const link =
      nextQuery === undefined
        ? {}
        : nextLinkHeader(
            `${url.origin}${basePath}${operationPath('listTokens', { username: params.username! })}?${new URLSearchParams(nextQuery)}`,
          );
    return success('listTokens', result.value.tokens, { ...rateLimitHeaders(result.rateLimit), ...link });
  },
  async createToken({ service, request, query, params }) {
    const body = await readJsonBody(request);
    // 200, not 201 (docs/sources.md §2).
    return withRate('createToken', await service.createToken({ accessToken: query.access_token, username: params.username!, body }));
  },
  async updateToken({ service, request, query, params }) {
    const body = await readJsonBody(request);
    const result = await service.updateToken({
      accessToken: query.access_token,
      username: params.username!,
      tokenId: params.token_id!,
      body,
    });
    return withRate('updateToken', result);
  },
  async deleteToken({ service, query, params }) {
    return withRate(
      'deleteToken',
      await service.deleteToken({ accessToken: query.access_token, username: params.username!, tokenId: params.token_id! }),
    );
  },
  async retrieveToken({ service, query }) {
    return withRate('retrieveToken', await service.retrieveToken({ accessToken: query.access_token }));
  },
  async listScopes({ service, query, params }) {
    return withRate('listScopes', await service.listScopes({ accessToken: query.access_token, username: params.username! }));
  },
};

export function createTokensRequestHandler(options: TokensRequestHandlerOptions): TokensRequestHandler {
  return async (request) => {
    const url = new URL(request.url);
    const relativePath = relativePathOf(url.pathname, options.basePath);
    const match = relativePath === undefined ? undefined : matchRoute(relativePath);
    if (match === undefined) return undefined;
    const method = request.method.toUpperCase();
    if (method === 'OPTIONS') return preflightResponse();
    // HEAD answers as GET does; whoever writes the answer drops the body (as the server does).
    const operation = match.route.operations[(method === 'HEAD' ? 'GET' : method) as RouteMethod];
    if (operation === undefined) {
      options.onCondition?.(request, 'method-not-allowed');
      const { status, message } = API_ERRORS['method-not-allowed'];
      const allowed = Object.keys(match.route.operations);
      if (allowed.includes('GET')) allowed.push('HEAD');
      return errorResponse(status, message, { Allow: [...allowed, 'OPTIONS'].join(', ') });
    }
    try {
      // All or nothing: an operation that throws (a refusal, or a bug answered 500 below) leaves
      // the model as it found it, whatever it wrote before (TokensService.atomically).
      return await (await options.service()).atomically((service) =>
        OPERATIONS[operation]({
          service,
          request,
          url,
          query: firstQueryValues(url.searchParams),
          params: match.params,
          basePath: options.basePath,
        }),
      );
    } catch (error) {
      if (error instanceof ApiError) {
        options.onCondition?.(request, error.id);
        return errorResponse(error.status, error.message, rateLimitHeaders(error.rateLimit));
      }
      // An unexpected failure is a bug of the mock; answer JSON rather than crash the caller.
      console.error('[mapbox-tokens-mock] unexpected error', error);
      const { status, message } = API_ERRORS['internal-error'];
      return errorResponse(status, message);
    }
  };
}

/**
 * The request handler plus the fallback of mock.fetch() and mock.handle(): 404 JSON Not Found for paths outside
 * the route table (msw handlers use the bare handler instead, so msw's unhandled-request strategy applies).
 */
export function createPlainHandler(handleRequest: TokensRequestHandler): (request: HandleableRequest) => Promise<PlainResponse> {
  return async (request) => {
    const response = await handleRequest(toPlainRequest(request));
    if (response !== undefined) return response;
    const { status, message } = API_ERRORS['route-not-found'];
    return errorResponse(status, message);
  };
}
