import type { OperationId } from '../generated/api-tables.ts';
import type { TokensRequestHandler } from '../http/tokens-request-handler.ts';
import type { PlainRequest, PlainResponse } from '../http/plain-http.ts';
import { routeOf } from '../http/routes.ts';
import { API_ERRORS, type ApiErrorId } from '../model/errors.ts';
import { checkBodyField } from '../model/request-validation.ts';
import type { FaultName, FaultSet } from './catalogue.ts';

/** One request as a fault sees it. */
interface Exchange {
  readonly request: PlainRequest;
  readonly url: URL;
  /** The route's operation (GET's for HEAD); undefined outside the route table or for another method. */
  readonly operation: OperationId | undefined;
  /** The route's path parameters (percent-decoded). */
  readonly params: Readonly<Record<string, string>>;
}

/** An answer as a fault sees it: the exchange and the error table row it answers, if any. */
interface Answer extends Exchange {
  /** The condition id of an error answer (undefined for a success, a preflight or a 500). */
  readonly condition: ApiErrorId | undefined;
}

/** A fault of what goes over the wire: it bends the request before the handler, or its answer after. */
interface ExchangeFault {
  request?(exchange: Exchange): PlainRequest | Promise<PlainRequest>;
  response?(response: PlainResponse, answer: Answer): PlainResponse;
}

const WRONG_LINK_ORIGIN = 'https://api.mapbox.com';
const CORS_HEADER_NAMES = ['Access-Control-Allow-Origin', 'Access-Control-Expose-Headers'];
const RATE_LIMIT_HEADER_NAMES = ['X-Rate-Limit-Interval', 'X-Rate-Limit-Limit', 'X-Rate-Limit-Reset'];
/** The operations whose answers carry token metadata. */
const TOKEN_METADATA_OPERATIONS: ReadonlySet<OperationId | undefined> = new Set(['listTokens', 'createToken', 'updateToken']);

function withoutHeaders(response: PlainResponse, names: readonly string[]): PlainResponse {
  const headers = { ...response.headers };
  for (const name of names) delete headers[name];
  return { ...response, headers };
}

