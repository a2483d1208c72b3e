// The control surface /__admin/ driven with plain fetch, against startServer() in-process.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, test } from 'vitest';
import { startServer, type RunningServer, type StartServerOptions } from '../../src/server/index.ts';
import { adminOpenapiDocument } from '../../src/server/admin-openapi.ts';
import { rawRequest } from './http-client.ts';

const servers: RunningServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function serve(options: StartServerOptions = {}): Promise<RunningServer> {
  const server = await startServer({ port: 0, docsDir: false, ...options });
  servers.push(server);
  return server;
}

const json = (body: unknown): RequestInit => ({ headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

describe('the control surface document', () => {
  test('is a valid OpenAPI 3.1 document, rendered as its own section of docs/api.md', async () => {
    const { default: SwaggerParser } = await import('@apidevtools/swagger-parser');
    await SwaggerParser.validate(structuredClone(adminOpenapiDocument) as never);
    const reference = readFileSync(new URL('../../docs/api.md', import.meta.url), 'utf8');
    const section = reference.slice(reference.indexOf('## Control surface (`/__admin/`)'));
    expect(section.length).toBeGreaterThan(100);
    for (const item of Object.values(adminOpenapiDocument.paths)) {
      for (const operation of Object.values(item)) expect(section).toContain(`### ${operation.operationId}`);
    }
  });
});

describe('every control endpoint, with fetch', () => {
  test('openapi.json describes every endpoint the surface answers', async () => {
    const { url } = await serve();
    const response = await fetch(`${url}/__admin/openapi.json`);
    expect(response.status).toBe(200);
    const document = await response.json();
    expect(document).toEqual(JSON.parse(JSON.stringify(adminOpenapiDocument)));
    expect(Object.keys(document.paths).sort()).toEqual([
      '/__admin/accounts',
      '/__admin/clock',
      '/__admin/faults',
      '/__admin/openapi.json',
      '/__admin/requests',
      '/__admin/reset',
      '/__admin/state',
      '/__admin/violations',
    ]);
  });

  test('accounts: a new, isolated account with its master and default public tokens', async () => {
    const { url } = await serve();
    const created = await fetch(`${url}/__admin/accounts`, { method: 'POST', ...json({ username: 'ci-job-1' }) });
    expect(created.status).toBe(201);
    const account = await created.json();
    expect(account).toMatchObject({
      username: 'ci-job-1',
      secretToken: expect.stringMatching(/^sk\./),
      publicToken: expect.stringMatching(/^pk\./),
    });
    const listed = await fetch(`${url}/tokens/v2/ci-job-1?access_token=${account.secretToken}`);
    expect((await listed.json()).map((token: { note: string }) => token.note)).toEqual(['Default public token', 'Master token']);
    // Without a body: a fresh job name.
    const anonymous = await (await fetch(`${url}/__admin/accounts`, { method: 'POST' })).json();
    expect(anonymous.username).toMatch(/^job-\d+-[a-z0-9]+$/);
    expect((await fetch(`${url}/__admin/accounts`, { method: 'POST', ...json({ username: 'ci-job-1' }) })).status).toBe(409);
    expect((await fetch(`${url}/__admin/accounts`, { method: 'POST', ...json({ username: 'a b' }) })).status).toBe(400);
    expect((await fetch(`${url}/__admin/accounts`, { method: 'POST', ...json({ colour: 'x' }) })).status).toBe(400);
  });

  test('clock: advance by a duration or set an instant; temporary tokens expire without waiting', async () => {
    const server = await serve();
    const { url } = server;
    const { username, secretToken } = await server.mock.defaultAccount();
    const { token: temporary } = await server.mock.issueTemporaryToken(username, { scopes: ['tokens:read'] });
    const before = await (await fetch(`${url}/__admin/clock`)).json();
    expect(Math.abs(Date.parse(before.now) - Date.now())).toBeLessThan(5000);
    expect((await fetch(`${url}/tokens/v2/${username}?access_token=${temporary}`)).status).toBe(200);

    const advanced = await fetch(`${url}/__admin/clock`, { method: 'POST', ...json({ advance: '61m' }) });
    expect(advanced.status).toBe(200);
    expect((await advanced.json()).offsetMs).toBeGreaterThanOrEqual(61 * 60_000 - 1000);
    expect((await fetch(`${url}/tokens/v2/${username}?access_token=${temporary}`)).status).toBe(401);

    const set = await (await fetch(`${url}/__admin/clock`, { method: 'POST', ...json({ at: '2030-01-01T00:00:00Z' }) })).json();
    expect(Math.abs(Date.parse(set.now) - Date.parse('2030-01-01T00:00:00Z'))).toBeLessThan(5000);
    expect((await fetch(`${url}/__admin/clock`, { method: 'POST', ...json({ advance: 'soon' }) })).status).toBe(400);
    expect((await fetch(`${url}/__admin/clock`, { method: 'POST', ...json({}) })).status).toBe(400);
    expect((await fetch(`${url}/tokens/v2/${username}?access_token=${secretToken}`)).status).toBe(200);
  });

  test('clock: rolls a rate-limit window without waiting', async () => {
    const server = await serve({ mockOptions: { rateLimit: { limit: 2 } } });
    const { username, secretToken } = await server.mock.defaultAccount();
    const list = () => fetch(`${server.url}/tokens/v2/${username}?access_token=${secretToken}`);
    expect([(await list()).status, (await list()).status, (await list()).status]).toEqual([200, 200, 429]);
    await fetch(`${server.url}/__admin/clock`, { method: 'POST', ...json({ advance: 60_000 }) });
    expect((await list()).status).toBe(200);
  });

  test('state: GET is a snapshot in the --state format; PUT restores it; a bad one changes nothing', async () => {
    const server = await serve();
    const { url } = server;
    const snapshot = await (await fetch(`${url}/__admin/state`)).json();
    expect(snapshot).toMatchObject({ format: 'mapbox-tokens-mock/state', version: 2 });
    await fetch(`${url}/__admin/accounts`, { method: 'POST', ...json({ username: 'later' }) });
    expect((await fetch(`${url}/__admin/state`, { method: 'PUT', ...json({ format: 'nope' }) })).status).toBe(400);
    expect((await (await fetch(`${url}/__admin/state`)).json()).accounts.map((a: { username: string }) => a.username)).toContain('later');
    expect((await fetch(`${url}/__admin/state`, { method: 'PUT', ...json(snapshot) })).status).toBe(204);
    expect((await (await fetch(`${url}/__admin/state`)).json()).accounts.map((a: { username: string }) => a.username)).toEqual([
      'mockuser',
    ]);
  });

  test('faults: list, enable and disable at runtime', async () => {
    const server = await serve();
    const { username, secretToken } = await server.mock.defaultAccount();
    const create = () => fetch(`${server.url}/tokens/v2/${username}?access_token=${secretToken}`, { method: 'POST', ...json({}) });
    const listed = await (await fetch(`${server.url}/__admin/faults`)).json();
    expect(listed.active).toEqual([]);
    expect(listed.available.map((fault: { name: string }) => fault.name)).toContain('create-answers-201');
    const put = await fetch(`${server.url}/__admin/faults`, { method: 'PUT', ...json({ active: ['create-answers-201'] }) });
    expect((await put.json()).active).toEqual(['create-answers-201']);
    expect((await create()).status).toBe(201);
    expect((await fetch(`${server.url}/__admin/faults`, { method: 'PUT', ...json({ active: ['no-such-fault'] }) })).status).toBe(400);
    expect((await (await fetch(`${server.url}/__admin/faults`)).json()).active).toEqual(['create-answers-201']);
    await fetch(`${server.url}/__admin/faults`, { method: 'PUT', ...json({ active: [] }) });
    expect((await create()).status).toBe(200);
  });

  test('requests: the journal with filters, and DELETE empties it', async () => {
    const server = await serve();
    const { username, secretToken } = await server.mock.defaultAccount();
    await fetch(`${server.url}/tokens/v2/${username}?access_token=${secretToken}`, {
      method: 'POST',
      ...json({ scopes: ['styles:read'] }),
    });
    await fetch(`${server.url}/tokens/v2/${username}?access_token=nope`);
    const all = await (await fetch(`${server.url}/__admin/requests`)).json();
    expect(all.count).toBe(2);
    expect(JSON.stringify(all)).not.toContain(secretToken);
    const created = await (await fetch(`${server.url}/__admin/requests?account=${username}&operation=createToken&status=200`)).json();
    expect(created).toMatchObject({ count: 1, requests: [{ body: { scopes: ['styles:read'] }, query: { access_token: 'sk.…' } }] });
    const failed = await (await fetch(`${server.url}/__admin/requests?status=401`)).json();
    expect(failed.requests[0]).toMatchObject({ operation: 'listTokens', condition: 'invalid-token' });
    expect((await (await fetch(`${server.url}/__admin/requests?since=2999-01-01T00:00:00Z`)).json()).count).toBe(0);
    expect((await fetch(`${server.url}/__admin/requests?operation=nope`)).status).toBe(400);
    expect((await fetch(`${server.url}/__admin/requests?colour=1`)).status).toBe(400);
    expect((await fetch(`${server.url}/__admin/requests`, { method: 'DELETE' })).status).toBe(204);
    expect((await (await fetch(`${server.url}/__admin/requests`)).json()).count).toBe(0);
  });

  test('violations: strict-mode findings, with schema path and rule; DELETE forgets them', async () => {
    const server = await serve({ mockOptions: { strict: true, onViolation: () => undefined } });
    const { username, secretToken } = await server.mock.defaultAccount();
    const answer = await fetch(`${server.url}/tokens/v2/${username}?access_token=${secretToken}`, {
      method: 'POST',
      ...json({ note: 'n', colour: 'red' }),
    });
    expect(answer.status).toBe(422); // what the API answers; strict mode only records
    // A body on a GET reaches strict mode through the server too (fetch cannot send one).
    const get = await rawRequest(`${server.url}/tokens/v2/${username}?access_token=${secretToken}`, {
      headers: { 'Content-Type': 'application/json', 'Content-Length': '2' },
      body: '{}',
    });
    expect(get.status).toBe(200);
    const { count, violations } = await (await fetch(`${server.url}/__admin/violations`)).json();
    expect(count).toBe(2);
    expect(violations[1]).toMatchObject({ rule: 'no-request-body', schemaPath: '#/paths/~1tokens~1v2~1{username}/get' });
    expect(violations[0]).toMatchObject({
      rule: 'additionalProperties',
      schemaPath: '#/components/schemas/CreateTokenRequest/additionalProperties',
      location: 'body',
      request: `POST /tokens/v2/${username}?access_token=sk.…`,
    });
    expect((await fetch(`${server.url}/__admin/violations`, { method: 'DELETE' })).status).toBe(204);
    expect((await (await fetch(`${server.url}/__admin/violations`)).json()).count).toBe(0);
  });

  test('reset: back to the initial state, faults, journal and violations included', async () => {
    const server = await serve({ mockOptions: { faults: ['create-answers-201'], strict: true, onViolation: () => undefined } });
    const { url } = server;
    await fetch(`${url}/__admin/accounts`, { method: 'POST', ...json({ username: 'temp' }) });
    await fetch(`${url}/__admin/faults`, { method: 'PUT', ...json({ active: [] }) });
    await fetch(`${url}/tokens/v2/temp?colour=1`);
    expect((await fetch(`${url}/__admin/reset`, { method: 'POST' })).status).toBe(204);
    const state = await (await fetch(`${url}/__admin/state`)).json();
    expect(state.accounts.map((a: { username: string }) => a.username)).toEqual(['mockuser']);
    expect((await (await fetch(`${url}/__admin/faults`)).json()).active).toEqual(['create-answers-201']);
    expect((await (await fetch(`${url}/__admin/requests`)).json()).count).toBe(0);
    expect((await (await fetch(`${url}/__admin/violations`)).json()).count).toBe(0);
  });

  test('unknown admin paths answer 404, unknown methods 405 with Allow', async () => {
    const { url } = await serve();
    expect((await fetch(`${url}/__admin/nothing`)).status).toBe(404);
    const wrong = await fetch(`${url}/__admin/reset`);
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('POST');
  });
});

describe('control requests and the API', () => {
  test('never count against the rate limit and never appear in the journal', async () => {
    const server = await serve({ mockOptions: { rateLimit: { limit: 2 } } });
    const { username, secretToken } = await server.mock.defaultAccount();
    for (let i = 0; i < 5; i++) {
      expect((await fetch(`${server.url}/__admin/requests?account=${username}`)).status).toBe(200);
      expect((await fetch(`${server.url}/__admin/clock`)).status).toBe(200);
    }
    const list = () => fetch(`${server.url}/tokens/v2/${username}?access_token=${secretToken}`);
    expect([(await list()).status, (await list()).status]).toEqual([200, 200]);
    const journal = await (await fetch(`${server.url}/__admin/requests`)).json();
    expect(journal.requests.map((entry: { path: string }) => entry.path)).toEqual([`/tokens/v2/${username}`, `/tokens/v2/${username}`]);
  });

  test('isolation: two parallel jobs on their own accounts never see each other', async () => {
    const server = await serve({ mockOptions: { rateLimit: { limit: 5 } } });
    const job = async (name: string) => {
      const account = await (await fetch(`${server.url}/__admin/accounts`, { method: 'POST', ...json({ username: name }) })).json();
      const base = `${server.url}/tokens/v2/${name}?access_token=${account.secretToken}`;
      const made = await (await fetch(base, { method: 'POST', ...json({ note: `${name} token`, scopes: ['styles:read'] }) })).json();
      // Spend the rest of this account's window: 5 requests per window, 1 used above.
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) statuses.push((await fetch(base)).status);
      const journal = await (await fetch(`${server.url}/__admin/requests?account=${name}`)).json();
      return { name, account, made, statuses, journal };
    };
    const [a, b] = await Promise.all([job('job-a'), job('job-b')]);
    for (const [mine, theirs] of [
      [a, b],
      [b, a],
    ] as const) {
      // Each job's window is its own: exactly its own 5th request onwards is refused, never earlier.
      expect(mine.statuses).toEqual([200, 200, 200, 200, 429]);
      // Its journal entries are only its own.
      expect(mine.journal.requests.every((entry: { account: string }) => entry.account === mine.name)).toBe(true);
      expect(mine.journal.count).toBe(6);
      expect(JSON.stringify(mine.journal)).not.toContain(theirs.made.id);
    }
    // After the windows roll over: each account lists only its own tokens, and its token cannot read the other.
    await fetch(`${server.url}/__admin/clock`, { method: 'POST', ...json({ advance: '1m' }) });
    for (const [mine, theirs] of [
      [a, b],
      [b, a],
    ] as const) {
      const cross = await fetch(`${server.url}/tokens/v2/${theirs.name}?access_token=${mine.account.secretToken}`);
      expect(cross.status).toBe(404);
      const listed = await (await fetch(`${server.url}/tokens/v2/${mine.name}?access_token=${mine.account.secretToken}`)).json();
      expect(listed.map((token: { note: string }) => token.note).sort()).toEqual([
        'Default public token',
        'Master token',
        `${mine.name} token`,
      ]);
    }
  });
});

describe('security', () => {
  test('on a non-loopback bind (127.0.0.2 stands in) the surface is off without --admin-token', async () => {
    const server = await serve({ host: '127.0.0.2' });
    expect(server.admin).toEqual({ enabled: false, reason: expect.stringContaining('not a loopback address') });
    const response = await fetch(`${server.url}/__admin/clock`);
    expect(response.status).toBe(404);
    expect((await fetch(`${server.url}/`)).status).toBe(200);
    expect((await (await fetch(`${server.url}/`)).json()).links.admin).toBeUndefined();
  }, 20_000);

  test('on a non-loopback bind with a token: 401 without it or with a wrong one, 200 with it', async () => {
    const server = await serve({ host: '127.0.0.2', admin: { token: 's3cret' } });
    expect(server.admin.enabled).toBe(true);
    const none = await fetch(`${server.url}/__admin/clock`);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(await none.json()).toEqual({ message: 'Unauthorized' });
    expect((await fetch(`${server.url}/__admin/clock`, { headers: { Authorization: 'Bearer wrong' } })).status).toBe(401);
    expect((await fetch(`${server.url}/__admin/reset`, { method: 'POST', headers: { Authorization: 's3cret' } })).status).toBe(401);
    expect((await fetch(`${server.url}/__admin/clock`, { headers: { Authorization: 'Bearer s3cret' } })).status).toBe(200);
  }, 20_000);

  test('on loopback the surface is on without a token; --no-admin turns it off', async () => {
    const open = await serve();
    expect((await fetch(`${open.url}/__admin/clock`)).status).toBe(200);
    const off = await serve({ admin: { disabled: true } });
    expect((await fetch(`${off.url}/__admin/clock`)).status).toBe(404);
    const withToken = await serve({ admin: { token: 't' } });
    expect((await fetch(`${withToken.url}/__admin/clock`)).status).toBe(401);
  });
});

describe('server pages', () => {
  test('/ is a JSON index, or HTML for a browser; /openapi.json and /openapi.yaml serve the document', async () => {
    const server = await serve({ mockOptions: { faults: ['create-answers-201'] }, docsDir: undefined });
    const index = await (await fetch(`${server.url}/`)).json();
    expect(index).toEqual({
      baseUrl: server.url,
      username: 'mockuser',
      faults: ['create-answers-201'],
      links: {
        docs: `${server.url}/docs`,
        openapiJson: `${server.url}/openapi.json`,
        openapiYaml: `${server.url}/openapi.yaml`,
        admin: `${server.url}/__admin/openapi.json`,
      },
    });
    const html = await fetch(`${server.url}/`, { headers: { Accept: 'text/html' } });
    expect(html.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await html.text()).toContain('<code>create-answers-201</code>');
    const document = await (await fetch(`${server.url}/openapi.json`)).json();
    expect(document.openapi).toBe('3.1.0');
    const yaml = await fetch(`${server.url}/openapi.yaml`);
    expect(yaml.headers.get('content-type')).toMatch(/^application\/yaml/);
    expect(await yaml.text()).toMatch(/^openapi: 3\.1\.0/m);
    expect((await fetch(`${server.url}/`, { method: 'POST' })).status).toBe(405);
    // Without the docs route, the index does not link to it.
    expect((await (await fetch(`${(await serve()).url}/`)).json()).links.docs).toBeUndefined();
  });

  test('onRequestLog reports method, redacted path, status and duration of every request', async () => {
    const records: Array<{ method: string; path: string; status: number; ms: number }> = [];
    const server = await serve({ onRequestLog: (record) => records.push(record) });
    const { username, secretToken } = await server.mock.defaultAccount();
    await fetch(`${server.url}/tokens/v2/${username}?access_token=${secretToken}&limit=2`);
    await fetch(`${server.url}/__admin/clock`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(records.map(({ method, path, status }) => ({ method, path, status }))).toEqual([
      { method: 'GET', path: `/tokens/v2/${username}?access_token=sk.…&limit=2`, status: 200 },
      { method: 'GET', path: '/__admin/clock', status: 200 },
    ]);
    expect(records.every((record) => record.ms >= 0)).toBe(true);
    expect(JSON.stringify(records)).not.toContain(secretToken);
  });
});
