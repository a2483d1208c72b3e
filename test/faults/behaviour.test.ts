// Each probed fault does exactly what its catalogue entry says: the same requests against a
// faithful mock and a mock with that one fault (same seed, same tokens) differ only as described.
import { describe, expect, it } from 'vitest';
import { createTokensMock, type FaultName, type TokensMock } from '../../src/index.ts';

const BASE = 'http://probe.test';

interface Probe {
  mock: TokensMock;
  secret: string;
  public: string;
  send(
    method: string,
    path: string,
    init?: { token?: string | null; body?: unknown },
  ): Promise<{ status: number; type: string | null; body: unknown }>;
}

async function probeMock(faults: FaultName[]): Promise<Probe> {
  const mock = createTokensMock({ baseUrl: BASE, seed: 21, faults });
  const account = await mock.defaultAccount();
  await mock.createAccount({ username: 'other' });
  return {
    mock,
    secret: account.secretToken,
    public: account.publicToken,
    async send(method, path, init = {}) {
      const url = new URL(`${BASE}${path}`);
      const token = init.token === undefined ? account.secretToken : init.token;
      if (token !== null) url.searchParams.append('access_token', token);
      const response = await mock.fetch(
        new Request(url, { method, ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }) }),
      );
      const text = await response.text();
      return { status: response.status, type: response.headers.get('content-type'), body: text === '' ? undefined : JSON.parse(text) };
    },
  };
}

/** Both mocks, faithful first. */
async function pair(fault: FaultName): Promise<[Probe, Probe]> {
  return Promise.all([probeMock([]), probeMock([fault])]);
}

/** Ids seen by following Link rel="next" with limit=1 from the first page. */
async function walk(probe: Probe, pages = 10): Promise<string[]> {
  const ids: string[] = [];
  let url: string | undefined = `${BASE}/tokens/v2/mockuser?limit=1&access_token=${probe.secret}`;
  for (let page = 0; url !== undefined && page < pages; page++) {
    const response: Response = await probe.mock.fetch(new Request(url));
    ids.push(...((await response.json()) as { id: string }[]).map((item) => item.id));
    const next = /<([^>]+)>; rel="next"/.exec(response.headers.get('link') ?? '')?.[1];
    url = next === undefined ? undefined : `${next}&access_token=${probe.secret}`;
  }
  return ids;
}

describe('error table faults change only status or message', () => {
  it.each([
    ['not-found-lowercase', 'GET', '/tokens/v2/other', { status: 404, message: 'Not Found' }, { status: 404, message: 'Not found' }],
    [
      'no-such-user-answers-not-found',
      'GET',
      '/tokens/v2/nobody',
      { status: 404, message: 'No such user' },
      { status: 404, message: 'Not Found' },
    ],
    [
      'retrieve-missing-token-answers-401',
      'GET',
      '/tokens/v2',
      { status: 422, message: 'access token is required' },
      { status: 401, message: 'Unauthorized' },
    ],
  ] as const)('%s: %s %s', async (fault, method, path, expected, faulty) => {
    const [good, bad] = await pair(fault);
    const token = path === '/tokens/v2' ? null : undefined;
    const [a, b] = [await good.send(method, path, { token }), await bad.send(method, path, { token })];
    expect({ status: a.status, message: (a.body as { message: string }).message }).toEqual(expected);
    expect({ status: b.status, message: (b.body as { message: string }).message }).toEqual(faulty);
  });

  it('missing-scope-answers-403: a pk listing tokens gets 403 Not Found', async () => {
    const [good, bad] = await pair('missing-scope-answers-403');
    expect((await good.send('GET', '/tokens/v2/mockuser', { token: good.public })).status).toBe(404);
    expect(await bad.send('GET', '/tokens/v2/mockuser', { token: bad.public })).toMatchObject({
      status: 403,
      body: { message: 'Not Found' },
    });
  });

  it('errors-not-json: the same error body as text/plain; successes stay JSON', async () => {
    const [good, bad] = await pair('errors-not-json');
    const [a, b] = [await good.send('GET', '/tokens/v2/mockuser?usage=tk'), await bad.send('GET', '/tokens/v2/mockuser?usage=tk')];
    expect([a.type, b.type]).toEqual(['application/json; charset=utf-8', 'text/plain; charset=utf-8']);
    expect(b.body).toEqual(a.body);
    expect((await bad.send('GET', '/tokens/v2/mockuser')).type).toBe('application/json; charset=utf-8');
  });
});