/** The answer with its JSON body edited (a body that is not JSON stays as it is). */
function editJson(response: PlainResponse, edit: (body: unknown) => unknown): PlainResponse {
  if (response.body === null) return response;
  let body: unknown;
  try {
    body = JSON.parse(response.body);
  } catch {
    return response;
  }
  return { ...response, body: JSON.stringify(edit(body)) };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Each pk/sk token metadata object of a list, create or update answer, edited. */
function editTokenMetadata(response: PlainResponse, answer: Answer, edit: (token: Record<string, unknown>) => void): PlainResponse {
  if (response.status !== 200 || !TOKEN_METADATA_OPERATIONS.has(answer.operation)) return response;
  return editJson(response, (body) => {
    for (const token of Array.isArray(body) ? body : [body]) if (isObject(token) && 'usage' in token) edit(token);
    return body;
  });
}

/** An error answer with another status or message (the error table's rows are answered as `{ message }`). */
function errorAnswer(response: PlainResponse, status: number, message: string): PlainResponse {
  return { ...editJson(response, () => ({ message })), status };
}

function successOf(operation: OperationId, response: PlainResponse, answer: Answer): boolean {
  return answer.operation === operation && response.status < 300;
}

/** A list request without one of its query parameters. */
function ignoringListParameter(name: string): ExchangeFault {
  return {
    request({ request, url, operation }) {
      if (operation !== 'listTokens' || !url.searchParams.has(name)) return request;
      const bent = new URL(url);
      bent.searchParams.delete(name);
      return { method: request.method, url: bent.href, text: () => request.text() };
    },
  };
}

/** A retrieve answer that reports `to` where the token's code is `from`. */
function retrieveReads(from: string, to: string): ExchangeFault {
  return {
    response: (response, answer) =>
      successOf('retrieveToken', response, answer)
        ? editJson(response, (body) => (isObject(body) && body.code === from ? { ...body, code: to } : body))
        : response,
  };
}

/**
 * The faults of the exchange, in the order they apply to one answer (the error-table faults first,
 * as the error table is answered before the headers and bodies are bent).
 */
export const EXCHANGE_FAULTS = {
  'missing-scope-answers-403': {
    response: (response, { condition }) => (condition === 'missing-scope' ? { ...response, status: 403 } : response),
  },
  'no-such-user-answers-not-found': {
    response: (response, { condition }) =>
      condition === 'no-such-user' ? errorAnswer(response, response.status, API_ERRORS['other-user'].message) : response,
  },
  'retrieve-missing-token-answers-401': {
    response: (response, { condition }) =>
      condition === 'access-token-required'
        ? errorAnswer(response, API_ERRORS['missing-token'].status, API_ERRORS['missing-token'].message)
        : response,
  },
  'not-found-lowercase': {
    response: (response, { condition }) =>
      condition !== undefined &&
      response.status === 404 &&
      response.body === JSON.stringify({ message: API_ERRORS['token-not-found'].message })
        ? errorAnswer(response, 404, API_ERRORS['other-user'].referenceMessage)
        : response,
  },
  'errors-not-json': {
    response: (response, { condition }) =>
      condition === undefined ? response : { ...response, headers: { ...response.headers, 'Content-Type': 'text/plain; charset=utf-8' } },
  },
  'rate-limit-headers-missing': { response: (response) => withoutHeaders(response, RATE_LIMIT_HEADER_NAMES) },
  'cors-headers-missing': {
    // The preflight keeps its headers, and so does the 500 of a bug of the mock.
    response: (response, { request, condition }) =>
      request.method.toUpperCase() === 'OPTIONS' || (response.status === 500 && condition === undefined)
        ? response
        : withoutHeaders(response, CORS_HEADER_NAMES),
  },

  'list-ignores-usage': ignoringListParameter('usage'),
  'list-ignores-default': ignoringListParameter('default'),
  'list-ignores-sortby': ignoringListParameter('sortby'),
  'list-ignores-limit': ignoringListParameter('limit'),
  'list-cursor-ignored': ignoringListParameter('start'),
  'list-link-missing': {
    response: (response, answer) => (successOf('listTokens', response, answer) ? withoutHeaders(response, ['Link']) : response),
  },
  'list-link-wrong-origin': {
    response: (response, answer) => {
      const link = response.headers.Link;
      if (!successOf('listTokens', response, answer) || link === undefined) return response;
      return { ...response, headers: { ...response.headers, Link: link.replace(`<${answer.url.origin}`, `<${WRONG_LINK_ORIGIN}`) } };
    },
  },

  'create-answers-201': {
    response: (response, answer) => (successOf('createToken', response, answer) ? { ...response, status: 201 } : response),
  },
  'token-missing-client': {
    response: (response, answer) =>
      editTokenMetadata(response, answer, (token) => {
        delete token.client;
      }),
  },
  'token-dates-not-iso': {
    response: (response, answer) =>
      editTokenMetadata(response, answer, (token) => {
        for (const field of ['created', 'modified'])
          if (typeof token[field] === 'string') token[field] = new Date(token[field]).toUTCString();
      }),
  },

  'update-ignores-note': {
    // A valid note is dropped from the PATCH body (an invalid one is still refused).
    async request({ request, operation }) {
      if (operation !== 'updateToken') return request;
      const text = await request.text();
      const unchanged: PlainRequest = { method: request.method, url: request.url, text: async () => text };
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        return unchanged;
      }
      if (!isObject(body) || !('note' in body)) return unchanged;
      try {
        checkBodyField('updateToken', 'note', body.note);
      } catch {
        return unchanged;
      }
      const { note: _ignored, ...rest } = body;
      return { method: request.method, url: request.url, text: async () => JSON.stringify(rest) };
    },
  },

  'delete-answers-200': {
    response: (response, answer) =>
      successOf('deleteToken', response, answer)
        ? {
            status: 200,
            headers: { 'Content-Type': 'application/json; charset=utf-8', ...response.headers },
            body: JSON.stringify({ id: answer.params.token_id }),
          }
        : response,
  },

  'retrieve-revoked-reads-valid': retrieveReads('TokenRevoked', 'TokenValid'),
  'retrieve-forged-reads-valid': retrieveReads('TokenInvalid', 'TokenValid'),
  'retrieve-expired-reads-valid': retrieveReads('TokenExpired', 'TokenValid'),
  'retrieve-malformed-reads-invalid': retrieveReads('TokenMalformed', 'TokenInvalid'),

  'scopes-secret-marked-public': {
    response: (response, answer) =>
      successOf('listScopes', response, answer)
        ? editJson(response, (body) =>
            Array.isArray(body) ? body.map((scope) => (isObject(scope) ? { id: scope.id, public: true, ...scope } : scope)) : body,
          )
        : response,
  },
} as const satisfies Partial<Record<FaultName, ExchangeFault>>;

type ExchangeFaultName = keyof typeof EXCHANGE_FAULTS;

const EXCHANGE_FAULT_ORDER = Object.keys(EXCHANGE_FAULTS) as ExchangeFaultName[];

export interface ExchangeFaultOptions {
  /** Path prefix of the base URL ('' when the base URL is an origin). */
  basePath: string;
  /** The faults in effect (read on every request: the mock may change them at any time). */
  faults: FaultSet;
  /** The condition id of each error answer, by request, as the request handler reported it. */
  conditions: WeakMap<PlainRequest, ApiErrorId>;
}

/**
 * The request handler with the exchange faults of `faults` around it: each bends the request on its
 * way in or the answer on its way out. With no fault in effect, the request goes straight through.
 */
export function withExchangeFaults(handleRequest: TokensRequestHandler, options: ExchangeFaultOptions): TokensRequestHandler {
  return async (request) => {
    if (options.faults.size === 0) return handleRequest(request);
    const active = EXCHANGE_FAULT_ORDER.filter((name) => options.faults.has(name)).map((name): ExchangeFault => EXCHANGE_FAULTS[name]);
    if (active.length === 0) return handleRequest(request);
    const url = new URL(request.url);
    const method = request.method.toUpperCase();
    const { match, operation } = routeOf(url, method === 'HEAD' ? 'GET' : method, options.basePath);
    const exchange: Exchange = { request, url, operation: operation ?? undefined, params: match?.params ?? {} };
    let bent = request;
    for (const fault of active) if (fault.request) bent = await fault.request({ ...exchange, request: bent, url: new URL(bent.url) });
    let response = await handleRequest(bent);
    const condition = options.conditions.get(bent);
    if (bent !== request && condition !== undefined) options.conditions.set(request, condition);
    if (response === undefined) return undefined;
    const answer: Answer = { ...exchange, condition };
    for (const fault of active) if (fault.response) response = fault.response(response, answer);
    return response;
  };
}
