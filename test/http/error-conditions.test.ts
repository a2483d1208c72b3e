import { describe, expect, it } from 'vitest';
import type { AccountCredentials, TokensMock } from '../../src/index.ts';
import { errorConditions, responseErrors, type DocumentedErrorRow } from './document.ts';
import { api, expectNoStateChange, inMinutes, tokenState, useMockServer, type ApiCall, type ApiResult } from '../handlers/support.ts';

/**
 * Every error row of the OpenAPI document (its generated errorConditions table) is provoked through
 * msw and must answer exactly the documented status and body, validate against the documented
 * response schema, and leave the token state unchanged. A new row without a scenario fails here.
 */
const { mock } = useMockServer();

interface Context {
  mock: TokensMock;
  me: AccountCredentials;
  other: AccountCredentials;
  /** The request under test: records the token state just before sending it. */
  send(method: string, path: string, call: ApiCall): Promise<ApiResult>;
  stateBeforeRequest?: unknown;
  /** A permanent token of mockuser holding exactly these scopes. */
  tokenWith(scopes: string[]): Promise<{ id: string; token: string }>;
}

type Send = (context: Context, call: ApiCall & { username?: string }) => Promise<ApiResult>;

const ALL_ROUTE_SCOPES = ['tokens:read', 'tokens:write', 'scopes:list', 'styles:read'];

const SEND: Record<string, Send> = {
  listTokens: (c, call) => c.send('GET', `/tokens/v2/${call.username ?? 'mockuser'}`, call),
  createToken: (c, call) => c.send('POST', `/tokens/v2/${call.username ?? 'mockuser'}`, { body: { scopes: ['styles:read'] }, ...call }),
  updateToken: (c, call) =>
    c.send('PATCH', `/tokens/v2/${call.username ?? 'mockuser'}/${c.me.publicTokenId}`, { body: { note: 'x' }, ...call }),
  deleteToken: async (c, call) => {
    const target = await c.mock.issueToken('mockuser', { note: 'to delete' });
    return c.send('DELETE', `/tokens/v2/${call.username ?? 'mockuser'}/${target.id}`, call);
  },
  listScopes: (c, call) => c.send('GET', `/scopes/v1/${call.username ?? 'mockuser'}`, call),
  retrieveToken: (c, call) => c.send('GET', '/tokens/v2', call),
};

function forge(token: string): string {
  const [usage, payload, signature] = token.split('.');
  return `${usage}.${payload}.${signature!.startsWith('A') ? 'B' : 'A'}${signature!.slice(1)}`;
}

/** Scenarios for conditions shared by every authenticated route. */
const COMMON: Record<string, (c: Context, send: (call: ApiCall & { username?: string }) => Promise<ApiResult>) => Promise<ApiResult>> = {
  'missing-token': (_c, send) => send({}),
  'invalid-token': (c, send) => send({ token: forge(c.me.secretToken) }),
  'expired-token': async (c, send) => {
    const tk = (await c.mock.issueTemporaryToken('mockuser', { scopes: ALL_ROUTE_SCOPES, expires: inMinutes(c.mock, 1) })).token;
    c.mock.advanceTime(61_000);
    return send({ token: tk });
  },
  'revoked-token': async (c, send) => {
    const { id, token } = await c.tokenWith(ALL_ROUTE_SCOPES);
    await api(c.mock, 'DELETE', `/tokens/v2/mockuser/${id}`, { token: c.me.secretToken });
    return send({ token });
  },
  'no-such-user': (c, send) => send({ token: c.me.secretToken, username: 'nobody' }),
  'other-user': (c, send) => send({ token: c.other.secretToken }),
  'missing-scope': async (c, send) => send({ token: (await c.tokenWith(['map:read'])).token }),
  'rate-limited': async (c, send) => {
    for (let i = 0; i < 100; i++) await api(c.mock, 'GET', '/tokens/v2', { token: 'x' }); // retrieve is never counted
    for (let i = 0; i < 100; i++) await c.mock.fetch(new Request(`${c.mock.baseUrl}/scopes/v1/mockuser?access_token=${c.me.secretToken}`));
    return send({ token: c.me.secretToken });
  },
};

const tooManyUrls = Array.from({ length: 101 }, (_, i) => `https://site${i}.example.com`);

