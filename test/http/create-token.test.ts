import { describe, expect, it } from 'vitest';
import { responseErrors } from './document.ts';
import { api, decodePayload, expectError, expectNoStateChange, inMinutes, useMockServer } from '../handlers/support.ts';

const { mock } = useMockServer();
const PATH = '/tokens/v2/{username}';

describe('POST /tokens/v2/{username} (createToken, permanent)', () => {
  it('creates a pk from public scopes: 200, full metadata with the token, payload {u,a}', async () => {
    const { secretToken } = await mock.defaultAccount();
    const result = await api(mock, 'POST', '/tokens/v2/mockuser', {
      token: secretToken,
      body: { note: 'web', scopes: ['styles:read', 'fonts:read'] },
    });
    expect(result.status).toBe(200);
    expect(responseErrors('post', PATH, 200, result.body)).toEqual([]);
    expect(result.body).toMatchObject({ client: 'api', note: 'web', usage: 'pk', default: false, scopes: ['styles:read', 'fonts:read'] });
    expect(result.body.id).toMatch(/^c[0-9a-z]{24}$/);
    expect(result.body.created).toBe(new Date(mock.now()).toISOString());
    const [usage, , signature] = result.body.token.split('.');
    expect(usage).toBe('pk');
    expect(signature).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(decodePayload(result.body.token)).toEqual({ u: 'mockuser', a: result.body.id });
  });

  it('any secret scope makes an sk, whose string appears in the create response only', async () => {
    const { secretToken } = await mock.defaultAccount();
    const created = await api(mock, 'POST', '/tokens/v2/mockuser', {
      token: secretToken,
      body: { scopes: ['styles:read', 'styles:write'] },
    });
    expect(created.body.usage).toBe('sk');
    expect(created.body.token).toMatch(/^sk\./);
    const updated = await api(mock, 'PATCH', `/tokens/v2/mockuser/${created.body.id}`, { token: secretToken, body: { note: 'n' } });
    expect(updated.body).not.toHaveProperty('token');
  });

  it('defaults: no body means no scopes and a null note; an empty body without Content-Type counts as {}', async () => {
    const { secretToken } = await mock.defaultAccount();
    const result = await api(mock, 'POST', '/tokens/v2/mockuser', { token: secretToken, rawBody: '' });
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({ note: null, scopes: [], usage: 'pk' });
  });

  it('parses a JSON body sent without a Content-Type (the tutorial curl)', async () => {
    const { secretToken } = await mock.defaultAccount();
    const result = await api(mock, 'POST', '/tokens/v2/mockuser', {
      token: secretToken,
      rawBody: '{"note":"curl","scopes":["styles:read"]}',
      headers: { 'Content-Type': 'text/plain' },
    });
    expect(result.body).toMatchObject({ note: 'curl', scopes: ['styles:read'] });
  });

  it('keeps allowedUrls and de-duplicates scopes', async () => {
    const { secretToken } = await mock.defaultAccount();
    const urls = Array.from({ length: 100 }, (_, i) => `https://a${i}.example.com`);
    const result = await api(mock, 'POST', '/tokens/v2/mockuser', {
      token: secretToken,
      body: { scopes: ['styles:read', 'styles:read'], allowedUrls: urls },
    });
    expect(result.body.scopes).toEqual(['styles:read']);
    expect(result.body.allowedUrls).toEqual(urls);
  });

  it('refuses scopes the authorizing token lacks, even for a token of the same account', async () => {
    const { token } = await mock.issueToken('mockuser', { scopes: ['tokens:write', 'styles:read'] });
    await expectNoStateChange(mock, async () => {
      expectError(
        await api(mock, 'POST', '/tokens/v2/mockuser', { token, body: { scopes: ['styles:read', 'fonts:read'] } }),
        422,
        'scopes are invalid',
      );
    });
    expect((await api(mock, 'POST', '/tokens/v2/mockuser', { token, body: { scopes: ['styles:read'] } })).status).toBe(200);
  });

  it('checks authentication before the body: an unauthenticated malformed body gets 401', async () => {
    expectError(await api(mock, 'POST', '/tokens/v2/mockuser', { rawBody: '{oops' }), 401, 'Unauthorized');
    expectError(await api(mock, 'POST', '/tokens/v2/mockuser', { token: 'sk.garbage.sig', rawBody: '{oops' }), 401, 'Unauthorized');
    const { publicToken } = await mock.defaultAccount();
    expectError(await api(mock, 'POST', '/tokens/v2/mockuser', { token: publicToken, rawBody: '{oops' }), 404, 'Not Found');
  });

  it('a pk cannot create tokens (404 Not Found, #291)', async () => {
    const { publicToken } = await mock.defaultAccount();
    expectError(
      await api(mock, 'POST', '/tokens/v2/mockuser', { token: publicToken, body: { expires: inMinutes(mock, 5), scopes: [] } }),
      404,
      'Not Found',
    );
  });
});

