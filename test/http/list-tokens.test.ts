import { describe, expect, it } from 'vitest';
import { responseErrors } from './document.ts';
import { api, expectError, expectNoStateChange, useMockServer } from '../handlers/support.ts';

const { mock } = useMockServer();

async function seedTokens(count: number, stepMs = 1000): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    mock.advanceTime(stepMs);
    ids.push((await mock.issueToken('mockuser', { note: `t${i}`, scopes: ['styles:read'] })).id);
  }
  return ids;
}

function nextLink(headers: Headers): string | undefined {
  const link = headers.get('link');
  if (link === null) return undefined;
  const match = /^<([^>]+)>; rel="next"$/.exec(link);
  expect(match, `Link header ${link}`).not.toBeNull();
  return match![1];
}

describe('GET /tokens/v2/{username} (listTokens)', () => {
  it('lists the default and master tokens, hiding the secret token string', async () => {
    const { secretToken, publicToken, secretTokenId, publicTokenId } = await mock.defaultAccount();
    const result = await api(mock, 'GET', '/tokens/v2/mockuser', { token: secretToken });
    expect(result.status).toBe(200);
    expect(responseErrors('get', '/tokens/v2/{username}', 200, result.body)).toEqual([]);
    expect(result.headers.get('link')).toBeNull();
    expect(result.body.map((t: any) => t.id)).toEqual([publicTokenId, secretTokenId]);
    const [pk, sk] = result.body;
    expect(pk).toMatchObject({ usage: 'pk', default: true, note: 'Default public token', client: 'api', token: publicToken });
    expect(sk).toMatchObject({ usage: 'sk', default: false, note: 'Master token' });
    expect(sk).not.toHaveProperty('token');
    expect(Object.keys(pk)).toEqual(['client', 'note', 'usage', 'id', 'default', 'scopes', 'created', 'modified', 'token']);
  });

  it('never lists sk token strings, even of tokens created with secret scopes', async () => {
    const { secretToken } = await mock.defaultAccount();
    const created = await api(mock, 'POST', '/tokens/v2/mockuser', { token: secretToken, body: { scopes: ['tokens:read'] } });
    expect(created.body.token).toMatch(/^sk\./);
    const listed = await api(mock, 'GET', '/tokens/v2/mockuser', { token: secretToken });
    expect(listed.text).not.toContain(created.body.token);
    expect(responseErrors('get', '/tokens/v2/{username}', 200, listed.body)).toEqual([]);
  });

  it('filters by usage and by default', async () => {
    const { secretToken, publicTokenId } = await mock.defaultAccount();
    await seedTokens(2);
    const sk = await api(mock, 'GET', '/tokens/v2/mockuser', { token: secretToken, query: { usage: 'sk' } });
    expect(sk.body.map((t: any) => t.usage)).toEqual(['sk']);
    const pk = await api(mock, 'GET', '/tokens/v2/mockuser', { token: secretToken, query: { usage: 'pk' } });
    expect(pk.body.map((t: any) => t.usage)).toEqual(['pk', 'pk', 'pk']);
    const onlyDefault = await api(mock, 'GET', '/tokens/v2/mockuser', { token: secretToken, query: { default: 'true' } });
    expect(onlyDefault.body.map((t: any) => t.id)).toEqual([publicTokenId]);
    const notDefault = await api(mock, 'GET', '/tokens/v2/mockuser', { token: secretToken, query: { default: 'false' } });
    expect(notDefault.body).toHaveLength(3);
    expect(notDefault.body.every((t: any) => t.default === false)).toBe(true);
  });

  it('sorts by created (default) or by modified, ascending', async () => {
    const { secretToken, publicTokenId, secretTokenId } = await mock.defaultAccount();
    const [a, b] = await seedTokens(2);
    mock.advanceTime(1000);
    await api(mock, 'PATCH', `/tokens/v2/mockuser/${a}`, { token: secretToken, body: { note: 'touched' } });
    const byCreated = await api(mock, 'GET', '/tokens/v2/mockuser', { token: secretToken });
    expect(byCreated.body.map((t: any) => t.id)).toEqual([publicTokenId, secretTokenId, a, b]);
    const byModified = await api(mock, 'GET', '/tokens/v2/mockuser', { token: secretToken, query: { sortby: 'modified' } });
    expect(byModified.body.map((t: any) => t.id)).toEqual([publicTokenId, secretTokenId, b, a]);
  });

  it('paginates with limit and a Link built from the request origin, visiting every token once', async () => {
    const { secretToken } = await mock.defaultAccount();
    await seedTokens(5);
    const seen: string[] = [];
    let url: string | undefined = `${mock.baseUrl}/tokens/v2/mockuser?limit=3&usage=pk&access_token=${secretToken}`;
    let pages = 0;
    while (url !== undefined) {
      const response = await fetch(url);
      expect(response.status).toBe(200);
      const body = (await response.json()) as Array<{ id: string }>;
      seen.push(...body.map((t) => t.id));
      const link = nextLink(response.headers);
      if (link !== undefined) {
        const next = new URL(link);
        expect(next.origin).toBe(new URL(mock.baseUrl).origin);
        expect(next.searchParams.has('access_token')).toBe(false);
        expect(next.searchParams.get('limit')).toBe('3');
        expect(next.searchParams.get('usage')).toBe('pk');
        // The SDK re-appends its query and access_token: repeated parameters must be tolerated.
        url = `${link}&limit=3&access_token=${secretToken}&access_token=${secretToken}`;
      } else url = undefined;
      pages++;
    }
    expect(pages).toBe(2);
    expect(seen).toHaveLength(6);
    expect(new Set(seen).size).toBe(6);
  });

  it('keeps a cursor valid when tokens are created and deleted meanwhile', async () => {
    const { secretToken } = await mock.defaultAccount();
    const ids = await seedTokens(4);
    const first = await api(mock, 'GET', '/tokens/v2/mockuser', { token: secretToken, query: { limit: '3' } });
    const link = nextLink(first.headers)!;
    await api(mock, 'DELETE', `/tokens/v2/mockuser/${ids[0]}`, { token: secretToken });
    const [added] = await seedTokens(1);
    const second = await fetch(`${link}&access_token=${secretToken}`);
    const body = (await second.json()) as Array<{ id: string }>;
    expect(body.map((t) => t.id)).toEqual([ids[1], ids[2], ids[3]]);
    const third = await fetch(`${nextLink(second.headers)}&access_token=${secretToken}`);
    expect(((await third.json()) as Array<{ id: string }>).map((t) => t.id)).toEqual([added]);
    expect(third.headers.get('link')).toBeNull();
  });

  it('serves limits above 100 as 100', async () => {
    const { secretToken } = await mock.defaultAccount();
    const fixtures = { accounts: [{ username: 'mockuser', tokens: Array.from({ length: 120 }, (_, i) => ({ note: `n${i}` })) }] };
    const { createTokensMock } = await import('../../src/index.ts');
    const big = createTokensMock({ seed: 3, fixtures, baseUrl: 'http://big.test' });
    const { secretToken: bigSecret } = await big.defaultAccount();
    const response = await big.fetch(new Request(`http://big.test/tokens/v2/mockuser?limit=500&access_token=${bigSecret}`));
    expect(((await response.json()) as unknown[]).length).toBe(100);
    expect(response.headers.get('link')).toContain('limit=500');
    expect(secretToken).toBeTruthy();
  });

  it.each([
    ['usage', 'tk', 'usage must be pk or sk'],
    ['usage', '', 'usage must be pk or sk'],
    ['default', 'yes', 'default must be true or false'],
    ['sortby', 'name', 'sortby must be created or modified'],
    ['limit', '0', 'limit must be a positive integer'],
    ['limit', '2.5', 'limit must be a positive integer'],
    ['limit', '-1', 'limit must be a positive integer'],
    ['limit', 'ten', 'limit must be a positive integer'],
  ])('answers 422 for %s=%j', async (name, value, message) => {
    const { secretToken } = await mock.defaultAccount();
    expectError(await api(mock, 'GET', '/tokens/v2/mockuser', { token: secretToken, query: { [name]: value } }), 422, message);
  });

  it('answers 500 Internal Server Error for a start it did not issue', async () => {
    const { secretToken } = await mock.defaultAccount();
    for (const start of ['nope', 'cijucimbe000brbkt48d0dhcx', '']) {
      expectError(await api(mock, 'GET', '/tokens/v2/mockuser', { token: secretToken, query: { start } }), 500, 'Internal Server Error');
    }
  });

  it('uses the first value of a repeated parameter', async () => {
    const { secretToken } = await mock.defaultAccount();
    const result = await api(mock, 'GET', '/tokens/v2/mockuser', {
      query: [
        ['usage', 'sk'],
        ['usage', 'bogus'],
        ['access_token', secretToken],
        ['access_token', 'junk'],
      ],
    });
    expect(result.status).toBe(200);
    expect(result.body.map((t: any) => t.usage)).toEqual(['sk']);
  });

  it('needs tokens:read (404 Not Found) and changes nothing', async () => {
    const { secretToken } = await mock.defaultAccount();
    const writer = await api(mock, 'POST', '/tokens/v2/mockuser', { token: secretToken, body: { scopes: ['tokens:write'] } });
    await expectNoStateChange(mock, async () => {
      expectError(await api(mock, 'GET', '/tokens/v2/mockuser', { token: writer.body.token }), 404, 'Not Found');
    });
  });
});