const SPECIFIC: Record<string, (c: Context) => Promise<ApiResult>> = {
  'listTokens bad-usage': (c) => SEND.listTokens!(c, { token: c.me.secretToken, query: { usage: 'tk' } }),
  'listTokens bad-default': (c) => SEND.listTokens!(c, { token: c.me.secretToken, query: { default: '1' } }),
  'listTokens bad-sortby': (c) => SEND.listTokens!(c, { token: c.me.secretToken, query: { sortby: 'id' } }),
  'listTokens bad-limit': (c) => SEND.listTokens!(c, { token: c.me.secretToken, query: { limit: '0' } }),
  'listTokens invalid-start': (c) => SEND.listTokens!(c, { token: c.me.secretToken, query: { start: 'garbage' } }),
  'createToken invalid-json': (c) => SEND.createToken!(c, { token: c.me.secretToken, rawBody: '{"scopes": [' }),
  'createToken body-not-object': (c) => SEND.createToken!(c, { token: c.me.secretToken, body: ['styles:read'] }),
  'createToken unknown-property': (c) => SEND.createToken!(c, { token: c.me.secretToken, body: { color: 'red' } }),
  'createToken note-invalid': (c) => SEND.createToken!(c, { token: c.me.secretToken, body: { note: 42 } }),
  'createToken scopes-invalid': (c) => SEND.createToken!(c, { token: c.me.secretToken, body: { scopes: 'styles:read' } }),
  'createToken scopes-unknown': (c) => SEND.createToken!(c, { token: c.me.secretToken, body: { scopes: ['not:a:valid:scope'] } }),
  'createToken scopes-escalation': async (c) =>
    SEND.createToken!(c, { token: (await c.tokenWith(['tokens:write', 'styles:read'])).token, body: { scopes: ['map:read'] } }),
  'createToken allowed-urls-invalid': (c) => SEND.createToken!(c, { token: c.me.secretToken, body: { allowedUrls: [''] } }),
  'createToken allowed-urls-too-many': (c) => SEND.createToken!(c, { token: c.me.secretToken, body: { allowedUrls: tooManyUrls } }),
  'createToken allowed-urls-on-temporary': (c) =>
    SEND.createToken!(c, {
      token: c.me.secretToken,
      body: { expires: inMinutes(c.mock, 10), scopes: ['styles:read'], allowedUrls: ['a.com'] },
    }),
  'createToken resources-invalid': (c) => SEND.createToken!(c, { token: c.me.secretToken, body: { scopes: [], resources: [] } }),
  'createToken expires-invalid': (c) => SEND.createToken!(c, { token: c.me.secretToken, body: { expires: 'tomorrow', scopes: [] } }),
  'createToken expires-in-past': (c) =>
    SEND.createToken!(c, { token: c.me.secretToken, body: { expires: inMinutes(c.mock, -1), scopes: [] } }),
  'createToken expires-too-far': (c) =>
    SEND.createToken!(c, { token: c.me.secretToken, body: { expires: inMinutes(c.mock, 61), scopes: [] } }),
  'createToken expires-after-parent': async (c) => {
    const parent = (
      await c.mock.issueTemporaryToken('mockuser', { scopes: ['tokens:write', 'styles:read'], expires: inMinutes(c.mock, 10) })
    ).token;
    return SEND.createToken!(c, { token: parent, body: { expires: inMinutes(c.mock, 20), scopes: ['styles:read'] } });
  },
  'updateToken invalid-json': (c) => SEND.updateToken!(c, { token: c.me.secretToken, rawBody: 'not json' }),
  'updateToken body-not-object': (c) => SEND.updateToken!(c, { token: c.me.secretToken, body: 'a string' }),
  'updateToken unknown-property': (c) => SEND.updateToken!(c, { token: c.me.secretToken, body: { color: 'red' } }),
  'updateToken note-invalid': (c) => SEND.updateToken!(c, { token: c.me.secretToken, body: { note: ['x'] } }),
  'updateToken scopes-invalid': (c) => SEND.updateToken!(c, { token: c.me.secretToken, body: { scopes: [1, 2] } }),
  'updateToken scopes-unknown': (c) => SEND.updateToken!(c, { token: c.me.secretToken, body: { scopes: ['styles:fly'] } }),
  'updateToken scopes-escalation': async (c) =>
    SEND.updateToken!(c, { token: (await c.tokenWith(['tokens:write'])).token, body: { scopes: ['styles:read'] } }),
  'updateToken pk-secret-scope': (c) => SEND.updateToken!(c, { token: c.me.secretToken, body: { scopes: ['styles:read', 'map:read'] } }),
  'updateToken scopeless-gains-scopes': async (c) => {
    const scopeless = await c.mock.issueToken('mockuser', { scopes: [] });
    return c.send('PATCH', `/tokens/v2/mockuser/${scopeless.id}`, { token: c.me.secretToken, body: { scopes: ['styles:read'] } });
  },
  'updateToken allowed-urls-invalid': (c) => SEND.updateToken!(c, { token: c.me.secretToken, body: { allowedUrls: 'a.com' } }),
  'updateToken allowed-urls-too-many': async (c) => {
    const target = await c.mock.issueToken('mockuser', { scopes: ['styles:read'] });
    return c.send('PATCH', `/tokens/v2/mockuser/${target.id}`, { token: c.me.secretToken, body: { allowedUrls: tooManyUrls } });
  },
  'updateToken allowed-urls-on-default': (c) => SEND.updateToken!(c, { token: c.me.secretToken, body: { allowedUrls: ['a.com'] } }),
  'updateToken resources-invalid': (c) => SEND.updateToken!(c, { token: c.me.secretToken, body: { resources: [{}] } }),
  'updateToken token-not-found': (c) =>
    c.send('PATCH', '/tokens/v2/mockuser/cnosuchtoken0000abcd1234x', { token: c.me.secretToken, body: {} }),
  'deleteToken token-not-found': (c) => c.send('DELETE', `/tokens/v2/mockuser/${c.other.publicTokenId}`, { token: c.me.secretToken }),
  'deleteToken delete-default': (c) => c.send('DELETE', `/tokens/v2/mockuser/${c.me.publicTokenId}`, { token: c.me.secretToken }),
  'retrieveToken access-token-required': (c) => SEND.retrieveToken!(c, { query: { access_token: '' } }),
  'retrieveToken token-valid': (c) => SEND.retrieveToken!(c, { token: c.me.publicToken }),
  'retrieveToken token-malformed': (c) => SEND.retrieveToken!(c, { token: 'not-a-token' }),
  'retrieveToken token-invalid': (c) => SEND.retrieveToken!(c, { token: forge(c.me.publicToken) }),
  'retrieveToken token-expired': async (c) => {
    const tk = (await c.mock.issueTemporaryToken('mockuser', { scopes: ['styles:read'], expires: inMinutes(c.mock, 1) })).token;
    c.mock.advanceTime(60_000);
    return SEND.retrieveToken!(c, { token: tk });
  },
  'retrieveToken token-revoked': async (c) => {
    const { id, token } = await c.tokenWith(['styles:read']);
    await api(c.mock, 'DELETE', `/tokens/v2/mockuser/${id}`, { token: c.me.secretToken });
    return SEND.retrieveToken!(c, { token });
  },
};

