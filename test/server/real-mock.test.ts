// startServer in-process with the real mock (createTokensMock): what only the pair can show.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createTokensMock } from '../../src/index.ts';
import { startServer, type RunningServer } from '../../src/server/index.ts';
import { SEEDED_START_MS } from '../../src/server/start-server.ts';
import { rawRequest } from './http-client.ts';

const running: RunningServer[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.close()));
});

async function serveDefault(): Promise<RunningServer> {
  const server = await startServer({ mockOptions: { seed: 3, rateLimit: false }, port: 0 });
  running.push(server);
  return server;
}

describe('startServer with the real mock', () => {
  it('builds Link URLs from the origin the client used, and following them visits every token', async () => {
    const server = await serveDefault();
    const { username, secretToken } = await server.mock.defaultAccount();
    const first = await rawRequest(`${server.url}/tokens/v2/${username}?limit=1&access_token=${secretToken}`, {
      headers: { Host: `localhost:${server.port}` },
    });
    expect(first.status).toBe(200);
    const next = /^<([^>]+)>; rel="next"$/.exec(String(first.headers.link))?.[1];
    expect(next).toMatch(new RegExp(`^http://localhost:${server.port}/tokens/v2/${username}\\?`));
    expect(next).not.toContain('access_token');
    const second = await fetch(`${next}&access_token=${secretToken}`);
    const ids = [...(JSON.parse(first.body) as { id: string }[]), ...((await second.json()) as { id: string }[])].map((token) => token.id);
    expect(new Set(ids).size).toBe(2);
    expect(second.headers.get('link')).toBeNull();
  });

  it('passes CORS preflight, 405 and the mock 404 through unchanged', async () => {
    const server = await serveDefault();
    const { username } = await server.mock.defaultAccount();
    const preflight = await fetch(`${server.url}/tokens/v2/${username}`, { method: 'OPTIONS' });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-methods')).toBe('GET, POST, PATCH, DELETE, OPTIONS');
    const wrongMethod = await fetch(`${server.url}/tokens/v2`, { method: 'PUT' });
    expect(wrongMethod.status).toBe(405);
    expect(await wrongMethod.json()).toEqual({ message: 'Method Not Allowed' });
    const unknown = await fetch(`${server.url}/styles/v1/${username}`);
    expect([unknown.status, await unknown.json()]).toEqual([404, { message: 'Not Found' }]);
  });

  it('answers 405 with Allow to methods Fetch refuses to build (TRACE), not 500', async () => {
    const server = await serveDefault();
    const { username } = await server.mock.defaultAccount();
    const trace = await rawRequest(`${server.url}/tokens/v2/${username}`, { method: 'TRACE' });
    expect([trace.status, JSON.parse(trace.body)]).toEqual([405, { message: 'Method Not Allowed' }]);
    expect(trace.headers.allow).toBe('GET, POST, HEAD, OPTIONS');
  });

  it('serves the package reference from docs/ by default', async () => {
    const server = await serveDefault();
    const markdown = await fetch(`${server.docsUrl}/api.md`);
    expect(markdown.status).toBe(200);
    expect(markdown.headers.get('content-type')).toBe('text/markdown; charset=utf-8');
    expect(await markdown.text()).toMatch(/tokens\/v2/);
  });

  it('builds the msw-free core mock (no handlers)', async () => {
    const server = await serveDefault();
    expect('handlers' in server.mock).toBe(false);
    expect(typeof server.mock.fetch).toBe('function');
  });

  it('with a seed, creates the initial tokens at 2024-01-01 on every start, then follows the real clock', async () => {
    const start = async (): Promise<RunningServer> => {
      const server = await startServer({ mockOptions: { seed: 5 }, port: 0, docsDir: false });
      running.push(server);
      return server;
    };
    const [first, second] = [await start(), await start()];
    await Promise.all([first.mock.defaultAccount(), second.mock.defaultAccount()]);
    const initial = first.mock.snapshot();
    expect(second.mock.snapshot()).toEqual(initial);
    for (const token of initial.tokens) expect([token.created, token.modified]).toEqual([SEEDED_START_MS, SEEDED_START_MS]);
    const before = Date.now();
    expect(first.mock.now()).toBeGreaterThanOrEqual(before - 1000);
    const issued = await first.mock.issueToken('mockuser', { note: 'now' });
    expect(Date.parse(issued.created)).toBeGreaterThanOrEqual(before - 1000);
  });

  it('leaves the initial instant to mockOptions.initialTime or mockOptions.clock when given', async () => {
    const T = Date.UTC(2030, 5, 1);
    const withInitialTime = await startServer({ mockOptions: { seed: 5, initialTime: new Date(T) }, port: 0, docsDir: false });
    running.push(withInitialTime);
    const withClock = await startServer({ mockOptions: { seed: 5, clock: () => T + 1 }, port: 0, docsDir: false });
    running.push(withClock);
    await Promise.all([withInitialTime.mock.defaultAccount(), withClock.mock.defaultAccount()]);
    expect(new Set(withInitialTime.mock.snapshot().tokens.map((token) => token.created))).toEqual(new Set([T]));
    expect(new Set(withClock.mock.snapshot().tokens.map((token) => token.created))).toEqual(new Set([T + 1]));
  });

  it('refuses a bad initialTime with its own TypeError, even when a fixtures file is given', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tokens-mock-fixtures-'));
    const fixturesPath = join(dir, 'fixtures.json');
    await writeFile(fixturesPath, JSON.stringify({ accounts: [{ username: 'alice' }] }));
    const attempt = startServer({ mockOptions: { seed: 1, initialTime: Number.NaN }, fixturesPath, port: 0, docsDir: false });
    await expect(attempt).rejects.toThrow(
      new TypeError('initialTime must be a valid Date or a finite number of epoch milliseconds (got NaN)'),
    );
    // A fixtures file the mock refuses is still reported as such.
    await writeFile(fixturesPath, JSON.stringify({ accounts: 'alice' }));
    await expect(startServer({ mockOptions: { seed: 1 }, fixturesPath, port: 0, docsDir: false })).rejects.toThrow(
      /^fixtures file .*fixtures\.json was refused: fixtures\.accounts must be an array$/,
    );
  });

  it('serves a mock the embedder built, and exposes it', async () => {
    const mock = createTokensMock({ seed: 9 });
    const server = await startServer({ mock, port: 0, docsDir: false });
    running.push(server);
    expect(server.mock).toBe(mock);
    const issued = await mock.issueToken('mockuser', { note: 'from the embedder', scopes: ['fonts:read'] });
    const retrieved = await (await fetch(`${server.url}/tokens/v2?access_token=${issued.token}`)).json();
    expect(retrieved).toMatchObject({ code: 'TokenValid', token: { usage: 'pk', user: 'mockuser' } });
  });
});
