import type { ServerResponse } from 'node:http';
import { errorResponse } from '../http/responses.ts';
import { API_ERRORS } from '../generated/api-tables.ts';
import { writePlainResponse } from './node-response.ts';

/**
 * Errors the HTTP layer answers by itself, before or after the mock runs. Same body and headers as
 * the mock's own errors (`{"message"}`, JSON content type, CORS) so clients cannot tell them apart.
 */
export const SERVER_ERROR_MESSAGES = {
  notFound: API_ERRORS['route-not-found'].message,
  methodNotAllowed: API_ERRORS['method-not-allowed'].message,
  payloadTooLarge: 'Payload Too Large',
  requestTimeout: 'Request Timeout: the request body did not arrive in time',
  internal: API_ERRORS['internal-error'].message,
  stateNotSaved: 'Service Unavailable: the state file could not be written',
  busy: 'Service Unavailable: too many request bodies in progress, retry later',
} as const;

/**
 * Writes `{"message": message}` with `status`, built by the handlers' own errorResponse so the
 * headers every API response carries are defined once; optional extra headers (`Connection: close`).
 * Written as a plain answer, so the server's own errors never load undici (see plain-http.ts).
 */
export async function writeJsonError(
  res: ServerResponse,
  status: number,
  message: string,
  extraHeaders: Record<string, string> = {},
): Promise<void> {
  if (res.headersSent) {
    // Too late for a clean error: the status line is out. Cut the connection so the client sees a failure.
    res.destroy();
    return;
  }
  writePlainResponse(res, errorResponse(status, message, extraHeaders), false);
}

/** Thrown while reading a request body that exceeds the server's limit. */
export class PayloadTooLargeError extends Error {
  constructor(limit: number) {
    super(`request body exceeds ${limit} bytes`);
    this.name = 'PayloadTooLargeError';
  }
}

/** Thrown when buffering a body would pass the server's bound on all bodies buffered at once. */
export class BodyBudgetError extends Error {
  constructor() {
    super('too many request bodies in progress');
    this.name = 'BodyBudgetError';
  }
}

/** Thrown when a request body is not complete in time (a slow or abandoned upload). */
export class BodyTimeoutError extends Error {
  constructor(timeoutMs: number) {
    super(`request body not complete within ${timeoutMs} ms`);
    this.name = 'BodyTimeoutError';
  }
}

/** A `--fault` value the mock does not know, or faults requested from a mock that has none. */
export class UnknownFaultError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnknownFaultError';
  }
}
