// Security: forged, truncated, re-signed and spliced tokens never authorize (and retrieve never
// calls them valid); one account's tokens cannot read or change another's; secrets never reach the
// server's output beyond the line that announces the master token.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokensMock } from '../../src/index.ts';
import { call, stateOf } from './support.ts';
import { spawnServer, spawnServerWithBanner } from './spawned-server.ts';

const T0 = Date.parse('2026-03-01T12:00:00.000Z');
const mock = createTokensMock({ seed: 21, clock: () => T0, rateLimit: false, accounts: [{ username: 'alice' }, { username: 'bob' }] });
const fetcher = (request: Request): Promise<Response> => mock.fetch(request);
const api = (method: string, path: string, token: string, body?: unknown) =>
  call(fetcher, mock.baseUrl, method, path, { token, ...(body !== undefined && { body }) });

interface Parts {
  usage: string;
  payload: string;
  signature: string;
}
const split = (token: string): Parts => {
  const [usage, payload, signature] = token.split('.') as [string, string, string];
  return { usage, payload, signature };
};
const join = ({ usage, payload, signature }: Parts): string => `${usage}.${payload}.${signature}`;
const toBase64Url = (text: string): string => Buffer.from(text).toString('base64url');
const fromBase64Url = (text: string): string => Buffer.from(text, 'base64url').toString();

/** A token string must neither authorize a write nor a read, and retrieve must not call it valid. */
async function expectPowerless(token: string): Promise<void> {
  const before = stateOf(mock);
  const listed = await api('GET', '/tokens/v2/alice', token);
  const created = await api('POST', '/tokens/v2/alice', token, { scopes: ['styles:read'] });
  expect([listed.status, created.status], token).toEqual([401, 401]);
  expect(listed.body).toEqual({ message: 'Unauthorized' });
  expect(stateOf(mock)).toEqual(before);
  const retrieved = await api('GET', '/tokens/v2', token);
  expect(retrieved.status).toBe(200);
  expect(retrieved.body.code, token).not.toBe('TokenValid');
}

