// startServer in-process with the real mock (createTokensMock): what only the pair can show.
import { afterEach, describe, expect, it } from 'vitest';
import { createTokensMock } from '../../src/index.ts';
import { startServer, type RunningServer } from '../../src/server/index.ts';
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

  it('serves the package reference from docs/ by default', async () => {
    const server = await serveDefault();
    const markdown = await fetch(`${server.docsUrl}/api.md`);
    expect(markdown.status).toBe(200);
    expect(markdown.headers.get('content-type')).toBe('text/markdown; charset=utf-8');
    expect(await markdown.text()).toMatch(/tokens\/v2/);
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
