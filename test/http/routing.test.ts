import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupServer } from 'msw/node';
import { createTokensMock } from '../../src/index.ts';
import { api, expectError, T0, useMockServer } from '../handlers/support.ts';

const { mock } = useMockServer({ rateLimit: { limit: 3, intervalSeconds: 60 } });

describe('headers, CORS, methods and routing', () => {
  it('sends the CORS and rate-limit headers on authenticated responses', async () => {
    const { secretToken } = await mock.defaultAccount();
    const result = await api(mock, 'GET', '/scopes/v1/mockuser', { token: secretToken });
    expect(result.headers.get('access-control-allow-origin')).toBe('*');
    expect(result.headers.get('access-control-expose-headers')).toBe('Link, X-Rate-Limit-Interval, X-Rate-Limit-Limit, X-Rate-Limit-Reset');
    expect(result.headers.get('x-rate-limit-interval')).toBe('60');
    expect(result.headers.get('x-rate-limit-limit')).toBe('3');
    expect(result.headers.get('x-rate-limit-reset')).toBe(String(T0 / 1000 + 60));
  });

  it('answers a CORS preflight with 204 and no authentication', async () => {
    const response = await mock.fetch(new Request(`${mock.baseUrl}/tokens/v2/mockuser`, { method: 'OPTIONS' }));
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-methods')).toBe('GET, POST, PATCH, DELETE, OPTIONS');
    expect(response.headers.get('access-control-allow-headers')).toBe('Content-Type');
  });

  it('answers 405 for a known path with another method', async () => {
    const { secretToken } = await mock.defaultAccount();
    expectError(await api(mock, 'PUT', '/tokens/v2/mockuser', { token: secretToken, body: {} }), 405, 'Method Not Allowed');
    expectError(await api(mock, 'DELETE', '/tokens/v2', { token: secretToken }), 405, 'Method Not Allowed');
  });

  it('mock.fetch answers 404 JSON outside the route table and routes requests of any origin', async () => {
    const unknown = await mock.fetch(new Request(`${mock.baseUrl}/styles/v1/mockuser`));
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ message: 'Not Found' });
    const { secretToken } = await mock.defaultAccount();
    const local = await mock.fetch(new Request(`http://127.0.0.1:4010/tokens/v2/mockuser?limit=1&access_token=${secretToken}`));
    expect(local.status).toBe(200);
    expect(local.headers.get('link')).toMatch(
      /^<http:\/\/127\.0\.0\.1:4010\/tokens\/v2\/mockuser\?limit=1&start=[A-Za-z0-9_-]+>; rel="next"$/,
    );
  });

  it('counts every authenticated request per account, 429 over the limit, fresh window after the interval', async () => {
    const { secretToken } = await mock.defaultAccount();
    const other = await mock.createAccount({ username: 'other' });
    const results = [];
    for (let i = 0; i < 3; i++) results.push((await api(mock, 'GET', '/tokens/v2/nobody', { token: secretToken })).status);
    expect(results).toEqual([404, 404, 404]);
    const limited = await api(mock, 'GET', '/scopes/v1/mockuser', { token: secretToken });
    expectError(limited, 429, 'Too Many Requests');
    expect(limited.headers.get('x-rate-limit-reset')).toBe(String(T0 / 1000 + 60));
    // Unauthenticated requests and retrieve are not counted; other accounts have their own window.
    expect((await api(mock, 'GET', '/tokens/v2', { token: secretToken })).status).toBe(200);
    expect((await api(mock, 'GET', '/scopes/v1/other', { token: other.secretToken })).status).toBe(200);
    mock.advanceTime(59_999);
    expect((await api(mock, 'GET', '/scopes/v1/mockuser', { token: secretToken })).status).toBe(429);
    mock.advanceTime(1);
    const fresh = await api(mock, 'GET', '/scopes/v1/mockuser', { token: secretToken });
    expect(fresh.status).toBe(200);
    expect(fresh.headers.get('x-rate-limit-reset')).toBe(String(T0 / 1000 + 120));
  });

  it('checks the user before the scope and the scope before the body', async () => {
    const { secretToken, publicToken } = await mock.defaultAccount();
    expectError(await api(mock, 'POST', '/tokens/v2/ghost', { token: publicToken, rawBody: '{' }), 404, 'No such user');
    expectError(await api(mock, 'POST', '/tokens/v2/mockuser', { token: publicToken, rawBody: '{' }), 404, 'Not Found');
    expectError(await api(mock, 'POST', '/tokens/v2/mockuser', { token: secretToken, rawBody: '{' }), 400, 'Invalid JSON body');
  });
});

describe('several mocks and base URLs', () => {
  const prefixed = createTokensMock({ baseUrl: 'http://localhost:9999/mapbox/', seed: 1, rateLimit: false });
  const second = createTokensMock({ baseUrl: 'https://api.mapbox.com', seed: 2 });
  const server = setupServer(...prefixed.handlers);
  beforeAll(() => server.listen({ onUnhandledRequest: 'error', onUnhandledFrame: 'error' } as Parameters<typeof server.listen>[0]));
  afterAll(() => server.close());

  it('serves under a base URL path prefix, Link included', async () => {
    expect(prefixed.baseUrl).toBe('http://localhost:9999/mapbox');
    const { secretToken } = await prefixed.defaultAccount();
    const response = await fetch(`http://localhost:9999/mapbox/tokens/v2/mockuser?limit=1&access_token=${secretToken}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('link')).toContain('<http://localhost:9999/mapbox/tokens/v2/mockuser?limit=1&start=');
    expect((await prefixed.fetch(new Request('http://localhost:9999/tokens/v2?access_token=x'))).status).toBe(404);
  });

  it('keeps state apart: tokens of one mock are invalid in another', async () => {
    const a = await prefixed.defaultAccount();
    const b = await second.defaultAccount();
    expect(a.secretToken).not.toBe(b.secretToken);
    const response = await second.fetch(new Request(`https://api.mapbox.com/tokens/v2?access_token=${a.secretToken}`));
    expect(((await response.json()) as { code: string }).code).toBe('TokenInvalid');
  });
});