describe('forged tokens never authorize', () => {
  let aliceSecret = '';
  let alicePublic = '';
  let otherSecret = '';
  let temporary = '';
  beforeAll(async () => {
    const alice = await mock.defaultAccount();
    aliceSecret = alice.secretToken;
    alicePublic = alice.publicToken;
    otherSecret = (await mock.issueToken('alice', { scopes: ['tokens:read', 'tokens:write', 'styles:read'] })).token;
    temporary = (await mock.issueTemporaryToken('alice', { scopes: ['tokens:read', 'tokens:write'] })).token;
  });

  it('the genuine tokens do authorize (the forgeries below start from working tokens)', async () => {
    expect((await api('GET', '/tokens/v2/alice', aliceSecret)).status).toBe(200);
    expect((await api('GET', '/tokens/v2/alice', temporary)).status).toBe(200);
    expect((await api('GET', '/tokens/v2', aliceSecret)).body.code).toBe('TokenValid');
  });

  it('signatures replaced, truncated, extended or re-cased', async () => {
    const parts = split(aliceSecret);
    const forgeries = [
      join({ ...parts, signature: 'A'.repeat(22) }),
      join({ ...parts, signature: parts.signature.slice(0, 21) }),
      join({ ...parts, signature: `${parts.signature}A` }),
      join({
        ...parts,
        signature: parts.signature.toUpperCase() === parts.signature ? parts.signature.toLowerCase() : parts.signature.toUpperCase(),
      }),
      join({ ...parts, signature: split(otherSecret).signature }),
      `${parts.usage}.${parts.payload}.`,
      `${parts.usage}.${parts.payload}`,
      `${parts.usage}..${parts.signature}`,
      aliceSecret.slice(0, aliceSecret.length - 5),
      `${aliceSecret}.extra`,
      ` ${aliceSecret}`,
    ];
    for (const forged of forgeries) await expectPowerless(forged);
  });

  it("a token of the same user signed with another mock's key", async () => {
    const other = createTokensMock({ seed: 99, clock: () => T0, accounts: [{ username: 'alice' }] });
    const resigned = (await other.defaultAccount()).secretToken;
    expect(split(resigned).payload).not.toBe('');
    await expectPowerless(resigned);
    // Same payload as a real token of this mock, the other key's signature.
    const real = split(aliceSecret);
    const signedElsewhere = await other.issueToken('alice', { scopes: ['tokens:write'] });
    await expectPowerless(join({ ...real, signature: split(signedElsewhere.token).signature }));
  });

  it('payloads swapped between tokens, and payloads edited to name another token or account', async () => {
    const a = split(aliceSecret);
    const b = split(otherSecret);
    await expectPowerless(join({ ...a, payload: b.payload }));
    await expectPowerless(join({ ...b, payload: a.payload }));
    const claims = JSON.parse(fromBase64Url(a.payload)) as { u: string; a: string };
    const carolId = (await mock.createAccount({ username: 'carol' })).secretTokenId;
    await expectPowerless(join({ ...a, payload: toBase64Url(JSON.stringify({ u: claims.u, a: carolId })) }));
    await expectPowerless(join({ ...a, payload: toBase64Url(JSON.stringify({ u: 'bob', a: claims.a })) }));
    // The temporary token's scopes widened, or its expiry pushed out.
    const t = split(temporary);
    const tkClaims = JSON.parse(fromBase64Url(t.payload)) as Record<string, unknown>;
    await expectPowerless(
      join({ ...t, payload: toBase64Url(JSON.stringify({ ...tkClaims, scopes: ['tokens:read', 'tokens:write', 'user:write'] })) }),
    );
    await expectPowerless(join({ ...t, payload: toBase64Url(JSON.stringify({ ...tkClaims, exp: (tkClaims.exp as number) + 86_400 })) }));
  });

  it('usage prefix changed pk <-> sk <-> tk', async () => {
    for (const token of [aliceSecret, alicePublic, temporary, otherSecret]) {
      for (const usage of ['pk', 'sk', 'tk', 'PK', 'xk']) {
        if (usage === split(token).usage) continue;
        await expectPowerless(join({ ...split(token), usage }));
      }
    }
  });

  it('any single-character change of a secret token never authorizes (fast-check)', async () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ ';
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: aliceSecret.length - 1 }), fc.constantFrom(...alphabet), async (position, character) => {
        fc.pre(aliceSecret[position] !== character);
        const mutated = aliceSecret.slice(0, position) + character + aliceSecret.slice(position + 1);
        expect((await api('GET', '/tokens/v2/alice', mutated)).status).toBe(401);
      }),
      { numRuns: 150, seed: 424242 },
    );
  });
});

describe("one account's tokens cannot read or change another's", () => {
  let alice = { secretToken: '', secretTokenId: '', publicTokenId: '' };
  let daveSecret = '';
  let daveTemporary = '';
  let aliceTarget = '';
  beforeAll(async () => {
    alice = await mock.defaultAccount();
    daveSecret = (await mock.createAccount({ username: 'dave' })).secretToken;
    daveTemporary = (await mock.issueTemporaryToken('dave', { scopes: ['tokens:read', 'tokens:write'] })).token;
    aliceTarget = (await mock.issueToken('alice', { note: 'target', scopes: ['styles:read'] })).id;
  });

  it.each([
    ['list', 'GET', (u: string) => `/tokens/v2/${u}`, undefined],
    ['create', 'POST', (u: string) => `/tokens/v2/${u}`, { scopes: ['styles:read'] }],
    ['scopes', 'GET', (u: string) => `/scopes/v1/${u}`, undefined],
  ] as const)('%s on the other account answers 404 Not Found', async (_name, method, path, body) => {
    for (const token of [daveSecret, daveTemporary]) {
      const before = stateOf(mock);
      const result = await api(method, path('alice'), token, body);
      expect({ status: result.status, body: result.body }).toEqual({ status: 404, body: { message: 'Not Found' } });
      expect(stateOf(mock)).toEqual(before);
    }
  });

  it("update and delete of the other account's tokens, by its path or by one's own, answer 404 and change nothing", async () => {
    for (const token of [daveSecret, daveTemporary]) {
      for (const owner of ['alice', 'dave']) {
        for (const id of [aliceTarget, alice.secretTokenId]) {
          const before = stateOf(mock);
          const updated = await api('PATCH', `/tokens/v2/${owner}/${id}`, token, { note: 'stolen', scopes: [] });
          const deleted = await api('DELETE', `/tokens/v2/${owner}/${id}`, token);
          expect([updated.status, deleted.status]).toEqual([404, 404]);
          expect(stateOf(mock)).toEqual(before);
        }
      }
    }
    const listed = await api('GET', '/tokens/v2/alice', alice.secretToken);
    expect(listed.body.find((item: { id: string }) => item.id === aliceTarget).note).toBe('target');
  });
});

