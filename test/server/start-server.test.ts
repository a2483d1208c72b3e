import { mkdtemp, mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { Agent, get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_BODY_LIMIT, InputFileError, ServerStartError, startServer, type RunningServer } from '../../src/server/index.ts';
import { rawRequest } from './http-client.ts';
import { createStandInMock, type StandInMock } from './stand-in-mock.ts';

const running: RunningServer<StandInMock>[] = [];

async function serve(
  mock: StandInMock = createStandInMock(),
  options: Parameters<typeof startServer<StandInMock>>[0] = {},
): Promise<RunningServer<StandInMock>> {
  const server = await startServer({ mock, port: 0, docsDir: false, ...options });
  running.push(server);
  return server;
}

afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.close()));
});

describe('startServer: Node request to Fetch Request', () => {
  it('passes method, absolute URL from the Host header, repeated headers and the body to mock.fetch', async () => {
    const server = await serve();
    const answer = await rawRequest(`${server.url}/tokens/v2/alice?limit=2&limit=3`, {
      method: 'PATCH',
      headers: { Host: 'mock.example:9999', 'X-Many': ['one', 'two'], 'Content-Type': 'application/json' },
      body: '{"note":"héllo"}',
    });
    expect(answer.status).toBe(200);
    const echoed = JSON.parse(answer.body) as { method: string; url: string; headers: [string, string][]; body: string };
    expect(echoed.method).toBe('PATCH');
    expect(echoed.url).toBe('http://mock.example:9999/tokens/v2/alice?limit=2&limit=3');
    expect(echoed.headers).toContainEqual(['x-many', 'one, two']);
    expect(echoed.body).toBe('{"note":"héllo"}');
  });

  it('falls back to the listening address when the Host header is unusable', async () => {
    const server = await serve();
    const answer = await rawRequest(`${server.url}/scopes/v1/bob`, { headers: { Host: 'bad host/x' } });
    expect((JSON.parse(answer.body) as { url: string }).url).toBe(`${server.url}/scopes/v1/bob`);
  });

  it('keeps a target starting with // as a path on the server origin', async () => {
    const server = await serve();
    const answer = await rawRequest(`${server.url}//evil.example/tokens/v2`);
    expect((JSON.parse(answer.body) as { url: string }).url).toBe(`${server.url}//evil.example/tokens/v2`);
  });

  it('sends GET requests without a body and DELETE with an empty body as none', async () => {
    const mock = createStandInMock();
    const server = await serve(mock);
    await fetch(`${server.url}/a`);
    await fetch(`${server.url}/b`, { method: 'DELETE' });
    expect(mock.received.map((request) => [request.method, request.body])).toEqual([
      ['GET', null],
      ['DELETE', null],
    ]);
  });
});

describe('startServer: Fetch Response to Node response', () => {
  it('writes status, every header (repeated Set-Cookie kept apart) and the body bytes', async () => {
    const mock = createStandInMock();
    mock.respond = () => {
      const headers = new Headers({ 'Content-Type': 'application/json; charset=utf-8', Link: '<http://x/next>; rel="next"' });
      headers.append('Set-Cookie', 'a=1');
      headers.append('Set-Cookie', 'b=2');
      headers.append('X-Rate-Limit-Limit', '100');
      return new Response('[{"id":"ü"}]', { status: 201, headers });
    };
    const server = await serve(mock);
    const answer = await rawRequest(`${server.url}/x`);
    expect(answer.status).toBe(201);
    expect(answer.body).toBe('[{"id":"ü"}]');
    expect(answer.headers['content-length']).toBe(String(Buffer.byteLength('[{"id":"ü"}]')));
    expect(answer.headers['set-cookie']).toEqual(['a=1', 'b=2']);
    expect(answer.headers.link).toBe('<http://x/next>; rel="next"');
    expect(answer.headers['x-rate-limit-limit']).toBe('100');
  });

  it('writes 204 without a body', async () => {
    const mock = createStandInMock();
    mock.respond = () => new Response(null, { status: 204, headers: { 'Access-Control-Allow-Origin': '*' } });
    const server = await serve(mock);
    const answer = await rawRequest(`${server.url}/tokens/v2/u/id`, { method: 'DELETE' });
    expect(answer.status).toBe(204);
    expect(answer.body).toBe('');
    expect(answer.headers['access-control-allow-origin']).toBe('*');
  });
});

