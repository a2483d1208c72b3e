import type { RateLimitInfo } from '../model/errors.ts';
import type { PlainResponse } from './plain-http.ts';

/**
 * Response building: the documented headers (x-decisions `cors`, `rate-limit`) on every response.
 * Answers are plain objects (see plain-http.ts), each with its own headers object, so a caller may
 * change one without affecting the next.
 */
const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

const CORS_HEADERS: Readonly<Record<string, string>> = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Expose-Headers': 'Link, X-Rate-Limit-Interval, X-Rate-Limit-Limit, X-Rate-Limit-Reset',
};

const PREFLIGHT_HEADERS: Readonly<Record<string, string>> = {
  ...CORS_HEADERS,
  'Access-Control-Allow-Methods': 'GET, POST, PATCH, DELETE, OPTIONS',
  'Access-Control-Allow-Headers': 'Content-Type',
};

export function rateLimitHeaders(info: RateLimitInfo | undefined): Record<string, string> {
  if (info === undefined) return {};
  return {
    'X-Rate-Limit-Interval': String(info.intervalSeconds),
    'X-Rate-Limit-Limit': String(info.limit),
    'X-Rate-Limit-Reset': String(info.resetEpochSeconds),
  };
}

export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): PlainResponse {
  return {
    status,
    headers: { 'Content-Type': JSON_CONTENT_TYPE, ...CORS_HEADERS, ...headers },
    body: JSON.stringify(body),
  };
}

export function errorResponse(status: number, message: string, headers: Record<string, string> = {}): PlainResponse {
  return jsonResponse(status, { message }, headers);
}

export function noContentResponse(headers: Record<string, string> = {}): PlainResponse {
  return { status: 204, headers: { ...CORS_HEADERS, ...headers }, body: null };
}

export function preflightResponse(): PlainResponse {
  return { status: 204, headers: { ...PREFLIGHT_HEADERS }, body: null };
}

/** `Link: <url>; rel="next"` (RFC 8288), the only documented way to paginate (docs/sources.md §7). */
export function nextLinkHeader(url: string): Record<string, string> {
  return { Link: `<${url}>; rel="next"` };
}
