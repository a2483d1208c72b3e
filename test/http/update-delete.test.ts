import { describe, expect, it } from 'vitest';
import { responseErrors } from './document.ts';
import { api, expectError, expectNoStateChange, useMockServer } from '../handlers/support.ts';

const { mock } = useMockServer();
const ITEM = '/tokens/v2/{username}/{token_id}';

describe('PATCH /tokens/v2/{username}/{token_id} (updateToken)', () => {
  it('updates note, scopes and allowedUrls, bumps modified, shows token for pk only', async () => {
    const { secretToken } = await mock.defaultAccount();
    const pk = await mock.issueToken('mockuser', { note: 'a', scopes: ['styles:read'] });
    mock.advanceTime(5000);
    const result = await api(mock, 'PATCH', `/tokens/v2/mockuser/${pk.id}`, {
      token: secretToken,
      body: { note: null, scopes: ['fonts:read', 'styles:tiles'], allowedUrls: ['https://x.example'] },
    });
    expect(result.status).toBe(200);
    expect(responseErrors('patch', ITEM, 200, result.body)).toEqual([]);
    expect(result.body).toMatchObject({
      id: pk.id,
      note: null,
      scopes: ['fonts:read', 'styles:tiles'],
      allowedUrls: ['https://x.example'],
      token: pk.token,
      usage: 'pk',
    });
    expect(result.body.created).toBe(pk.created);
    expect(Date.parse(result.body.modified) - Date.parse(pk.created)).toBe(5000);
    const cleared = await api(mock, 'PATCH', `/tokens/v2/mockuser/${pk.id}`, { token: secretToken, body: { allowedUrls: null } });
    expect(cleared.body).not.toHaveProperty('allowedUrls');
    expect(cleared.body.note).toBeNull();
  });

  it('an empty body changes only modified', async () => {
    const { secretToken, secretTokenId } = await mock.defaultAccount();
    mock.advanceTime(1000);
    const result = await api(mock, 'PATCH', `/tokens/v2/mockuser/${secretTokenId}`, { token: secretToken });
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({ note: 'Master token', usage: 'sk' });
    expect(result.body).not.toHaveProperty('token');
    expect(result.body.modified).toBe(new Date(mock.now()).toISOString());
  });

  it('an sk may drop its secret scopes and stays sk; a pk may not gain secret scopes', async () => {
    const { secretToken, publicTokenId } = await mock.defaultAccount();
    const sk = await mock.issueToken('mockuser', { scopes: ['map:read'] });
    const result = await api(mock, 'PATCH', `/tokens/v2/mockuser/${sk.id}`, { token: secretToken, body: { scopes: ['styles:read'] } });
    expect(result.body).toMatchObject({ usage: 'sk', scopes: ['styles:read'] });
    await expectNoStateChange(mock, async () => {
      expectError(
        await api(mock, 'PATCH', `/tokens/v2/mockuser/${publicTokenId}`, { token: secretToken, body: { scopes: ['map:read'] } }),
        422,
        'scopes are invalid',
      );
    });
  });

  it('a token created with no scopes can be updated, but never gains scopes', async () => {
    const { secretToken } = await mock.defaultAccount();
    const empty = await mock.issueToken('mockuser', { scopes: [] });
    expect(
      (await api(mock, 'PATCH', `/tokens/v2/mockuser/${empty.id}`, { token: secretToken, body: { scopes: [], note: 'ok' } })).status,
    ).toBe(200);
    expectError(
      await api(mock, 'PATCH', `/tokens/v2/mockuser/${empty.id}`, { token: secretToken, body: { scopes: ['styles:read'] } }),
      422,
      'scopes are invalid',
    );
  });

  it("cannot reach another account's token or a temporary token", async () => {
    const { secretToken } = await mock.defaultAccount();
    const other = await mock.createAccount({ username: 'other', scopes: ['styles:read', 'tokens:write'] });
    expectError(await api(mock, 'PATCH', `/tokens/v2/mockuser/${other.publicTokenId}`, { token: secretToken, body: {} }), 404, 'Not Found');
    const tk = (await mock.issueTemporaryToken('mockuser', { scopes: [] })).token;
    expectError(
      await api(mock, 'PATCH', `/tokens/v2/mockuser/${encodeURIComponent(tk)}`, { token: secretToken, body: {} }),
      404,
      'Not Found',
    );
  });
});

describe('DELETE /tokens/v2/{username}/{token_id} (deleteToken)', () => {
  it('answers 204 with no body; the token then reads TokenRevoked and is refused', async () => {
    const { secretToken } = await mock.defaultAccount();
    const victim = await mock.issueToken('mockuser', { scopes: ['tokens:read'] });
    const result = await api(mock, 'DELETE', `/tokens/v2/mockuser/${victim.id}`, { token: secretToken });
    expect(result.status).toBe(204);
    expect(result.text).toBe('');
    expect(responseErrors('delete', ITEM, 204, result.body)).toEqual([]);
    expect(result.headers.get('x-rate-limit-limit')).toBe('100');
    expect((await api(mock, 'GET', '/tokens/v2', { token: victim.token })).body.code).toBe('TokenRevoked');
    expectError(await api(mock, 'GET', '/tokens/v2/mockuser', { token: victim.token }), 401, 'Unauthorized');
    expectError(await api(mock, 'DELETE', `/tokens/v2/mockuser/${victim.id}`, { token: secretToken }), 404, 'Not Found');
  });

  it('concurrent updates and deletes of one token lose no write and never answer 5xx', async () => {
    const { secretToken } = await mock.defaultAccount();
    const target = await mock.issueToken('mockuser', { note: 'race' });
    const notes = Array.from({ length: 20 }, (_, i) => `n${i}`);
    const results = await Promise.all([
      ...notes.map((note) => api(mock, 'PATCH', `/tokens/v2/mockuser/${target.id}`, { token: secretToken, body: { note } })),
      api(mock, 'DELETE', `/tokens/v2/mockuser/${target.id}`, { token: secretToken }),
    ]);
    const statuses = results.map((r) => r.status);
    expect(statuses.every((status) => [200, 204, 404].includes(status))).toBe(true);
    expect(statuses.filter((status) => status === 204)).toHaveLength(1);
    expect(mock.snapshot().tokens.some((t) => t.id === target.id)).toBe(false);
  });

  it('a token can delete itself', async () => {
    const self = await mock.issueToken('mockuser', { scopes: ['tokens:write'] });
    expect((await api(mock, 'DELETE', `/tokens/v2/mockuser/${self.id}`, { token: self.token })).status).toBe(204);
    expectError(await api(mock, 'DELETE', `/tokens/v2/mockuser/${self.id}`, { token: self.token }), 401, 'Unauthorized');
  });
});