describe('pagination faults', () => {
  async function withTokens(fault: FaultName): Promise<[Probe, Probe]> {
    const probes = await pair(fault);
    for (const probe of probes) {
      for (let index = 0; index < 3; index++) await probe.mock.issueToken('mockuser', { note: `t${index}`, scopes: ['styles:read'] });
    }
    return probes;
  }

  it('faithful: limit=1 pages visit all 5 tokens once', async () => {
    const [good] = await withTokens('list-pages-skip');
    const ids = await walk(good);
    expect(ids).toHaveLength(5);
    expect(new Set(ids).size).toBe(5);
  });

  it('list-pages-skip: every second token is never listed', async () => {
    const [, bad] = await withTokens('list-pages-skip');
    const all = ((await bad.send('GET', '/tokens/v2/mockuser')).body as { id: string }[]).map((item) => item.id);
    expect(all).toHaveLength(5);
    expect(await walk(bad)).toEqual([all[0], all[2], all[4]]);
  });

  it('list-pages-overlap: with limit=2 the last token of each page is listed again', async () => {
    const [, bad] = await withTokens('list-pages-overlap');
    const first = await bad.send('GET', '/tokens/v2/mockuser?limit=2');
    const link = /<([^>]+)>/.exec(
      (await bad.mock.fetch(new Request(`${BASE}/tokens/v2/mockuser?limit=2&access_token=${bad.secret}`))).headers.get('link') ?? '',
    )![1]!;
    const second = (await (await bad.mock.fetch(new Request(`${link}&access_token=${bad.secret}`))).json()) as { id: string }[];
    expect(second[0]!.id).toBe((first.body as { id: string }[])[1]!.id);
  });

  it('list-cursor-ignored: every page is the first page', async () => {
    const [, bad] = await withTokens('list-cursor-ignored');
    const first = ((await bad.send('GET', '/tokens/v2/mockuser')).body as { id: string }[])[0]!.id;
    expect(await walk(bad, 4)).toEqual([first, first, first, first]);
  });

  it('list-link-wrong-origin: the Link points to api.mapbox.com, list-link-missing: no Link', async () => {
    const [, wrong] = await withTokens('list-link-wrong-origin');
    const response = await wrong.mock.fetch(new Request(`${BASE}/tokens/v2/mockuser?limit=1&access_token=${wrong.secret}`));
    expect(response.headers.get('link')).toMatch(/^<https:\/\/api\.mapbox\.com\/tokens\/v2\/mockuser\?limit=1&start=[^>]+>; rel="next"$/);
    const [, missing] = await withTokens('list-link-missing');
    const page = await missing.mock.fetch(new Request(`${BASE}/tokens/v2/mockuser?limit=1&access_token=${missing.secret}`));
    expect([page.status, page.headers.get('link')]).toEqual([200, null]);
  });
});

describe('retrieve faults lie about one code each', () => {
  it.each([
    ['retrieve-malformed-reads-invalid', () => 'garbage', 'TokenMalformed', 'TokenInvalid'],
    [
      'retrieve-forged-reads-valid',
      (probe: Probe) => probe.secret.replace(/\.[^.]+$/, '.AAAAAAAAAAAAAAAAAAAAAA'),
      'TokenInvalid',
      'TokenValid',
    ],
  ] as const)('%s', async (fault, token, expected, faulty) => {
    const [good, bad] = await pair(fault);
    expect(((await good.send('GET', '/tokens/v2', { token: token(good) })).body as { code: string }).code).toBe(expected);
    expect(((await bad.send('GET', '/tokens/v2', { token: token(bad) })).body as { code: string }).code).toBe(faulty);
    // The master token still reads TokenValid on both.
    expect(((await bad.send('GET', '/tokens/v2')).body as { code: string }).code).toBe('TokenValid');
  });

  it('retrieve-revoked-reads-valid: a deleted token reads TokenValid, yet it no longer authenticates', async () => {
    const [, bad] = await pair('retrieve-revoked-reads-valid');
    const issued = await bad.mock.issueToken('mockuser', { scopes: ['tokens:read'] });
    expect((await bad.send('DELETE', `/tokens/v2/mockuser/${issued.id}`)).status).toBe(204);
    expect(((await bad.send('GET', '/tokens/v2', { token: issued.token })).body as { code: string }).code).toBe('TokenValid');
    expect((await bad.send('GET', '/tokens/v2/mockuser', { token: issued.token })).status).toBe(401);
  });

  it('retrieve-expired-reads-valid: an expired tk reads TokenValid, expired-token-accepted lets it list', async () => {
    for (const fault of ['retrieve-expired-reads-valid', 'expired-token-accepted'] as const) {
      const [, bad] = await pair(fault);
      const tk = (await bad.mock.issueTemporaryToken('mockuser', { scopes: ['tokens:read'], expires: new Date(bad.mock.now() + 60_000) }))
        .token;
      bad.mock.advanceTime(120_000);
      const code = ((await bad.send('GET', '/tokens/v2', { token: tk })).body as { code: string }).code;
      const listed = (await bad.send('GET', '/tokens/v2/mockuser', { token: tk })).status;
      expect([code, listed]).toEqual(fault === 'retrieve-expired-reads-valid' ? ['TokenValid', 401] : ['TokenExpired', 200]);
    }
  });
});

