// The contract suite against lying servers: each proxy bends one answer; the suite must harm
// nothing it did not create (the backend's `foreign` token), leak nothing, and always end.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile } from 'node:fs/promises';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { MissingCapabilityError, renderJson, runContract, type ContractReport, type RunContractOptions } from '../../src/contract/index.ts';
import { closeAllTargets, foreignState, hostileTarget, isCreate, isList, listen, type Bend, type HostileTarget } from './hostile-server.ts';

const CLI = fileURLToPath(new URL('../../src/cli/contract-test.ts', import.meta.url));
const PEAK_MEMORY = fileURLToPath(new URL('./report-peak-memory.mjs', import.meta.url));
// The child runs with a 256 MiB heap; resident memory adds young generation, code and socket
// buffers: 180-200 MiB on an idle machine, up to 270 MiB seen under a load average of 20.
const MEMORY_BOUND_KIB = 320 * 1024;

afterEach(() => closeAllTargets());

function optionsFor(target: HostileTarget, extra: Partial<RunContractOptions> = {}): RunContractOptions {
  return {
    baseUrl: target.proxyUrl,
    username: target.username,
    token: target.masterToken,
    pacing: false,
    expirySeconds: 1,
    timeoutMs: 5000,
    ...extra,
  };
}

/** Runs the CLI as a user would, in a child Node with a small heap: memory is bounded or it crashes. */
async function runCli(
  args: string[],
  env: Record<string, string> = {},
  heapMiB = 256,
): Promise<{ code: number | null; stdout: string; stderr: string; peakKiB: number }> {
  const child = spawn(process.execPath, [`--max-old-space-size=${heapMiB}`, '--import', PEAK_MEMORY, CLI, ...args], {
    env: { ...process.env, CONTRACT_BASE_URL: '', MAPBOX_ACCESS_TOKEN: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const [code] = (await once(child, 'close')) as [number | null];
  const peakKiB = Number(/peak-rss-kib=(\d+)/.exec(stderr)?.[1] ?? Number.NaN);
  return { code, stdout, stderr: stderr.replace(/\npeak-rss-kib=\d+\n$/, ''), peakKiB };
}

async function reportFile(): Promise<string> {
  return join(await mkdtemp(join(tmpdir(), 'hostile-')), 'report.json');
}

async function expectForeignUntouched(target: HostileTarget, before: unknown): Promise<void> {
  expect(await foreignState(target)).toEqual(before);
  expect(target.seen.filter((request) => request.method !== 'GET' && request.path.endsWith(`/${target.foreign.id}`))).toEqual([]);
}

// Sequential: several cases rely on short timeouts, and the machine may be busy.

/** The CLI against the hostile proxy as the master token, its JSON report written to `output`. */
function jsonReportArgs(target: { proxyUrl: string; username: string; masterToken: string }, output: string): string[] {
  return [
    '--base-url',
    target.proxyUrl,
    '--username',
    target.username,
    '--token',
    target.masterToken,
    '--reporter',
    'json',
    '--output',
    output,
  ];
}

describe('contract-test against hostile servers', { timeout: 120_000 }, () => {
  it('ownership: a create answer naming another token never leads to a write to it', async ({ expect }) => {
    let target!: HostileTarget;
    const bend: Bend = async (request) => {
      if (!isCreate(request)) return undefined;
      const answer = await request.forward();
      if (answer.status !== 200) return answer;
      const body = JSON.parse(answer.body) as Record<string, unknown>;
      if (typeof body['id'] !== 'string') return answer;
      return { ...answer, body: JSON.stringify({ ...body, id: target.foreign.id }) };
    };
    target = await hostileTarget(bend, 21);
    const before = await foreignState(target);
    const report = await runContract(optionsFor(target));
    expect(report.results.find((result) => result.id === 'create.public-token')?.status).toBe('failed');
    expect(report.cleanup.untouched.map((entry) => entry.id)).toContain(target.foreign.id);
    await expectForeignUntouched(target, before);
    // The real tokens behind the lying answers carry the run's note: proven by their strings, deleted.
    const left = (await target.backendTokens()).filter((item) => String(item['note']).startsWith(`contract-test ${report.runId}`));
    expect(left.map((item) => [item['id'], item['usage']]).filter(([, usage]) => usage === 'pk')).toEqual([]);
  });

  it('cleanup never selects by note: a foreign token listed with the run marker is reported, not deleted', async ({ expect }) => {
    let marker: string | undefined;
    let target!: HostileTarget;
    const bend: Bend = async (request) => {
      if (isCreate(request) && marker === undefined) marker = /"note":"(contract-test \S+ )/.exec(request.body)?.[1];
      if (!isList(request) || marker === undefined) return undefined;
      const answer = await request.forward();
      if (answer.status !== 200) return answer;
      const items = (JSON.parse(answer.body) as Record<string, unknown>[]).map((item) =>
        item['id'] === target.foreign.id ? { ...item, note: `${marker}imitation` } : item,
      );
      return { ...answer, body: JSON.stringify(items) };
    };
    target = await hostileTarget(bend, 22);
    const before = await foreignState(target);
    const report = await runContract(optionsFor(target, { only: ['create', 'retrieve'] }));
    await expectForeignUntouched(target, before);
    expect(report.cleanup.untouched).toContainEqual(
      expect.objectContaining({ id: target.foreign.id, reason: expect.stringContaining(`${marker}imitation`) }),
    );
    // Everything the run did create is gone, and the report says exactly that.
    expect(report.cleanup).toMatchObject({ clean: true, remaining: [] });
  });

  it('redirects: a 307 to another origin is a deviation, never followed; the token never reaches it', async ({ expect }) => {
    const elsewhere: string[] = [];
    const other = await listen((req, res) => {
      elsewhere.push(`${req.method} ${req.url}`);
      res.writeHead(204).end();
    });
    const target = await hostileTarget(async (request) => {
      if (request.method === 'GET' && !isList(request)) return undefined;
      if (request.method === 'GET' || request.method === 'POST') return undefined;
      return { status: 307, headers: { location: `${other.url}${request.url}` }, body: '' };
    }, 23);
    const before = await foreignState(target);
    const report = await runContract(optionsFor(target, { only: ['create', 'update', 'delete'] }));
    other.server.close();
    expect(elsewhere).toEqual([]);
    expect(report.summary.failed).toBeGreaterThan(0);
    // DELETE answered 307: the run's tokens are still there, and the report says so.
    expect(report.cleanup.clean).toBe(false);
    expect(report.cleanup.remaining.length).toBeGreaterThan(0);
    await expectForeignUntouched(target, before);
  });

  it('deep JSON (8000 levels) and endless bodies: the run ends under a 256 MiB heap and writes its report', async ({ expect }) => {
    let fullListings = 0;
    const target = await hostileTarget(async (request, res) => {
      if (!isList(request)) return undefined;
      // The preflight's listing passes; the listing fixture's gets JSON nested 8000 deep.
      if (request.url.includes('limit=100') && !request.url.includes('sortby') && !request.url.includes('usage') && ++fullListings === 2) {
        return {
          status: 200,
          headers: { 'content-type': 'application/json; charset=utf-8' },
          body: `${'['.repeat(8000)}${']'.repeat(8000)}`,
        };
      }
      if (request.url.includes('usage=pk')) {
        // An endless body (until the client hangs up, at most 1 GiB).
        res.writeHead(200, { 'content-type': 'application/json' });
        const chunk = `[${'0,'.repeat(32 * 1024)}`;
        let closed = false;
        let sent = 0;
        res.on('close', () => (closed = true));
        res.on('error', () => undefined);
        const pump = (): void => {
          if (closed || sent > 1024 ** 3) return void res.destroy();
          sent += chunk.length;
          if (res.write(chunk)) setImmediate(pump);
          else res.once('drain', pump);
        };
        pump();
        return 'handled';
      }
      return undefined;
    }, 24);
    const before = await foreignState(target);
    const output = await reportFile();
    const run = await runCli(
      [...jsonReportArgs(target, output), '--expiry-seconds', '1', '--deadline', '90', '--requests-per-minute', '6000'],
      {},
      256,
    );
    expect(run.stderr).not.toMatch(/RangeError|heap out of memory|unexpected error/);
    expect(run.code).toBe(1);
    const report = JSON.parse(await readFile(output, 'utf8')) as ContractReport;
    const messages = report.results.map((result) => result.failure?.message ?? '').join('\n');
    expect(messages).toMatch(/nested deeper than 64 levels/);
    expect(messages).toMatch(/exceeds 10485760 bytes/);
    expect(report.cleanup.clean).toBe(true);
    // Resident memory of the whole process, measured by the kernel (not only the JS heap).
    expect(run.peakKiB).toBeLessThan(MEMORY_BOUND_KIB);
    await expectForeignUntouched(target, before);
  });

  it('a 9 MiB answer to every request: the run stays under 320 MiB of resident memory and writes its report', async ({ expect }) => {
    const padding = 'x'.repeat(9 * 1024 * 1024);
    const target = await hostileTarget(async (request) => {
      const answer = await request.forward();
      if (!answer.body.startsWith('{') && !answer.body.startsWith('[')) return answer;
      const body = JSON.parse(answer.body) as unknown;
      const padded = Array.isArray(body) ? [...body, padding] : { ...(body as object), padding };
      return { ...answer, body: JSON.stringify(padded) };
    }, 35);
    const before = await foreignState(target);
    const output = await reportFile();
    const run = await runCli([...jsonReportArgs(target, output), '--expiry-seconds', '1']);
    expect(run.stderr).not.toMatch(/heap out of memory|unexpected error/);
    const report = JSON.parse(await readFile(output, 'utf8')) as ContractReport;
    expect(report.summary.total).toBeGreaterThan(50);
    expect(run.peakKiB).toBeLessThan(MEMORY_BOUND_KIB);
    console.log(`peak RSS with a 9 MiB answer to every request: ${Math.round(run.peakKiB / 1024)} MiB`);
    await expectForeignUntouched(target, before);
  });

  it('a server that stops answering: the per-request timeout fires and the deadline ends the run, cleanup still runs', async ({
    expect,
  }) => {
    let creates = 0;
    const target = await hostileTarget(async (request) => {
      if (isCreate(request) && ++creates > 2) return new Promise(() => undefined); // never answers
      return undefined;
    }, 25);
    const before = await foreignState(target);
    const output = await reportFile();
    const run = await runCli([...jsonReportArgs(target, output), '--timeout', '1', '--deadline', '6']);
    const report = JSON.parse(await readFile(output, 'utf8')) as ContractReport;
    expect(report.stopped).toMatch(/deadline of 6 s/);
    expect(run.code).not.toBe(0);
    expect(report.results.some((result) => /no complete answer within 1 s/.test(result.failure?.message ?? ''))).toBe(true);
    expect(report.cleanup.deleted).toBeGreaterThan(0);
    expect(run.peakKiB).toBeLessThan(MEMORY_BOUND_KIB);
    await expectForeignUntouched(target, before);
  });

  it('a server answering only 429 ends the run with a clear message', async ({ expect }) => {
    let requests = 0;
    const target = await hostileTarget(async () => {
      requests += 1;
      if (requests <= 3) return undefined; // the preflight passes
      return {
        status: 429,
        headers: { 'content-type': 'application/json', 'x-rate-limit-reset': String(Math.floor(Date.now() / 1000)) },
        body: '{"message":"Too Many Requests"}',
      };
    }, 26);
    const before = await foreignState(target);
    const report = await runContract(optionsFor(target, { deadlineMs: 60_000 }));
    expect(report.stopped).toMatch(/answered 429 Too Many Requests to \d+ request\(s\) in a row/);
    expect(requests).toBeLessThan(80);
    await expectForeignUntouched(target, before);
    // 429 from the very first request: the run does not start (exit code 2 in the CLI).
    const refusing = (): Promise<Response> =>
      Promise.resolve(
        new Response('{"message":"Too Many Requests"}', {
          status: 429,
          headers: { 'x-rate-limit-reset': String(Math.floor(Date.now() / 1000)) },
        }),
      );
    await expect(runContract({ ...optionsFor(target), fetch: refusing })).rejects.toThrow(
      /answered only 429 Too Many Requests, retries included/,
    );
  });

  it('the rate-limit check sends no more than the documented 100 per minute, whatever the server advertises', async ({ expect }) => {
    let lists = 0;
    const target = await hostileTarget(async (request) => {
      if (!isList(request)) return undefined;
      lists += 1;
      const answer = await request.forward();
      return { ...answer, headers: { ...answer.headers, 'x-rate-limit-limit': '1000000000' } };
    }, 27);
    const before = await foreignState(target);
    const report = await runContract(optionsFor(target, { includeRateLimit: true, only: ['rate-limit.enforced'] }));
    expect(report.results[0]?.status).toBe('failed');
    expect(lists).toBeLessThanOrEqual(110);
    await expectForeignUntouched(target, before);
  });

  it('the rate-limit check fails a window reset that moves before its time, and gives no verdict when a real window rolls over mid-burst', async ({
    expect,
  }) => {
    // Every answer names a later reset, although the advertised minute has hardly begun.
    let lists = 0;
    const moving = await hostileTarget(async (request) => {
      if (!isList(request)) return undefined;
      lists += 1;
      const answer = await request.forward();
      return { ...answer, headers: { ...answer.headers, 'x-rate-limit-reset': String(Math.floor(Date.now() / 1000) + 50 + lists) } };
    }, 29);
    const moved = await runContract(optionsFor(moving, { includeRateLimit: true, only: ['rate-limit.enforced'] }));
    expect(moved.results[0]?.status).toBe('failed');
    expect(moved.results[0]?.failure?.message).toMatch(/X-Rate-Limit-Reset moved from \d+ to \d+ before \d+ was reached/);

    // One-second windows, honestly advertised, and a link too slow to send 101 requests in one.
    const slow = await hostileTarget(async (request) => {
      if (!isList(request)) return undefined;
      await new Promise((resolve) => setTimeout(resolve, 15));
      const answer = await request.forward();
      const reset = String(Math.floor(Date.now() / 1000) + 1);
      return { ...answer, headers: { ...answer.headers, 'x-rate-limit-interval': '1', 'x-rate-limit-reset': reset } };
    }, 30);
    const rolled = await runContract(optionsFor(slow, { includeRateLimit: true, only: ['rate-limit.enforced'] }));
    expect(rolled.results[0]).toMatchObject({
      status: 'skipped',
      skipReason: expect.stringMatching(/^no verdict: the window rolled over/),
    });
  });

  it("the rate-limit check waits for each reset by the server's clock: a conforming server 30 s behind the runner passes", async ({
    expect,
  }) => {
    // The backend limits for real (3 s windows); its Date and X-Rate-Limit-Reset are in a clock 30 s
    // behind. Waiting by the runner's clock, the reset would look long past and the check would
    // send into the spent window.
    const behindS = 30;
    const skewed = await hostileTarget(
      async (request) => {
        const answer = await request.forward();
        const headers: Record<string, string> = { ...answer.headers, date: new Date(Date.now() - behindS * 1000).toUTCString() };
        const reset = answer.headers['x-rate-limit-reset'];
        if (reset !== undefined) headers['x-rate-limit-reset'] = String(Number(reset) - behindS);
        return { ...answer, headers };
      },
      31,
      { rateLimit: { limit: 100, intervalSeconds: 3 } },
    );
    const report = await runContract(optionsFor(skewed, { includeRateLimit: true, only: ['rate-limit.enforced'] }));
    expect(report.results[0]?.failure?.message).toBeUndefined();
    expect(report.results[0]).toMatchObject({ id: 'rate-limit.enforced', status: 'passed' });
  });

  it('redaction: every seen token string is redacted raw, as a key, JSON-escaped, URL-encoded and as its signature alone', async ({
    expect,
  }) => {
    let target!: HostileTarget;
    const secret = (): string => target.masterToken;
    target = await hostileTarget(async (request) => {
      if (!isList(request)) return undefined;
      const answer = await request.forward();
      const token = secret();
      const escaped = token.replace(/\./g, '\\u002e');
      const body = `[{"${token}":1,"escaped":"${escaped}","url":"${encodeURIComponent(token).replace(/\./g, '%2E')}","sig":"${token.split('.')[2]}","foreign":"${target.foreign.token}"}]`;
      return { ...answer, body };
    }, 28);
    const before = await foreignState(target);
    const report = await runContract(optionsFor(target, { only: ['list.hides-secret-strings', 'retrieve'], recordAll: true }));
    await expectForeignUntouched(target, before);
    const text = renderJson(report);
    const [usage, payload, signature] = target.masterToken.split('.') as [string, string, string];
    expect(text).not.toContain(signature);
    expect(text).not.toContain(payload);
    expect(text).not.toContain(target.foreign.token.split('.')[2]!);
    expect(text).not.toMatch(/u002e/i);
    expect(text).not.toMatch(/%2E/i);
    expect(text).toContain(`${usage}.…`);
    expect(text).toContain('escaped'); // the bent body was recorded (redacted), not left out
  });

  /** Wrongly accepts default-token writes: an allowedUrls PATCH changes its note; a DELETE hides it from then on. */
  async function defaultTokenLiar(seed: number): Promise<HostileTarget> {
    let target!: HostileTarget;
    let hidden = false;
    target = await hostileTarget(async (request) => {
      const onDefault = request.url.includes(`/${target.defaultTokenId}`);
      if (request.method === 'PATCH' && onDefault && request.body.includes('allowedUrls') && !request.body.includes('"note"')) {
        // The backend refuses allowedUrls on the default token, so change its note instead.
        return request.forward({ body: JSON.stringify({ note: 'changed by a lying server' }) });
      }
      if (request.method === 'DELETE' && onDefault) {
        hidden = true;
        return { status: 204, headers: {}, body: '' };
      }
      if (hidden && isList(request)) {
        const answer = await request.forward();
        const items = (JSON.parse(answer.body) as Record<string, unknown>[]).filter((item) => item['id'] !== target.defaultTokenId);
        return { ...answer, body: JSON.stringify(items) };
      }
      return undefined;
    }, seed);
    return target;
  }

  it('default-token writes: an accepted change is restored and verified; an accepted delete is reported loudly', async ({ expect }) => {
    const target = await defaultTokenLiar(29);
    const before = await foreignState(target);
    const report = await runContract(
      optionsFor(target, { includeDefaultToken: true, only: ['update.allowed-urls-on-default', 'delete.default-token'] }),
    );
    await expectForeignUntouched(target, before);
    const byCheck = Object.fromEntries((report.defaultToken ?? []).map((write) => [write.check, write]));
    expect(byCheck['update.allowed-urls-on-default']).toMatchObject({ changed: true, restored: true });
    expect(byCheck['delete.default-token']).toMatchObject({ changed: true, restored: false });
    const listed = (await target.backendTokens()).find((item) => item['id'] === target.defaultTokenId);
    expect(listed?.['note']).toBe('Default public token');

    const cli = await defaultTokenLiar(34);
    const run = await runCli([
      '--base-url',
      cli.proxyUrl,
      '--username',
      cli.username,
      '--token',
      cli.masterToken,
      '--include-default-token',
      '--only',
      'update.allowed-urls-on-default,delete.default-token',
    ]);
    expect(run.code).toBe(3);
    expect(run.stdout).toMatch(
      /!!! THE ACCOUNT'S DEFAULT TOKEN WAS CHANGED \(delete.default-token\): the server removed the default token/,
    );
    expect(run.stdout).toContain(
      'default token (update.allowed-urls-on-default): the server changed the default token; it was restored and verified',
    );
  });

  it('a create aborted in flight but completed later is found and deleted after in-flight requests settle', async ({ expect }) => {
    const { createTokensMock } = await import('../../src/index.ts');
    const mock = createTokensMock({ seed: 30 });
    const account = await mock.defaultAccount();
    const foreign = await mock.issueToken(account.username, { note: 'not created by contract-test', scopes: ['styles:read'] });
    const initial = await mock
      .fetch(new Request(`${mock.baseUrl}/tokens/v2/${account.username}?limit=100&access_token=${account.secretToken}`))
      .then((r) => r.json() as Promise<{ id: string }[]>);
    const controller = new AbortController();
    let creates = 0;
    const fetch = async (request: Request): Promise<Response> => {
      if (request.method === 'POST' && ++creates === 1) {
        controller.abort(new Error('interrupted'));
        const copy = new Request(request.url, { method: 'POST', headers: request.headers, body: await request.text() });
        await new Promise((resolve) => setTimeout(resolve, 500));
        return mock.fetch(copy); // completes after the abort
      }
      return mock.fetch(request);
    };
    const report = await runContract({
      baseUrl: mock.baseUrl,
      username: account.username,
      token: account.secretToken,
      fetch,
      pacing: false,
      signal: controller.signal,
    });
    expect(report.aborted).toBe(true);
    const after = await mock
      .fetch(new Request(`${mock.baseUrl}/tokens/v2/${account.username}?limit=100&access_token=${account.secretToken}`))
      .then((r) => r.json() as Promise<{ id: string }[]>);
    expect(after.map((item) => item.id).sort()).toEqual(initial.map((item) => item.id).sort());
    expect(after.find((item) => item.id === foreign.id)).toEqual(initial.find((item) => item.id === foreign.id));
    expect(report.cleanup).toMatchObject({ clean: true, remaining: [] });
  });

  it('preflight: a token lacking capabilities ends the run with exit 2, one line naming them, and a report', async ({ expect }) => {
    const target = await hostileTarget(async () => undefined, 31);
    await expect(runContract(optionsFor(target, { token: target.foreign.token }))).rejects.toThrow(MissingCapabilityError);
    await expect(runContract(optionsFor(target, { token: target.foreign.token }))).rejects.toThrow(
      /lacks tokens:read, tokens:write, scopes:list/,
    );
    const output = join(await mkdtemp(join(tmpdir(), 'hostile-')), 'report.xml');
    const run = await runCli([
      '--base-url',
      target.proxyUrl,
      '--username',
      target.username,
      '--token',
      target.foreign.token,
      '--reporter',
      'junit',
      '--output',
      output,
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /^contract-test: the token is a public \(pk\) token, so it lacks tokens:read, tokens:write, scopes:list[^\n]*\n$/,
    );
    const xml = await readFile(output, 'utf8');
    expect(xml).toContain('<error message="the token is a public (pk) token');
    expect(xml).toContain('tests="1" failures="0" errors="1"');
    const reader = await target.issue(['tokens:read', 'scopes:list', 'styles:read']);
    await expect(runContract(optionsFor(target, { token: reader }))).rejects.toThrow(/^the token lacks tokens:write: /);
    // With --only, checks needing an absent capability are skipped with the reason instead.
    const report = await runContract(
      optionsFor(target, { token: target.foreign.token, only: ['list.missing-scope', 'retrieve.malformed'] }),
    );
    expect(report.results.map((result) => [result.id, result.status, result.skipReason])).toEqual([
      ['retrieve.malformed', 'passed', undefined],
      ['list.missing-scope', 'skipped', 'the account could not be read (the preflight found no listing or no scopes catalogue)'],
    ]);
  });

  it('usage hints: https against a plain server, http against a TLS one, an API path in the base URL, a token ignored without --base-url', async ({
    expect,
  }) => {
    const target = await hostileTarget(async () => undefined, 32);
    const https = await runCli([
      '--base-url',
      target.proxyUrl.replace('http:', 'https:'),
      '--username',
      'u',
      '--token',
      'sk.x.y',
      '--reporter',
      'json',
    ]);
    expect(https.code).toBe(2);
    expect(https.stderr).toMatch(/is it http:\/\/127\.0\.0\.1:\d+\?/);
    expect(JSON.parse(https.stdout)).toMatchObject({ error: expect.stringMatching(/is it http:/) });
    // http:// to a TLS server: it answers plaintext with a TLS alert record and hangs up.
    const tls = createNetServer((socket) => socket.once('data', () => socket.end(Buffer.from([0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x46]))));
    tls.listen(0, '127.0.0.1');
    await once(tls, 'listening');
    const tlsUrl = `http://127.0.0.1:${(tls.address() as AddressInfo).port}`;
    const http = await runCli(['--base-url', tlsUrl, '--username', 'u', '--token', 'sk.x.y']);
    tls.close();
    expect(http.code).toBe(2);
    expect(http.stderr).toMatch(/is it https:\/\/127\.0\.0\.1:\d+\?/);
    const path = await runCli(['--base-url', `${target.proxyUrl}/tokens/v2`, '--username', 'u', '--token', 'sk.x.y']);
    expect(path.code).toBe(2);
    expect(path.stderr).toMatch(/give the origin, e\.g\. http:\/\/127\.0\.0\.1:\d+/);
    const embedded = await runCli(['--only', 'retrieve.malformed'], { MAPBOX_ACCESS_TOKEN: 'sk.abc.def' });
    expect(embedded.code).toBe(0);
    expect(embedded.stderr).toContain(
      'MAPBOX_ACCESS_TOKEN is set but not used: without --base-url (or CONTRACT_BASE_URL) this checks the embedded mock (in-process)',
    );
    expect(embedded.stdout).toMatch(/1 passed, .* against the embedded mock \(in-process\)/);
  });

  it('a second signal exits at once and names what was left behind', async ({ expect }) => {
    const target = await hostileTarget(async (request) => {
      // Deletes never answer: cleanup hangs until the second signal.
      if (request.method === 'DELETE') return new Promise(() => undefined);
      return undefined;
    }, 33);
    const child = spawn(
      process.execPath,
      [CLI, '--base-url', target.proxyUrl, '--username', target.username, '--token', target.masterToken, '--expiry-seconds', '1'],
      {
        env: { ...process.env, MAPBOX_ACCESS_TOKEN: '' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      if (/^retrieve: /m.test(stdout) && !child.killed) {
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGTERM'), 1500);
      }
    });
    const [code] = (await once(child, 'close')) as [number];
    expect(code).toBe(143);
    expect(stderr).toMatch(
      /SIGTERM again: exiting without cleanup\. Left on the account \(delete them by hand\):\n {2}\S+ \(note "contract-test /,
    );
  });
});