describe('startServer: robustness', () => {
  it('answers 500 JSON when mock.fetch throws, and keeps serving', async () => {
    const mock = createStandInMock();
    const errors: { method: string; path: string }[] = [];
    let fail = true;
    const echo = mock.respond;
    mock.respond = (request) => {
      if (fail) throw new Error('boom');
      return echo(request);
    };
    const server = await serve(mock, { onRequestError: (_error, request) => errors.push(request) });
    const broken = await fetch(`${server.url}/tokens/v2/alice?access_token=sk.secret.value`);
    expect(broken.status).toBe(500);
    expect(broken.headers.get('content-type')).toBe('application/json; charset=utf-8');
    // The same CORS headers as every API response, so browser clients can read the error.
    expect(broken.headers.get('access-control-allow-origin')).toBe('*');
    expect(broken.headers.get('access-control-expose-headers')).toContain('Link');
    expect(await broken.json()).toEqual({ message: 'Internal Server Error' });
    // The log hook sees the path only, never the query holding the token.
    expect(errors).toEqual([{ method: 'GET', path: '/tokens/v2/alice' }]);
    fail = false;
    const next = await fetch(`${server.url}/tokens/v2/alice`);
    expect(next.status).toBe(200);
  });

  it('still answers 500 when the error hook itself throws', async () => {
    const mock = createStandInMock();
    mock.respond = () => {
      throw new Error('boom');
    };
    const server = await serve(mock, {
      onRequestError: () => {
        throw new Error('the log is broken too');
      },
    });
    const answer = await fetch(`${server.url}/x`);
    expect([answer.status, await answer.json()]).toEqual([500, { message: 'Internal Server Error' }]);
  });

  it('answers 500 JSON when the Response body fails while being read', async () => {
    const mock = createStandInMock();
    mock.respond = () => new Response(new ReadableStream({ pull: (controller) => controller.error(new Error('stream broke')) }));
    const server = await serve(mock);
    const answer = await fetch(`${server.url}/x`);
    expect(answer.status).toBe(500);
    expect(await answer.json()).toEqual({ message: 'Internal Server Error' });
  });

  it('cuts the connection for Response.error() and keeps serving', async () => {
    const mock = createStandInMock();
    let cut = true;
    const echo = mock.respond;
    mock.respond = (request) => (cut ? Response.error() : echo(request));
    const server = await serve(mock);
    await expect(fetch(`${server.url}/x`)).rejects.toThrow();
    cut = false;
    expect((await fetch(`${server.url}/x`)).status).toBe(200);
  });

  it('refuses a declared oversized body with 413 JSON without calling the mock', async () => {
    const mock = createStandInMock();
    const server = await serve(mock, { bodyLimit: 1000 });
    const answer = await rawRequest(`${server.url}/tokens/v2/alice`, { method: 'POST', body: Buffer.alloc(5000, 0x61) });
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toEqual({ message: 'Payload Too Large' });
    expect(answer.headers.connection).toBe('close');
    expect(mock.received).toHaveLength(0);
    const ok = await fetch(`${server.url}/tokens/v2/alice`, { method: 'POST', body: 'x'.repeat(1000) });
    expect(ok.status).toBe(200);
  });

  it('refuses a chunked body as soon as it passes the limit, without reading the rest', async () => {
    const mock = createStandInMock();
    const server = await serve(mock, { bodyLimit: 64 * 1024 });
    // 64 chunks of 64 KiB (4 MiB): the server answers after the second chunk and stops the upload.
    const chunks = Array.from({ length: 64 }, () => Buffer.alloc(64 * 1024, 0x62));
    const answer = await rawRequest(`${server.url}/tokens/v2/alice`, {
      method: 'POST',
      headers: { 'Transfer-Encoding': 'chunked' },
      chunks,
    }).catch((error: Error) => error);
    // Either the client read the 413, or the server cut the upload (the client then sees a reset).
    if (answer instanceof Error) expect(answer.message).toMatch(/ECONNRESET|EPIPE|socket hang up/);
    else {
      expect(answer.status).toBe(413);
      expect(JSON.parse(answer.body)).toEqual({ message: 'Payload Too Large' });
    }
    expect(mock.received).toHaveLength(0);
    expect((await fetch(`${server.url}/ok`)).status).toBe(200);
  });

  it('uses a 1 MiB body limit by default', () => {
    expect(DEFAULT_BODY_LIMIT).toBe(1024 * 1024);
  });

  it('reports a port in use as a ServerStartError with a clear message', async () => {
    const first = await serve();
    const attempt = startServer({ mock: createStandInMock(), port: first.port, docsDir: false });
    await expect(attempt).rejects.toBeInstanceOf(ServerStartError);
    await expect(attempt).rejects.toThrow(`port ${first.port} is already in use on 127.0.0.1`);
  });

  it('keeps idle keep-alive connections open longer than clients do; close() still ends with one idle', async () => {
    const server = await serve();
    const agent = new Agent({ keepAlive: true });
    const keepAlive = await new Promise<string>((resolve, reject) => {
      get(`${server.url}/tokens/v2/alice`, { agent }, (res) => {
        res.resume();
        res.on('end', () => resolve(String(res.headers['keep-alive'])));
      }).on('error', reject);
    });
    // Longer than undici's 4 s and Node's agent's 5 s: the client, not the server, closes an idle socket.
    expect(keepAlive).toBe('timeout=65');
    // The idle socket stays open on the agent's side; close() must not wait 65 s for it (the test's timeout would).
    await server.close();
    running.splice(running.indexOf(server), 1);
    agent.destroy();
  });

  it('close() lets an in-flight request finish', async () => {
    const mock = createStandInMock();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    mock.respond = async () => {
      await gate;
      return Response.json({ finished: true });
    };
    const server = await startServer({ mock, port: 0, docsDir: false });
    const inFlight = fetch(`${server.url}/slow`);
    while (mock.received.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    const closed = server.close();
    release();
    const answer = await inFlight;
    expect(await answer.json()).toEqual({ finished: true });
    await closed;
    await expect(fetch(`${server.url}/again`)).rejects.toThrow();
  });
});

describe('startServer: state file', () => {
  it('restores the state on start and saves it atomically on close', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tokens-mock-state-'));
    const statePath = join(dir, 'state.json');
    await writeFile(statePath, JSON.stringify({ counter: 41 }));
    const mock = createStandInMock();
    const server = await startServer({ mock, port: 0, docsDir: false, statePath });
    expect(mock.state.counter).toBe(41);
    await fetch(`${server.url}/x`);
    await server.close();
    expect(JSON.parse(await readFile(statePath, 'utf8'))).toEqual({ counter: 42 });
    // Nothing but the state file is left behind (the temporary file was renamed over it).
    expect(await readdir(dir)).toEqual(['state.json']);
  });

  it('starts fresh when the state file does not exist yet', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tokens-mock-state-'));
    const mock = createStandInMock();
    const server = await startServer({ mock, port: 0, docsDir: false, statePath: join(dir, 'new.json') });
    expect(mock.state.counter).toBe(0);
    await server.close();
    expect(JSON.parse(await readFile(join(dir, 'new.json'), 'utf8'))).toEqual({ counter: 0 });
  });

  it('refuses invalid JSON and a state the mock rejects with an InputFileError', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tokens-mock-state-'));
    await writeFile(join(dir, 'bad.json'), '{not json');
    await writeFile(join(dir, 'wrong.json'), '{"other":1}');
    const badJson = startServer({ mock: createStandInMock(), port: 0, statePath: join(dir, 'bad.json') });
    await expect(badJson).rejects.toBeInstanceOf(InputFileError);
    await expect(badJson).rejects.toThrow(/state file .*bad\.json is not valid JSON/);
    const wrong = startServer({ mock: createStandInMock(), port: 0, statePath: join(dir, 'wrong.json') });
    await expect(wrong).rejects.toThrow(/state file .*wrong\.json was refused: not a stand-in state/);
    await expect(startServer({ mock: createStandInMock(), port: 0, statePath: dir })).rejects.toThrow(
      /cannot read state file .*: is a directory/,
    );
  });
});