describe('write faults', () => {
  it('delete-is-noop answers 204 and keeps the token; delete-answers-200 deletes but answers 200', async () => {
    const [, noop] = await pair('delete-is-noop');
    const kept = await noop.mock.issueToken('mockuser', { scopes: ['styles:read'] });
    expect((await noop.send('DELETE', `/tokens/v2/mockuser/${kept.id}`)).status).toBe(204);
    expect(((await noop.send('GET', '/tokens/v2', { token: kept.token })).body as { code: string }).code).toBe('TokenValid');
    const [, ok200] = await pair('delete-answers-200');
    const gone = await ok200.mock.issueToken('mockuser', { scopes: ['styles:read'] });
    expect(await ok200.send('DELETE', `/tokens/v2/mockuser/${gone.id}`)).toMatchObject({ status: 200, body: { id: gone.id } });
    expect(((await ok200.send('GET', '/tokens/v2', { token: gone.token })).body as { code: string }).code).toBe('TokenRevoked');
  });

  it('update-ignores-note answers 200 with the old note; scopes are still written', async () => {
    const [, bad] = await pair('update-ignores-note');
    const issued = await bad.mock.issueToken('mockuser', { note: 'before', scopes: ['styles:read'] });
    const updated = await bad.send('PATCH', `/tokens/v2/mockuser/${issued.id}`, { body: { note: 'after', scopes: ['fonts:read'] } });
    expect(updated).toMatchObject({ status: 200, body: { note: 'before', scopes: ['fonts:read'] } });
  });

  it('update-leaks-secret-token and list-leaks-secret-tokens show sk strings where the faithful mock hides them', async () => {
    for (const fault of ['update-leaks-secret-token', 'list-leaks-secret-tokens'] as const) {
      const [good, bad] = await pair(fault);
      const sk = async (probe: Probe): Promise<Record<string, unknown>> => {
        if (fault === 'list-leaks-secret-tokens')
          return ((await probe.send('GET', '/tokens/v2/mockuser?usage=sk')).body as Record<string, unknown>[])[0]!;
        const issued = await probe.mock.issueToken('mockuser', { scopes: ['tokens:read'] });
        return (await probe.send('PATCH', `/tokens/v2/mockuser/${issued.id}`, { body: { note: 'x' } })).body as Record<string, unknown>;
      };
      expect('token' in (await sk(good))).toBe(false);
      expect(String((await sk(bad))['token'])).toMatch(/^sk\./);
    }
  });
});

describe('faults built around the faithful path', () => {
  it('update-ignores-note still refuses an invalid note, as the faithful mock does', async () => {
    const [good, bad] = await pair('update-ignores-note');
    for (const probe of [good, bad]) {
      const issued = await probe.mock.issueToken('mockuser', { note: 'before', scopes: ['styles:read'] });
      expect(await probe.send('PATCH', `/tokens/v2/mockuser/${issued.id}`, { body: { note: 5 } })).toMatchObject({
        status: 422,
        body: { message: 'note is invalid' },
      });
    }
  });

  it('create-accepts-too-many-allowed-urls stores all of them, through the route and the helper', async () => {
    const [good, bad] = await pair('create-accepts-too-many-allowed-urls');
    const allowedUrls = Array.from({ length: 150 }, (_, index) => `https://app${index}.example`);
    expect((await good.send('POST', '/tokens/v2/mockuser', { body: { scopes: [], allowedUrls } })).status).toBe(422);
    const created = await bad.send('POST', '/tokens/v2/mockuser', { body: { scopes: [], allowedUrls } });
    expect(created.status).toBe(200);
    expect((created.body as { allowedUrls: string[] }).allowedUrls).toHaveLength(150);
    expect((await bad.mock.issueToken('mockuser', { allowedUrls })).allowedUrls).toHaveLength(150);
    await expect(good.mock.issueToken('mockuser', { allowedUrls })).rejects.toMatchObject({ status: 422 });
  });

  it('rule faults combine: a forged and a deleted token both authenticate when both faults are on', async () => {
    const probe = await probeMock(['forged-signature-accepted', 'revoked-token-accepted']);
    const deleted = await probe.mock.issueToken('mockuser', { scopes: ['tokens:read'] });
    expect((await probe.send('DELETE', `/tokens/v2/mockuser/${deleted.id}`)).status).toBe(204);
    const forged = `${probe.secret.slice(0, probe.secret.lastIndexOf('.'))}.AAAAAAAAAAAAAAAAAAAAAA`;
    expect((await probe.send('GET', '/tokens/v2/mockuser', { token: deleted.token })).status).toBe(200);
    expect((await probe.send('GET', '/tokens/v2/mockuser', { token: forged })).status).toBe(200);
  });

  it('setFaults() replaces the rules of a running mock and gives the documented ones back', async () => {
    const probe = await probeMock([]);
    const { publicTokenId } = await probe.mock.defaultAccount();
    probe.mock.setFaults(['delete-allows-default-token']);
    const other = await probe.mock.issueToken('mockuser', { scopes: ['styles:read'] });
    probe.mock.setFaults([]);
    expect((await probe.send('DELETE', `/tokens/v2/mockuser/${publicTokenId}`)).status).toBe(422);
    probe.mock.setFaults(['delete-allows-default-token']);
    expect((await probe.send('DELETE', `/tokens/v2/mockuser/${publicTokenId}`)).status).toBe(204);
    probe.mock.setFaults([]);
    expect((await probe.send('DELETE', `/tokens/v2/mockuser/${other.id}`)).status).toBe(204);
  });
});
