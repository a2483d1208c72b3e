// The server writes a mock's answers through mock.handle() when the mock has it, and through
// mock.fetch() otherwise: both paths must put the same answer on the wire.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createTokensMockCore, type TokensMockCore } from '../../src/index.ts';
import { startServer, type RunningServer, type ServableMock } from '../../src/server/index.ts';
import { FAITHFUL_STATUSES, requestTable } from '../http/request-table.ts';
import { T0 } from '../handlers/support.ts';
import { rawRequest, type RawResponse } from './http-client.ts';

const running: RunningServer<ServableMock>[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.close()));
});

async function serve<M extends ServableMock>(mock: M, bodyLimit?: number): Promise<RunningServer<M>> {
  const server = await startServer({ mock, port: 0, docsDir: false, ...(bodyLimit !== undefined && { bodyLimit }) });
  running.push(server);
  return server;
}

/** Another mock's fetch path only: what an embedder's mock without `handle` looks like to the server. */
function fetchOnly(mock: TokensMockCore): ServableMock {
  return {
    fetch: (request) => mock.fetch(request),
    snapshot: () => mock.snapshot(),
    restore: (state) => mock.restore(state as Parameters<TokensMockCore['restore']>[0]),
    defaultAccount: () => mock.defaultAccount(),
  };
}

/** Headers that depend on the moment or the connection, not on the answer. */
const VOLATILE = new Set(['date', 'connection', 'keep-alive']);

function comparable(answer: RawResponse): { status: number; headers: Record<string, unknown>; body: string } {
  const headers = Object.fromEntries(Object.entries(answer.headers).filter(([name]) => !VOLATILE.has(name)));
  return { status: answer.status, headers, body: answer.body };
}

interface WireRow {
  name: string;
  method: string;
  path: string;
  body?: string | Buffer;
  headers?: Record<string, string>;
}

