import { afterAll, beforeAll, beforeEach, expect } from 'vitest';
import { setupServer } from 'msw/node';
import { createTokensMock, type MockState, type TokensMock, type TokensMockOptions } from '../../src/index.ts';

/** A fixed mock clock start: expiry and rate-limit tests move time with advanceTime(), never sleep. */
export const T0 = Date.parse('2026-03-01T12:00:00.000Z');

export interface MockServerContext {
  mock: TokensMock;
}

/**
 * A mock served through msw's setupServer for the whole file, reset before each test.
 * msw 3 ignores onUnhandledRequest and reads onUnhandledFrame; msw 2 the reverse: pass both.
 */
export function useMockServer(options: TokensMockOptions = {}): MockServerContext {
  const mock = createTokensMock({ seed: 7, clock: () => T0, ...options });
  const server = setupServer(...mock.handlers);
  const listenOptions = { onUnhandledRequest: 'error', onUnhandledFrame: 'error' } as Parameters<typeof server.listen>[0];
  beforeAll(() => server.listen(listenOptions));
  afterAll(() => server.close());
  beforeEach(() => mock.reset());
  return { mock };
}

export interface ApiCall {
  token?: string | undefined;
  query?: Record<string, string> | [string, string][];
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
}

export interface ApiResult {
  status: number;
  headers: Headers;
  body: any;
  text: string;
}

export async function api(mock: TokensMock, method: string, path: string, call: ApiCall = {}): Promise<ApiResult> {
  const params = new URLSearchParams(call.query as Record<string, string> | undefined);
  if (call.token !== undefined) params.append('access_token', call.token);
  const search = params.size > 0 ? `?${params}` : '';
  const init: RequestInit = { method, headers: call.headers ?? {} };
  if (call.rawBody !== undefined) init.body = call.rawBody;
  else if (call.body !== undefined) {
    init.body = JSON.stringify(call.body);
    init.headers = { 'Content-Type': 'application/json', ...call.headers };
  }
  const response = await fetch(`${mock.baseUrl}${path}${search}`, init);
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: parseBodyText(text), text };
}

/** A response body as the tests read it: JSON when it parses, the raw text otherwise, null when empty. */
export function parseBodyText(text: string): any {
  if (text === '') return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** The documented error shape: status, exactly {message}, JSON content type. */
export function expectError(result: ApiResult, status: number, message: string): void {
  expect({ status: result.status, body: result.body }).toEqual({ status, body: { message } });
  expect(result.headers.get('content-type')).toBe('application/json; charset=utf-8');
}

/** Token state without the rate-limit counters (every authenticated request counts, even rejected ones). */
export function tokenState(state: MockState): unknown {
  return { accounts: state.accounts, tokens: state.tokens, ids: state.ids, randomState: state.randomState };
}

/** Asserts that a rejected request leaves the token state exactly as it was. */
export async function expectNoStateChange(mock: TokensMock, action: () => Promise<unknown>): Promise<void> {
  const before = tokenState(mock.snapshot());
  await action();
  expect(tokenState(mock.snapshot())).toEqual(before);
}

export function decodePayload(token: string): any {
  const payload = token.split('.')[1]!;
  // atob semantics, as the browser SDK: throws on `-`/`_`.
  return JSON.parse(atob(payload + '='.repeat((4 - (payload.length % 4)) % 4)));
}

export function inMinutes(mock: TokensMock, minutes: number): string {
  return new Date(mock.now() + minutes * 60_000).toISOString();
}
