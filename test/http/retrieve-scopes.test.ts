import { describe, expect, it } from 'vitest';
import { responseErrors } from './document.ts';
import { api, expectError, inMinutes, useMockServer } from '../handlers/support.ts';

const { mock } = useMockServer();

function b64url(text: string): string {
  return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

describe('GET /tokens/v2 (retrieveToken)', () => {
  const retrieve = async (token: string) => {
    const result = await api(mock, 'GET', '/tokens/v2', { token });
    expect(result.status).toBe(200);
    expect(responseErrors('get', '/tokens/v2', 200, result.body)).toEqual([]);
    expect(result.headers.get('x-rate-limit-limit')).toBeNull();
    return result.body;
  };

  it('TokenValid with {usage,user,authorization} for pk and sk', async () => {
    const { publicToken, publicTokenId, secretToken, secretTokenId } = await mock.defaultAccount();
    expect(await retrieve(publicToken)).toEqual({
      code: 'TokenValid',
      token: { usage: 'pk', user: 'mockuser', authorization: publicTokenId },
    });
    expect(await retrieve(secretToken)).toEqual({
      code: 'TokenValid',
      token: { usage: 'sk', user: 'mockuser', authorization: secretTokenId },
    });
  });

  it('TokenValid with ISO times for a tk', async () => {
    const expires = inMinutes(mock, 10);
    const tk = (await mock.issueTemporaryToken('mockuser', { scopes: ['styles:read'], expires })).token;
    const body = await retrieve(tk);
    expect(body.code).toBe('TokenValid');
    expect(body.token).toMatchObject({ usage: 'tk', user: 'mockuser', expires, scopes: ['styles:read'], client: 'api' });
    expect(Object.keys(body.token)).toEqual(['usage', 'user', 'expires', 'created', 'scopes', 'client']);
  });

  it('TokenInvalid without claims for a forged tk whose claims leave the documented shape (never a 500)', async () => {
    const forged = (claims: object) => `tk.${b64url(JSON.stringify(claims))}.AAAAAAAAAAAAAAAAAAAAAA`;
    const documented = { u: 'mockuser', exp: 2_000_000_000, iat: 1_999_999_000, scopes: ['styles:read'], client: 'api' };
    expect((await retrieve(forged(documented))).token).toMatchObject({ usage: 'tk', client: 'api' });
    for (const claims of [
      { ...documented, exp: 1e300 }, // beyond what a Date holds: presenting it as ISO would throw
      { ...documented, iat: -1e20 },
      { ...documented, exp: 1.5 },
      { ...documented, client: 'evil' }, // the schema's client is the constant "api"
    ]) {
      expect(await retrieve(forged(claims))).toEqual({ code: 'TokenInvalid' });
    }
  });

  it('TokenMalformed for anything that is not three parts with a known prefix, or a signed non-JSON payload', async () => {
    for (const token of ['garbage', 'pk.only-two', 'xx.abc.def', 'pk..sig', 'pk.a.b.c'])
      expect(await retrieve(token)).toEqual({ code: 'TokenMalformed' });
  });

  it('TokenInvalid for a bad signature, with the claims when the payload decodes', async () => {
    expect(await retrieve('pk.abc.123')).toEqual({ code: 'TokenInvalid' });
    const forgedPayload = `pk.${b64url(JSON.stringify({ u: 'mockuser', a: 'cforged00000000000000000x' }))}.AAAAAAAAAAAAAAAAAAAAAA`;
    expect(await retrieve(forgedPayload)).toEqual({
      code: 'TokenInvalid',
      token: { usage: 'pk', user: 'mockuser', authorization: 'cforged00000000000000000x' },
    });
    const { secretToken } = await mock.defaultAccount();
    const [, payload, signature] = secretToken.split('.');
    // Re-labelling an sk as pk breaks the signature (it covers "usage.payload").
    expect((await retrieve(`pk.${payload}.${signature}`)).code).toBe('TokenInvalid');
  });

  it('a token signed by another mock is TokenInvalid here', async () => {
    const { createTokensMock } = await import('../../src/index.ts');
    const foreign = createTokensMock({ seed: 99, baseUrl: 'http://foreign.test' });
    expect((await retrieve((await foreign.defaultAccount()).publicToken)).code).toBe('TokenInvalid');
  });

  it('TokenRevoked for a deleted token or an unknown account', async () => {
    const { secretToken } = await mock.defaultAccount();
    const victim = await mock.issueToken('mockuser', { scopes: [] });
    await api(mock, 'DELETE', `/tokens/v2/mockuser/${victim.id}`, { token: secretToken });
    expect(await retrieve(victim.token)).toEqual({
      code: 'TokenRevoked',
      token: { usage: 'pk', user: 'mockuser', authorization: victim.id },
    });
  });

  it('422 access token is required when missing or empty', async () => {
    expectError(await api(mock, 'GET', '/tokens/v2'), 422, 'access token is required');
    expectError(await api(mock, 'GET', '/tokens/v2', { query: { access_token: '' } }), 422, 'access token is required');
  });

  it('TokenExpired carries the claims', async () => {
    const tk = (await mock.issueTemporaryToken('mockuser', { scopes: [], expires: inMinutes(mock, 1) })).token;
    mock.advanceTime(3_600_000);
    expect(await retrieve(tk)).toMatchObject({ code: 'TokenExpired', token: { usage: 'tk', user: 'mockuser' } });
  });
});

describe('GET /scopes/v1/{username} (listScopes)', () => {
  it("lists the account's scopes with descriptions, public: true on public scopes only", async () => {
    const { secretToken } = await mock.defaultAccount();
    const result = await api(mock, 'GET', '/scopes/v1/mockuser', { token: secretToken });
    expect(result.status).toBe(200);
    expect(responseErrors('get', '/scopes/v1/{username}', 200, result.body)).toEqual([]);
    const ids = result.body.map((scope: any) => scope.id);
    expect(ids).toEqual(
      expect.arrayContaining([
        'styles:tiles',
        'styles:read',
        'fonts:read',
        'datasets:read',
        'vision:read',
        'scopes:list',
        'tokens:read',
        'tokens:write',
      ]),
    );
    for (const scope of result.body) {
      expect(typeof scope.description).toBe('string');
      expect(scope.public === true).toBe(['styles:tiles', 'styles:read', 'fonts:read', 'datasets:read', 'vision:read'].includes(scope.id));
      if (scope.public !== true) expect(scope).not.toHaveProperty('public');
    }
  });

  it('an account created with chosen scopes lists exactly those, and its tokens stay within them', async () => {
    const limited = await mock.createAccount({ username: 'limited', scopes: ['styles:read', 'scopes:list', 'tokens:write'] });
    const result = await api(mock, 'GET', '/scopes/v1/limited', { token: limited.secretToken });
    expect(result.body.map((scope: any) => scope.id).sort()).toEqual(['scopes:list', 'styles:read', 'tokens:write']);
    expectError(
      await api(mock, 'POST', '/tokens/v2/limited', { token: limited.secretToken, body: { scopes: ['fonts:read'] } }),
      422,
      'scopes are invalid',
    );
  });
});