describe('startServer: mock.handle() and mock.fetch() give the same bytes', () => {
  it('for every operation, errors, 404, 405, HEAD, OPTIONS, bodies in UTF-8 (BOM included) and the body limit', async () => {
    const core = createTokensMockCore({ seed: 11, clock: () => T0 });
    const twin = createTokensMockCore({ seed: 11, clock: () => T0 });
    const account = await core.defaultAccount();
    expect(await twin.defaultAccount()).toEqual(account);
    const deletable = await core.issueToken(account.username, { note: 'to delete' });
    expect(await twin.issueToken(account.username, { note: 'to delete' })).toEqual(deletable);
    const handleSpy = vi.spyOn(core, 'handle');
    const fetchSpy = vi.spyOn(core, 'fetch');
    const viaHandle = await serve(core, 4096);
    const viaFetch = await serve(fetchOnly(twin), 4096);

    const sk = `access_token=${account.secretToken}`;
    const create = `/tokens/v2/${account.username}?${sk}`;
    const rows: WireRow[] = [
      ...requestTable(account, deletable),
      {
        name: 'list with the Link origin from Host',
        method: 'GET',
        path: `/tokens/v2/${account.username}?limit=1&${sk}`,
        headers: { Host: 'mock.example:9999' },
      },
      { name: 'create, body starting with a UTF-8 BOM', method: 'POST', path: create, body: Buffer.from('\uFEFF{"note":"bom"}', 'utf8') },
      {
        name: 'create, malformed UTF-8',
        method: 'POST',
        path: create,
        body: Buffer.from([0x7b, 0x22, 0x6e, 0x6f, 0x74, 0x65, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]),
      },
      {
        name: 'create with a JSON content type',
        method: 'POST',
        path: create,
        body: '{"scopes":["fonts:read"]}',
        headers: { 'Content-Type': 'application/json' },
      },
      { name: 'HEAD of an unknown route', method: 'HEAD', path: '/styles/v1/x' },
      // Node's client sends a DELETE body without framing unless told its length.
      {
        name: 'DELETE with a body',
        method: 'DELETE',
        path: `/tokens/v2/${account.username}/cknotthere?${sk}`,
        body: '{}',
        headers: { 'Content-Length': '2' },
      },
      { name: 'over the body limit (413)', method: 'POST', path: create, body: 'x'.repeat(5000) },
    ];
    const statuses: number[] = [];
    for (const row of rows) {
      const options = {
        method: row.method,
        ...(row.body !== undefined && { body: row.body }),
        ...(row.headers && { headers: row.headers }),
      };
      const handled = await rawRequest(`${viaHandle.url}${row.path}`, options);
      const fetched = await rawRequest(`${viaFetch.url}${row.path}`, options);
      // The Host header and the port differ between the two servers: compare the Link origin apart.
      const links = [handled.headers.link, fetched.headers.link].map((link) => String(link).replace(/127\.0\.0\.1:\d+/, 'HOST'));
      expect(links[0], row.name).toBe(links[1]);
      delete handled.headers.link;
      delete fetched.headers.link;
      expect(comparable(handled), row.name).toEqual(comparable(fetched));
      statuses.push(handled.status);
    }

    // The rows provoke what they say, and the answers carry what the server adds (Content-Length).
    const table = requestTable(account, deletable);
    expect(statuses.slice(0, table.length)).toEqual(FAITHFUL_STATUSES);
    expect(statuses.slice(table.length)).toEqual([200, 200, 200, 200, 404, 404, 413]);
    // Every row but the refused upload reached the mock, through handle() alone.
    expect(handleSpy).toHaveBeenCalledTimes(rows.length - 1);
    expect(fetchSpy).not.toHaveBeenCalled();
    expect(core.snapshot()).toEqual(twin.snapshot());
    const notes = core.snapshot().tokens.map((token) => token.note);
    expect(notes).toContain('bom');
    expect(notes).toContain('\uFFFD');
  });

  it('HEAD gets the Content-Length of its answer without the body; a 204 gets neither', async () => {
    const core = createTokensMockCore({ seed: 11, clock: () => T0 });
    const server = await serve(core);
    // HEAD on a GET route answers as GET does, headers only; on other routes, the same 405 as PUT.
    const { username, secretToken } = await core.defaultAccount();
    const listPath = `${server.url}/scopes/v1/${username}?access_token=${secretToken}`;
    const get = await rawRequest(listPath, { method: 'GET' });
    const headList = await rawRequest(listPath, { method: 'HEAD' });
    expect([headList.status, headList.body]).toEqual([200, '']);
    expect(headList.headers['content-length']).toBe(String(Buffer.byteLength(get.body)));
    expect(headList.headers['content-type']).toBe(get.headers['content-type']);
    const head = await rawRequest(`${server.url}/tokens/v2/${username}/x`, { method: 'HEAD' });
    const put = await rawRequest(`${server.url}/tokens/v2/${username}/x`, { method: 'PUT' });
    expect(head.status).toBe(405);
    expect(head.body).toBe('');
    expect(head.headers['content-length']).toBe(String(Buffer.byteLength(put.body)));
    expect(head.headers.allow).toBe('PATCH, DELETE, OPTIONS');
    const preflight = await rawRequest(`${server.url}/tokens/v2`, { method: 'OPTIONS' });
    expect([preflight.status, preflight.body, preflight.headers['content-length']]).toEqual([204, '', undefined]);
    expect(preflight.headers['access-control-allow-methods']).toBe('GET, POST, PATCH, DELETE, OPTIONS');
  });

  it('answers 500 JSON when handle() throws, as when fetch() does', async () => {
    const failing = (): Promise<never> => Promise.reject(new Error('boom'));
    const base = {
      snapshot: () => ({}),
      restore: async () => undefined,
      defaultAccount: async () => ({ username: 'u', secretToken: 's' }),
    };
    const errors: string[] = [];
    const withHandle = await startServer({
      mock: { ...base, fetch: () => Promise.resolve(new Response('not used')), handle: failing },
      port: 0,
      docsDir: false,
      onRequestError: (error) => errors.push((error as Error).message),
    });
    running.push(withHandle);
    const withoutHandle = await serve({ ...base, fetch: failing });
    const handled = await rawRequest(`${withHandle.url}/tokens/v2/u?access_token=s`);
    const fetched = await rawRequest(`${withoutHandle.url}/tokens/v2/u?access_token=s`);
    expect(comparable(handled)).toEqual(comparable(fetched));
    expect([handled.status, JSON.parse(handled.body)]).toEqual([500, { message: 'Internal Server Error' }]);
    expect(handled.headers['access-control-allow-origin']).toBe('*');
    expect(errors).toEqual(['boom']);
  });

  it('calls handle() as a method of the mock (a class-based mock keeps its `this`)', async () => {
    class ClassMock implements ServableMock {
      private readonly answer = { status: 200, headers: { 'Content-Type': 'text/plain; charset=utf-8' }, body: 'from this' };
      async handle(): Promise<typeof this.answer> {
        return this.answer;
      }
      async fetch(): Promise<Response> {
        throw new Error('not expected');
      }
      snapshot(): unknown {
        return {};
      }
      async restore(): Promise<void> {}
      async defaultAccount(): Promise<{ username: string; secretToken: string }> {
        return { username: 'u', secretToken: 's' };
      }
    }
    const server = await serve(new ClassMock());
    const answer = await rawRequest(`${server.url}/x`);
    expect([answer.status, answer.body, answer.headers['content-length']]).toEqual([200, 'from this', '9']);
  });
});
