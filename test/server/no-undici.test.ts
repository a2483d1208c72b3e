// The server's own request path never loads undici when the mock has `handle`: under Node, undici
// backs the Fetch classes (and MessageEvent, WebSocket...), and loading it costs ~50-80 ms of a cold
// start. A fresh node process serves a few requests, then reports whether undici is among the
// builtins it loaded (process.moduleLoadList names it `NativeModule internal/deps/undici/undici`;
// registerHooks cannot see builtins' internals). The child's own client uses node:http through
// getBuiltinModule: an ES import of node:http would load undici itself (its WebSocket export).
// The mocks here are stand-ins: the real core's model imports @msw/data, whose event class extends
// MessageEvent, so a process holding the real core has undici loaded before any request.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

const SERVER_ENTRY = new URL('../../src/server/index.ts', import.meta.url).href;

const CHILD_SCRIPT = `
const { request } = process.getBuiltinModule('node:http');
const undiciLoaded = () => process.moduleLoadList.some((name) => name.includes('undici'));
const [scenario, entry] = process.argv.slice(1);
const report = { atStart: undiciLoaded() };
const { startServer } = await import(entry);
report.afterImport = undiciLoaded();

const echo = async (req) => {
  if (new URL(req.url).pathname === '/boom') throw new Error('boom');
  return { status: 200, headers: { 'Content-Type': 'application/json; charset=utf-8' }, body: JSON.stringify({ method: req.method, body: await req.text() }) };
};
const base = { snapshot: () => ({}), restore: async () => undefined, defaultAccount: async () => ({ username: 'u', secretToken: 's' }) };
const mock = scenario === 'handle'
  ? { ...base, handle: echo, fetch: () => { throw new Error('fetch must not be called'); } }
  : { ...base, fetch: async (req) => { const plain = await echo(req); return new Response(plain.body, plain); } };
const server = await startServer({ mock, port: 0, bodyLimit: 100, onRequestError: () => undefined });
report.afterStart = undiciLoaded();

const send = (method, path, body) => new Promise((resolve, reject) => {
  const headers = body === undefined ? {} : { 'Content-Length': Buffer.byteLength(body) };
  const req = request(server.url + path, { method, headers, agent: false }, (res) => {
    res.resume();
    res.on('end', () => resolve(res.statusCode));
  });
  req.on('error', reject);
  req.end(body);
});
report.statuses = [
  await send('GET', '/tokens/v2?access_token=x'),
  await send('POST', '/tokens/v2/u', '{"note":"héllo"}'),
  await send('HEAD', '/tokens/v2'),
  await send('POST', '/tokens/v2/u', 'x'.repeat(200)),
  await send('GET', '/boom'),
  await send('GET', '/docs/missing.html'),
];
report.afterRequests = undiciLoaded();
await server.close();
console.log(JSON.stringify(report));
`;

interface ChildReport {
  atStart: boolean;
  afterImport: boolean;
  afterStart: boolean;
  afterRequests: boolean;
  statuses: number[];
}

async function serveInChild(scenario: 'handle' | 'fetch'): Promise<ChildReport> {
  const { stdout } = await run(process.execPath, ['--input-type=module', '--eval', CHILD_SCRIPT, scenario, SERVER_ENTRY], {
    timeout: 20_000,
  });
  return JSON.parse(stdout.trim().split('\n').pop()!) as ChildReport;
}

// Answers: echo, echo with a body, HEAD, 413 over the body limit, 500 from a throwing mock, 404 of /docs.
const STATUSES = [200, 200, 200, 413, 500, 404];

describe('the standalone server without undici', () => {
  it('serves a mock with handle() (answers, 413, 500, /docs 404) without loading undici', async () => {
    const report = await serveInChild('handle');
    expect(report.statuses).toEqual(STATUSES);
    expect(report).toMatchObject({ atStart: false, afterImport: false, afterStart: false, afterRequests: false });
  }, 30_000);

  it('contrast: a mock with only fetch() makes the same requests load undici (so the check can fail)', async () => {
    const report = await serveInChild('fetch');
    expect(report.statuses).toEqual(STATUSES);
    expect(report).toMatchObject({ atStart: false, afterImport: false, afterStart: false, afterRequests: true });
  }, 30_000);
});
