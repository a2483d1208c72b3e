import { API_ERRORS, type ApiErrorId } from '../generated/api-tables.ts';
import type { FaultSet } from './faults.ts';

// The error table (condition id → status and message) is generated from the document's named
// examples: each message is written once, in openapi/tokens.yaml.
export { API_ERRORS, type ApiErrorId };

/** Rate-limit window of the authenticated account, carried by errors raised after authentication. */
export interface RateLimitInfo {
  limit: number;
  intervalSeconds: number;
  resetEpochSeconds: number;
}

export class ApiError extends Error {
  readonly id: ApiErrorId;
  readonly status: number;
  /** Set once the request passed authentication (its response carries rate-limit headers). */
  rateLimit: RateLimitInfo | undefined;

  constructor(id: ApiErrorId, message: string = API_ERRORS[id].message) {
    super(message);
    this.name = 'ApiError';
    this.id = id;
    this.status = API_ERRORS[id].status;
  }
}

export function apiError(id: ApiErrorId): ApiError {
  return new ApiError(id);
}

export function unknownPropertyError(name: string): ApiError {
  return new ApiError('unknown-property', API_ERRORS['unknown-property'].messageTemplate.replace('<name>', name));
}

/**
 * Status and message an error is answered with: the table above, unless a fault of the error
 * table is injected (this is the one place where an ApiError becomes status + message).
 */
export function presentApiError(error: ApiError, faults: FaultSet): { status: number; message: string } {
  if (faults.size === 0) return { status: error.status, message: error.message };
  let { status, message } = error;
  if (error.id === 'missing-scope' && faults.has('missing-scope-answers-403')) status = 403;
  if (error.id === 'no-such-user' && faults.has('no-such-user-answers-not-found')) message = API_ERRORS['other-user'].message;
  if (error.id === 'access-token-required' && faults.has('retrieve-missing-token-answers-401'))
    ({ status, message } = API_ERRORS['missing-token']);
  if (status === 404 && message === API_ERRORS['token-not-found'].message && faults.has('not-found-lowercase')) {
    message = API_ERRORS['other-user'].referenceMessage;
  }
  return { status, message };
}
