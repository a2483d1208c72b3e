// Wraps the request handler with what the mock observes and adds around each request: strict-mode
// checks, simulated latency and the request journal. Both mock.fetch()/handle() and the msw
// handlers go through it; only the way of waiting differs (a timer, or msw's delay()). With none
// of the three switched on it returns the request handler itself, so the plain mock pays nothing.
import type { ApiErrorId } from '../model/errors.ts';
import type { TokensRequestHandler } from '../http/tokens-request-handler.ts';
import type { LatencyPicker } from './latency.ts';
import type { PlainRequest, PlainResponse } from '../http/plain-http.ts';
import type { RequestJournal } from './request-journal.ts';
import { errorResponse } from '../http/responses.ts';
import { routeOf } from '../http/routes.ts';
import { checkRequest, StrictModeViolationError, type OnViolation, type ViolationLog } from './strict-mode.ts';
import { API_ERRORS } from '../model/errors.ts';

export interface ObservationOptions {
  basePath: string;
  journal: RequestJournal;
  /** Filled by the request handler's onCondition hook: the condition id of each error answer, by request. */
  conditions: WeakMap<PlainRequest, ApiErrorId>;
  /** Mock time in epoch ms (journal timestamps). */
  now: () => number;
  /** Undefined when strict mode is off. */
  strict: OnViolation | undefined;
  violations: ViolationLog;
  latency: LatencyPicker | undefined;
}

/**
 * @param answerUnmatched true for mock.fetch()/handle() (404 JSON for paths outside the route
 *   table, journalled and checked); false for msw, whose unhandled-request strategy applies.
 */
export function observeRequestHandler(
  handleRequest: TokensRequestHandler,
  options: ObservationOptions,
  wait: (ms: number) => Promise<unknown>,
  answerUnmatched: boolean,
): TokensRequestHandler {
  const { journal, strict, latency } = options;
  if (!journal.enabled && strict === undefined && latency === undefined) return handleRequest;
  /** One journal entry for an answered request (`request` is the one the condition map knows). */
  const recordAnswer = (
    request: PlainRequest,
    method: string,
    status: number,
    arrivedMs: number,
    started: number,
    bodyText: string | undefined,
  ): void => {
    journal.record({
      arrivedMs,
      method,
      url: request.url,
      status,
      condition: options.conditions.get(request) ?? null,
      durationMs: performance.now() - started,
      bodyText,
    });
  };
  const observe: TokensRequestHandler = async (request) => {
    const started = performance.now();
    const arrivedMs = options.now();
    const method = request.method.toUpperCase();
    // Route matching only when strict mode or latency needs it now; the journal matches on read.
    let route: (ReturnType<typeof routeOf> & { url: URL }) | undefined;
    const resolveRoute = () => {
      if (route === undefined) {
        const url = new URL(request.url);
        route = { url, ...routeOf(url, method, options.basePath) };
      }
      return route;
    };

    // Read the body once; the request handler gets a request whose text() replays it. Strict mode reads every
    // body (it reports one sent where the operation takes none); the journal keeps those of writes.
    const keepsBody = journal.enabled && (method === 'POST' || method === 'PATCH');
    let bodyText = '';
    let forwarded: PlainRequest = request;
    if (strict !== undefined || keepsBody) {
      try {
        bodyText = await request.text();
        forwarded = { method: request.method, url: request.url, text: () => Promise.resolve(bodyText) };
      } catch (error) {
        forwarded = { method: request.method, url: request.url, text: () => Promise.reject(error) };
      }
    }

    if (strict !== undefined) {
      const { url, match, operation } = resolveRoute();
      // Paths outside the route table belong to msw's unhandled-request strategy there.
      if (match !== undefined || answerUnmatched) {
        const found = await checkRequest({ method, url, operation, knownPath: match !== undefined, bodyText });
        for (const violation of found) options.violations.record(violation);
        if (found.length > 0) {
          if (strict === 'error') throw new StrictModeViolationError(found);
          if (strict === 'warn') console.warn(new StrictModeViolationError(found).message);
          else if (typeof strict === 'function') for (const violation of found) strict(violation);
        }
      }
    }

    let answer: PlainResponse | undefined = await handleRequest(forwarded);
    if (answer === undefined) {
      if (!answerUnmatched) return undefined;
      answer = notFound(forwarded, options.conditions);
    }
    const delayMs = latency === undefined ? 0 : latency(resolveRoute().operation);
    if (delayMs > 0) await wait(delayMs);

    if (journal.enabled) recordAnswer(forwarded, method, answer.status, arrivedMs, started, keepsBody ? bodyText : undefined);
    return answer;
  };
  if (strict !== undefined || latency !== undefined) return observe;
  // The journal alone (the server's default): reads (GET, DELETE, ...) skip the general path's
  // awaits and body handling; a POST or PATCH takes it, for its body.
  return (request) => {
    const method = request.method.toUpperCase();
    if (method === 'POST' || method === 'PATCH') return observe(request);
    const started = performance.now();
    const arrivedMs = options.now();
    return handleRequest(request).then((answer) => {
      if (answer === undefined && !answerUnmatched) return undefined;
      const final = answer ?? notFound(request, options.conditions);
      recordAnswer(request, method, final.status, arrivedMs, started, undefined);
      return final;
    });
  };
}

function notFound(request: PlainRequest, conditions: WeakMap<PlainRequest, ApiErrorId>): PlainResponse {
  conditions.set(request, 'route-not-found');
  return errorResponse(API_ERRORS['route-not-found'].status, API_ERRORS['route-not-found'].message);
}
