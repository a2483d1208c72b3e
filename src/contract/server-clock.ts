import type { ApiResponse } from './transport.ts';
import { decodeTokenString } from './token-strings.ts';

/**
 * How far the suite trusts its estimate of the server's clock. Boundaries of time rules are probed
 * this far inside and outside: the server's `Date` header and a token's `iat` have whole seconds,
 * and a request takes a while to arrive.
 */
export const SERVER_TIME_TOLERANCE_MS = 10_000;

/**
 * The server's clock as read from one of its answers: a temporary token's `iat` when the answer
 * carries one, else its `Date` header. Returns a function giving the server's time later on (the
 * local clock measures only the time elapsed since), or undefined when the answer has neither.
 */
export function serverClockFrom(response: ApiResponse): (() => number) | undefined {
  const localAtAnswer = Date.now();
  const token = (response.json as { token?: unknown } | undefined)?.token;
  const iat = typeof token === 'string' ? decodeTokenString(token)?.claims['iat'] : undefined;
  const date = Date.parse(response.headers.get('date') ?? '');
  const at = typeof iat === 'number' && Number.isFinite(iat) ? iat * 1000 : Number.isFinite(date) ? date : undefined;
  if (at === undefined) return undefined;
  return () => at + (Date.now() - localAtAnswer);
}

/** An instant `ms` after the server's estimated now, as the ISO 8601 string a temporary token's `expires` takes. */
export function serverTimeAfter(env: { serverNow(): number }, ms: number): string {
  return new Date(env.serverNow() + ms).toISOString();
}