describe('startServer: /docs', () => {
  async function docsServer(): Promise<RunningServer<StandInMock>> {
    const root = await mkdtemp(join(tmpdir(), 'tokens-mock-docs-'));
    const docsDir = join(root, 'docs');
    await mkdir(join(docsDir, 'assets'), { recursive: true });
    await writeFile(join(docsDir, 'index.html'), '<!doctype html><title>ref</title>');
    await writeFile(join(docsDir, 'api.md'), '# API');
    await writeFile(join(docsDir, 'assets', 'index.html'), 'nested');
    await writeFile(join(root, 'secret.txt'), 'do not serve');
    // Paths that normalise out of /docs reach the mock: make it answer like the real one does.
    const mock = createStandInMock();
    mock.respond = () => Response.json({ message: 'Not Found' }, { status: 404 });
    return serve(mock, { docsDir });
  }

  it('serves index.html at /docs and /docs/, files below with their content types', async () => {
    const server = await docsServer();
    expect(server.docsUrl).toBe(`${server.url}/docs`);
    for (const path of ['/docs', '/docs/', '/docs/index.html']) {
      const answer = await fetch(`${server.url}${path}`);
      expect(answer.status).toBe(200);
      expect(answer.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(await answer.text()).toBe('<!doctype html><title>ref</title>');
    }
    const markdown = await fetch(`${server.url}/docs/api.md`);
    expect(markdown.headers.get('content-type')).toBe('text/markdown; charset=utf-8');
    expect(await markdown.text()).toBe('# API');
    expect(await (await fetch(`${server.url}/docs/assets`)).text()).toBe('nested');
    const head = await rawRequest(`${server.url}/docs/api.md`, { method: 'HEAD' });
    expect([head.status, head.body, head.headers['content-length']]).toEqual([200, '', '5']);
  });

  it('never serves files outside docs/ and answers 404/405 JSON', async () => {
    const server = await docsServer();
    for (const path of [
      '/docs/../secret.txt',
      '/docs/%2e%2e/secret.txt',
      '/docs/..%2fsecret.txt',
      '/docs/..%5csecret.txt',
      '/docs/%2e%2e%2fsecret.txt',
      '/docs/missing.html',
      '/docs/.hidden',
      '/docs/%00',
      '/docs/%E0%A4%A',
    ]) {
      // rawRequest sends the path as written (fetch would normalise the dot segments away).
      const answer = await rawRequest(`${server.url}${path}`);
      expect(answer.body, path).not.toContain('do not serve');
      expect(answer.status, path).toBe(404);
      expect(JSON.parse(answer.body), path).toHaveProperty('message');
    }
    const post = await fetch(`${server.url}/docs`, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(await post.json()).toEqual({ message: 'Method Not Allowed' });
  });

  it('leaves /docs to the mock when the docs route is off', async () => {
    const mock = createStandInMock();
    const server = await serve(mock, { docsDir: false });
    expect(server.docsUrl).toBeUndefined();
    await fetch(`${server.url}/docs`);
    expect(mock.received.map((request) => new URL(request.url).pathname)).toEqual(['/docs']);
  });
});
