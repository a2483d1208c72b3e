// Wraps the request core with what the mock observes and adds around each request: strict-mode
// checks, simulated latency and the request journal. Both mock.fetch()/handle() and the msw
// handlers go through it; only the way of waiting differs (a timer, or msw's delay()). With none
// of the three switched on it returns the core itself, so the plain mock pays nothing.
import type { ApiErrorId } from '../src/model/errors.ts';
import type { RequestCore } from './core.ts';
import type { LatencyPicker } from './latency.ts';
import type { PlainRequest, PlainResponse } from './plain-http.ts';
import type { RequestJournal } from './request-journal.ts';
import { errorResponse } from './responses.ts';
import { matchRoute, relativePathOf, type OperationId, type RouteMethod } from './routes.ts';
import { checkRequest, StrictModeViolationError, type OnViolation, type ViolationLog } from './strict-mode.ts';
import { API_ERRORS } from '../src/model/errors.ts';

export interface ObservationOptions {
  basePath: string;
  journal: RequestJournal;
  /** Filled by the core's onCondition hook: the condition id of each error answer, by request. */
  conditions: WeakMap<PlainRequest, ApiErrorId>;
  /** Mock time in epoch ms (journal timestamps). */
  now: () => number;
  /** Undefined when strict mode is off. */
  strict: OnViolation | undefined;
  violations: ViolationLog;
  latency: LatencyPicker | undefined;
}

/** Operations whose body the journal keeps (the API's bodies hold no secrets). */
const WRITE_OPERATIONS: ReadonlySet<OperationId> = new Set(['createToken', 'updateToken']);

/**
 * @param answerUnmatched true for mock.fetch()/handle() (404 JSON for paths outside the route
 *   table, journalled and checked); false for msw, whose unhandled-request strategy applies.
 */
export function observeCore(
  core: RequestCore,
  options: ObservationOptions,
  wait: (ms: number) => Promise<unknown>,
  answerUnmatched: boolean,
): RequestCore {
  const { journal, strict, latency } = options;
  if (!journal.enabled && strict === undefined && latency === undefined) return core;
  return async (request) => {
    const started = performance.now();
    const arrivedMs = options.now();
    const url = new URL(request.url);
    const method = request.method.toUpperCase();
    const relativePath = relativePathOf(url.pathname, options.basePath);
    const match = relativePath === undefined ? undefined : matchRoute(relativePath);
    if (match === undefined && !answerUnmatched) return core(request);
    const operation = match?.route.operations[method as RouteMethod] ?? null;

    // Read the body once; the core gets a request whose text() replays it.
    let bodyText = '';
    let forwarded: PlainRequest = request;
    // Strict mode reads every body (it reports one sent where the operation takes none); the
    // journal only keeps the bodies of writes.
    const keepsBody = operation !== null && WRITE_OPERATIONS.has(operation);
    if (strict !== undefined || keepsBody) {
      try {
        bodyText = await request.text();
        forwarded = { method: request.method, url: request.url, text: () => Promise.resolve(bodyText) };
      } catch (error) {
        forwarded = { method: request.method, url: request.url, text: () => Promise.reject(error) };
      }
    }

    if (strict !== undefined) {
      const found = await checkRequest({ method, url, operation, knownPath: match !== undefined, bodyText });
      for (const violation of found) options.violations.record(violation);
      if (found.length > 0) {
        if (strict === 'error') throw new StrictModeViolationError(found);
        if (strict === 'warn') console.warn(new StrictModeViolationError(found).message);
        else if (typeof strict === 'function') for (const violation of found) strict(violation);
      }
    }

    let answer: PlainResponse | undefined = await core(forwarded);
    if (answer === undefined) {
      options.conditions.set(forwarded, 'route-not-found');
      answer = errorResponse(API_ERRORS['route-not-found'].status, API_ERRORS['route-not-found'].message);
    }
    const delayMs = latency?.(operation) ?? 0;
    if (delayMs > 0) await wait(delayMs);

    if (journal.enabled) {
      journal.record({
        arrivedMs,
        method,
        url: request.url,
        operation,
        status: answer.status,
        condition: options.conditions.get(forwarded) ?? null,
        durationMs: performance.now() - started,
        username: match?.params['username'],
        bodyText: keepsBody ? bodyText : undefined,
      });
    }
    return answer;
  };
}
