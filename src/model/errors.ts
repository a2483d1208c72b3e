import { API_ERRORS, type ApiErrorId } from '../generated/api-tables.ts';

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
    // Stryker disable next-line StringLiteral: [equivalent] the error's name is never answered
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