describe('secrets never reach the server output', () => {
  const spawned: Array<Awaited<ReturnType<typeof spawnServer>>> = [];
  afterAll(async () => {
    for (const server of spawned) await server.stop();
  });

  /** Requests of every kind, errors included; returns the secret strings they created. */
  async function exercise(baseUrl: string, username: string, token: string): Promise<string[]> {
    const send = (method: string, path: string, options: Parameters<typeof call>[4] = {}) =>
      call(fetch, baseUrl, method, path, { token, ...options });
    const created = await send('POST', `/tokens/v2/${username}`, { body: { note: 'sk', scopes: ['tokens:read', 'styles:read'] } });
    const temporary = await send('POST', `/tokens/v2/${username}`, {
      body: { scopes: ['tokens:read'], expires: new Date(Date.now() + 600_000).toISOString() },
    });
    const secrets = [created.body.token as string, temporary.body.token as string];
    for (const secret of secrets) expect(typeof secret).toBe('string');
    await send('GET', `/tokens/v2/${username}`);
    await send('GET', `/tokens/v2/${username}`, { query: [['start', '!!!']] }); // documented 500
    await send('GET', `/tokens/v2/${username}`, { query: [['limit', 'x']] });
    await send('POST', `/tokens/v2/${username}`, { rawBody: '{"note":' });
    await send('POST', `/tokens/v2/${username}`, { body: { note: 'x'.repeat(2 * 1024 * 1024) } }); // 413
    await send('PUT', `/tokens/v2/${username}`);
    await send('GET', '/nowhere');
    await send('PATCH', `/tokens/v2/${username}/${created.body.id as string}`, { body: { note: 'n' } });
    await send('DELETE', `/tokens/v2/${username}/${created.body.id as string}`);
    await call(fetch, baseUrl, 'GET', '/tokens/v2', { token: secrets[0]! });
    await call(fetch, baseUrl, 'GET', `/tokens/v2/${username}`, { token: `${token}x` });
    return secrets;
  }

  it('--json: only the JSON line carries the master token; nothing else, on stdout or stderr', async () => {
    const server = await spawnServer([]);
    spawned.push(server);
    const secrets = [server.token, ...(await exercise(server.baseUrl, server.username, server.token))];
    await server.stop();
    const [jsonLine, ...rest] = server.stdout().split('\n');
    expect(JSON.parse(jsonLine!).token).toBe(server.token);
    const afterAnnouncement = rest.join('\n') + server.stderr();
    for (const secret of secrets) expect(afterAnnouncement.includes(secret)).toBe(false);
  });

  it('banner: the master token appears only in the banner; created secrets never', async () => {
    // The banner mode is spawned without --json: read the token from the banner itself.
    const server = await spawnServerWithBanner();
    spawned.push(server);
    const secrets = await exercise(server.baseUrl, server.username, server.token);
    await server.stop();
    const banner = server.bannerText;
    const afterBanner = server.stdout().slice(banner.length) + server.stderr();
    expect(banner).toContain(server.token);
    for (const secret of [server.token, ...secrets]) expect(afterBanner.includes(secret)).toBe(false);
    for (const secret of secrets) expect(banner.includes(secret)).toBe(false);
  });
});
