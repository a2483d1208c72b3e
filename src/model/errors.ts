import type { FaultSet } from './faults.ts';

/**
 * Every error the mock answers, keyed by the stable condition ids of the document's named examples (the contract
 * suite keys on them). This is the ONE table of statuses and message strings.
 */
export const API_ERRORS = {
  'missing-token': { status: 401, message: 'Unauthorized' },
  'invalid-token': { status: 401, message: 'Unauthorized' },
  'expired-token': { status: 401, message: 'Unauthorized' },
  'revoked-token': { status: 401, message: 'Unauthorized' },
  'rate-limited': { status: 429, message: 'Too Many Requests' },
  'no-such-user': { status: 404, message: 'No such user' },
  'other-user': { status: 404, message: 'Not Found' },
  'missing-scope': { status: 404, message: 'Not Found' },
  'bad-usage': { status: 422, message: 'usage must be pk or sk' },
  'bad-default': { status: 422, message: 'default must be true or false' },
  'bad-sortby': { status: 422, message: 'sortby must be created or modified' },
  'bad-limit': { status: 422, message: 'limit must be a positive integer' },
  'invalid-start': { status: 500, message: 'Internal Server Error' },
  'invalid-json': { status: 400, message: 'Invalid JSON body' },
  'body-not-object': { status: 422, message: 'Invalid request body: body must be an object' },
  // The message of unknown-property carries the property name: see unknownPropertyError().
  'unknown-property': { status: 422, message: 'Invalid request body: unknown property' },
  'note-invalid': { status: 422, message: 'note is invalid' },
  'scopes-invalid': { status: 422, message: 'scopes are invalid' },
  'scopes-unknown': { status: 422, message: 'scopes are invalid' },
  'scopes-escalation': { status: 422, message: 'scopes are invalid' },
  'pk-secret-scope': { status: 422, message: 'scopes are invalid' },
  'scopeless-gains-scopes': { status: 422, message: 'scopes are invalid' },
  'allowed-urls-invalid': { status: 422, message: 'allowedUrls are invalid' },
  'allowed-urls-too-many': { status: 422, message: 'allowedUrls are invalid' },
  'allowed-urls-on-temporary': { status: 422, message: 'allowedUrls are invalid' },
  'allowed-urls-on-default': { status: 422, message: 'allowedUrls are invalid' },
  'resources-invalid': { status: 422, message: 'resources are invalid' },
  'expires-invalid': { status: 422, message: 'expires is invalid' },
  'expires-in-past': { status: 422, message: 'expires is in the past' },
  'expires-too-far': { status: 422, message: 'expires is more than one hour in the future' },
  'expires-after-parent': {
    status: 422,
    message: 'expires may not be greater than the expiration of the authorizing token',
  },
  'token-not-found': { status: 404, message: 'Not Found' },
  'delete-default': { status: 422, message: 'the default token cannot be deleted' },
  'access-token-required': { status: 422, message: 'access token is required' },
  'route-not-found': { status: 404, message: 'Not Found' },
  'method-not-allowed': { status: 405, message: 'Method Not Allowed' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ApiErrorId = keyof typeof API_ERRORS;

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
  return new ApiError('unknown-property', `Invalid request body: unknown property "${name}"`);
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
  if (error.id === 'access-token-required' && faults.has('retrieve-missing-token-answers-401')) ({ status, message } = API_ERRORS['missing-token']);
  if (status === 404 && message === 'Not Found' && faults.has('not-found-lowercase')) message = 'Not found';
  return { status, message };
}
