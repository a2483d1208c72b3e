import { describe, expect, it } from 'vitest';
import { api, expectError, expectNoStateChange, useMockServer } from '../handlers/support.ts';

const { mock } = useMockServer({ rateLimit: false });

describe('bad input: a documented error, never a crash or a state change', () => {
  const cases: Array<[string, unknown | string, number, string]> = [
    ['malformed JSON', '{"note":', 400, 'Invalid JSON body'],
    ['JSON null', 'null', 422, 'Invalid request body: body must be an object'],
    ['JSON number', '42', 422, 'Invalid request body: body must be an object'],
    ['note object', { note: { text: 'x' } }, 422, 'note is invalid'],
    ['scopes null', { scopes: null }, 422, 'scopes are invalid'],
    ['scopes with an empty string', { scopes: [''] }, 422, 'scopes are invalid'],
    ['allowedUrls null on create', { allowedUrls: null }, 422, 'allowedUrls are invalid'],
    ['10 000 allowedUrls', { allowedUrls: Array.from({ length: 10_000 }, (_, i) => `u${i}.example`) }, 422, 'allowedUrls are invalid'],
    ['allowedUrls with a number', { allowedUrls: ['a.com', 5] }, 422, 'allowedUrls are invalid'],
    ['expires null', { expires: null, scopes: [] }, 422, 'expires is invalid'],
    ['expires without offset', { expires: '2026-03-01T12:30:00', scopes: [] }, 422, 'expires is invalid'],
    ['expires date only', { expires: '2026-03-01', scopes: [] }, 422, 'expires is invalid'],
    ['expires 31 February', { expires: '2026-02-31T12:30:00Z', scopes: [] }, 422, 'expires is invalid'],
    ['unknown property', { scopes: [], referrers: ['a'] }, 422, 'Invalid request body: unknown property "referrers"'],
    ['resources', { resources: ['x'] }, 422, 'resources are invalid'],
  ];

  it.each(cases)('POST with %s', async (_name, body, status, message) => {
    const { secretToken } = await mock.defaultAccount();
    await expectNoStateChange(mock, async () => {
      const call = typeof body === 'string' ? { rawBody: body } : { body };
      expectError(await api(mock, 'POST', '/tokens/v2/mockuser', { token: secretToken, ...call }), status, message);
    });
  });

  it('accepts unicode and long notes as they are', async () => {
    const { secretToken } = await mock.defaultAccount();
    const note = 'Carte \u{1F5FA}\uFE0F — 東京 '.repeat(500);
    const result = await api(mock, 'POST', '/tokens/v2/mockuser', { token: secretToken, body: { note } });
    expect(result.body.note).toBe(note);
  });

  it('handles odd paths and parameters without 5xx', async () => {
    const { secretToken } = await mock.defaultAccount();
    // A path parameter that is not valid percent-encoding matches no route (mock.fetch: 404 JSON).
    const badEncoding = await mock.fetch(new Request(`${mock.baseUrl}/tokens/v2/%E0%A4%A?access_token=${secretToken}`));
    expect(badEncoding.status).toBe(404);
    expect(await badEncoding.json()).toEqual({ message: 'Not Found' });
    expectError(await api(mock, 'PATCH', '/tokens/v2/mockuser/%20', { token: secretToken, body: {} }), 404, 'Not Found');
    expectError(await api(mock, 'GET', '/tokens/v2/MOCKUSER', { token: secretToken }), 404, 'No such user');
    const emptyParams = await api(mock, 'GET', '/tokens/v2/mockuser', {
      query: [
        ['usage', ''],
        ['access_token', secretToken],
      ],
    });
    expectError(emptyParams, 422, 'usage must be pk or sk');
  });
});