describe('POST /tokens/v2/{username} (createToken, temporary: body with expires)', () => {
  it('issues a tk: {token, issued_at, expires, expires_in}, payload {u,exp,iat,scopes,client} in that order', async () => {
    const { secretToken } = await mock.defaultAccount();
    const expires = inMinutes(mock, 30);
    const result = await api(mock, 'POST', '/tokens/v2/mockuser', {
      token: secretToken,
      body: { expires, scopes: ['styles:read'], note: 'ignored' },
    });
    expect(result.status).toBe(200);
    expect(responseErrors('post', PATH, 200, result.body)).toEqual([]);
    expect(Object.keys(result.body)).toEqual(['token', 'issued_at', 'expires', 'expires_in']);
    const claims = decodePayload(result.body.token);
    expect(Object.keys(claims)).toEqual(['u', 'exp', 'iat', 'scopes', 'client']);
    expect(claims).toMatchObject({ u: 'mockuser', exp: Date.parse(expires) / 1000, scopes: ['styles:read'], client: 'api' });
    expect(mock.now() / 1000 - claims.iat).toBeLessThanOrEqual(5);
    expect(result.body.expires).toBe(expires);
    expect(result.body.expires_in).toBe(claims.exp - claims.iat);
  });

  it('is not stored: not listed, cannot be updated or deleted', async () => {
    const { secretToken } = await mock.defaultAccount();
    const before = await api(mock, 'GET', '/tokens/v2/mockuser', { token: secretToken });
    await expectNoStateChange(mock, () =>
      api(mock, 'POST', '/tokens/v2/mockuser', { token: secretToken, body: { expires: inMinutes(mock, 5), scopes: [] } }),
    );
    const after = await api(mock, 'GET', '/tokens/v2/mockuser', { token: secretToken });
    expect(after.body).toEqual(before.body);
  });

  it('accepts expires with an offset and exactly one hour ahead', async () => {
    const { secretToken } = await mock.defaultAccount();
    const inOneHour = new Date(mock.now() + 3600_000);
    const withOffset = inOneHour.toISOString().replace('Z', '+00:00');
    expect((await api(mock, 'POST', '/tokens/v2/mockuser', { token: secretToken, body: { expires: withOffset, scopes: [] } })).status).toBe(
      200,
    );
    const minus4 = `${new Date(mock.now() + 600_000 - 4 * 3600_000).toISOString().slice(0, 19)}-04:00`;
    expect((await api(mock, 'POST', '/tokens/v2/mockuser', { token: secretToken, body: { expires: minus4, scopes: [] } })).status).toBe(
      200,
    );
  });

  it('checks in order: expires invalid, past, > 1 h, > parent, then scopes, then allowedUrls', async () => {
    const { secretToken } = await mock.defaultAccount();
    const send = (body: unknown, token = secretToken) => api(mock, 'POST', '/tokens/v2/mockuser', { token, body });
    expectError(await send({ expires: '2026-13-01', scopes: 5, allowedUrls: [] }), 422, 'expires is invalid');
    expectError(await send({ expires: 12345, scopes: [] }), 422, 'expires is invalid');
    expectError(await send({ expires: '2026-03-01T12:10:00', scopes: [] }), 422, 'expires is invalid');
    expectError(await send({ expires: inMinutes(mock, 0), scopes: 5 }), 422, 'expires is in the past');
    expectError(await send({ expires: inMinutes(mock, 61), scopes: 5 }), 422, 'expires is more than one hour in the future');
    const parent = (await mock.issueTemporaryToken('mockuser', { scopes: ['tokens:write', 'styles:read'], expires: inMinutes(mock, 10) }))
      .token;
    expectError(
      await send({ expires: inMinutes(mock, 11), scopes: 5 }, parent),
      422,
      'expires may not be greater than the expiration of the authorizing token',
    );
    expectError(
      await send({ expires: inMinutes(mock, 10), scopes: ['fonts:read'], allowedUrls: ['a.com'] }, parent),
      422,
      'scopes are invalid',
    );
    expectError(
      await send({ expires: inMinutes(mock, 10), scopes: ['styles:read'], allowedUrls: ['a.com'] }, parent),
      422,
      'allowedUrls are invalid',
    );
    expectError(await send({ expires: inMinutes(mock, 10) }), 422, 'scopes are invalid');
    // A tk from a tk within the parent's lifetime is fine.
    expect((await send({ expires: inMinutes(mock, 10), scopes: ['styles:read'] }, parent)).status).toBe(200);
  });

  it('a tk expires: retrieve says TokenExpired and the routes answer 401', async () => {
    const tk = (await mock.issueTemporaryToken('mockuser', { scopes: ['tokens:read'], expires: inMinutes(mock, 2) })).token;
    expect((await api(mock, 'GET', '/tokens/v2/mockuser', { token: tk })).status).toBe(200);
    mock.advanceTime(119_999);
    expect((await api(mock, 'GET', '/tokens/v2', { token: tk })).body.code).toBe('TokenValid');
    mock.advanceTime(1);
    expect((await api(mock, 'GET', '/tokens/v2', { token: tk })).body.code).toBe('TokenExpired');
    expectError(await api(mock, 'GET', '/tokens/v2/mockuser', { token: tk }), 401, 'Unauthorized');
  });
});