async function context(): Promise<Context> {
  const me = await mock.defaultAccount();
  const other = await mock.createAccount({ username: 'otheruser' });
  const c: Context = {
    mock,
    me,
    other,
    send(method, path, call) {
      c.stateBeforeRequest = tokenState(mock.snapshot());
      return api(mock, method, path, call);
    },
    async tokenWith(scopes) {
      const issued = await mock.issueToken('mockuser', { scopes });
      return { id: issued.id, token: issued.token };
    },
  };
  return c;
}

const rows = errorConditions as unknown as DocumentedErrorRow[];

function scenario(row: DocumentedErrorRow): ((c: Context) => Promise<ApiResult>) | undefined {
  const specific = SPECIFIC[`${row.operationId} ${row.conditionId}`];
  if (specific !== undefined) return specific;
  const common = COMMON[row.conditionId];
  const send = SEND[row.operationId];
  return common && send && ((c: Context) => common(c, (call) => send(c, call)));
}

describe('every documented error row', () => {
  it('has a scenario in this test', () => {
    const missing = rows.filter((row) => scenario(row) === undefined).map((row) => `${row.operationId} ${row.conditionId}`);
    expect(missing).toEqual([]);
    expect(rows.length).toBeGreaterThan(60);
  });

  it.each(rows.map((row) => [`${row.operationId} ${row.conditionId} -> ${row.status}`, row] as const))('%s', async (_name, row) => {
    const run = scenario(row)!;
    const c = await context();
    const result = await run(c);
    expect(result.status).toBe(row.status);
    expect(result.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(result.headers.get('access-control-allow-origin')).toBe('*');
    if (row.operationId === 'retrieveToken' && row.status === 200) {
      expect(result.body.code).toBe(row.body.code);
      // The parsed body comes with every code except TokenMalformed.
      expect('token' in result.body).toBe(row.conditionId !== 'token-malformed');
    } else {
      expect(result.body).toEqual(row.body);
    }
    const passedAuthentication = row.operationId !== 'retrieveToken' && row.status !== 401;
    expect(result.headers.get('x-rate-limit-limit')).toBe(passedAuthentication ? '100' : null);
    expect(responseErrors(row.method, row.path, row.status, result.body)).toEqual([]);
    // The request under test (errors, and retrieve, which only reads) changes no token state.
    expect(c.stateBeforeRequest).toBeDefined();
    expect(tokenState(mock.snapshot())).toEqual(c.stateBeforeRequest);
  });

  it('rejects a delete without changing the state', async () => {
    const c = await context();
    await expectNoStateChange(mock, async () => {
      const result = await api(mock, 'DELETE', `/tokens/v2/mockuser/${c.me.publicTokenId}`, { token: c.me.secretToken });
      expect(result.status).toBe(422);
    });
  });
});
