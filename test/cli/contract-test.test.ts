import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { main, type CliIo } from '../../src/cli/contract-test.ts';
import { createTokensMock } from '../../src/index.ts';

const CLI = fileURLToPath(new URL('../../src/cli/contract-test.ts', import.meta.url));

function captureIo(): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (text) => out.push(text), stderr: (text) => err.push(text), onInterrupt: () => () => undefined };
}

/** Serves a fetch function over real HTTP on an ephemeral port. */
async function serve(fetch: (request: Request) => Promise<Response>): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string') headers.set(name, value);
      const hasBody = req.method !== 'GET' && req.method !== 'HEAD' && chunks.length > 0;
      const request = new Request(`http://${req.headers.host}${req.url}`, {
        method: req.method!,
        headers,
        ...(hasBody ? { body: Buffer.concat(chunks) } : {}),
      });
      fetch(request).then(
        async (response) => {
          res.writeHead(response.status, Object.fromEntries(response.headers.entries()));
          res.end(Buffer.from(await response.arrayBuffer()));
        },
        () => {
          res.writeHead(500).end();
        },
      );
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

const servers: Server[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

describe('contract-test CLI', () => {
  it('checks the embedded mock when no --base-url is given and exits 0 (json reporter)', async () => {
    const { code, stdout } = await new Promise<{ code: number; stdout: string }>((resolve) => {
      execFile(
        process.execPath,
        [CLI, '--reporter', 'json', '--expiry-seconds', '1'],
        { env: { ...process.env, CONTRACT_BASE_URL: '' } },
        (error, stdout) => {
          resolve({ code: error ? Number(error.code) : 0, stdout });
        },
      );
    });
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as { summary: { failed: number; errors: number; skipped: number; passed: number; total: number } };
    expect(report.summary).toMatchObject({ failed: 0, errors: 0, skipped: 0 });
    expect(report.summary.passed).toBe(report.summary.total);
  });

  it('exits 1 against a server that leaks sk strings, naming the check in the JUnit report', async () => {
    // The run sends about 220 requests: a limit raised to 1000 a minute, and pacing to match.
    const mock = createTokensMock({ seed: 11, rateLimit: { limit: 1000, intervalSeconds: 60 }, faults: ['list-leaks-secret-tokens'] });
    const account = await mock.defaultAccount();
    const { server, url } = await serve((request) => mock.fetch(request));
    servers.push(server);
    const output = join(await mkdtemp(join(tmpdir(), 'contract-test-')), 'report.xml');
    const io = captureIo();
    const code = await main(
      [
        '--base-url',
        url,
        '--username',
        account.username,
        '--token',
        account.secretToken,
        '--reporter',
        'junit',
        '--output',
        output,
        '--expiry-seconds',
        '1',
        '--requests-per-minute',
        '1000',
      ],
      io,
    );
    expect(code).toBe(1);
    const xml = await readFile(output, 'utf8');
    expect(xml).toMatch(
      /<testcase classname="contract.list" name="list.hides-secret-strings" time="[\d.]+">\s*<properties>[\s\S]*?<\/properties>\s*<failure message="the listing shows the token string of sk tokens/,
    );
    expect(xml).not.toContain(account.secretToken);
    expect(io.out.join('')).toContain('report written to');
  });

  it('passes against a faithful mock over HTTP with the human reporter, pacing itself', async () => {
    const mock = createTokensMock({ seed: 12, rateLimit: { limit: 1000, intervalSeconds: 60 } });
    const account = await mock.defaultAccount();
    const { server, url } = await serve((request) => mock.fetch(request));
    servers.push(server);
    const io = captureIo();
    const code = await main(
      [
        '--base-url',
        url,
        '--username',
        account.username,
        '--token',
        account.secretToken,
        '--expiry-seconds',
        '1',
        '--requests-per-minute',
        '1000',
      ],
      io,
    );
    const out = io.out.join('');
    // Not a terminal: one progress line per check group.
    expect(out).toMatch(/^list: \d+ passed$/m);
    expect(out).toMatch(/^auth: \d+ passed, 3 skipped \(auth.other-user, auth.other-user-every-operation, auth.other-account-token\)$/m);
    expect(out).toMatch(/^other: 1 skipped \(other.token-ids\)$/m);
    expect(out).toMatch(/^scopes: \d+ passed, 1 skipped \(scopes.account-scopes\)$/m);
    // Without --other-username the checks on another account are skipped, and without the account's
    // scopes (a runContract() option) the check of the whole list.
    expect(out).toMatch(/\d+ passed, 0 failed, 0 errors, 5 skipped of \d+ checks/);
    expect(out).not.toContain(account.secretToken);
    expect(code).toBe(0);
  });

  it('exits 2 with a clear message for an unreachable server', async () => {
    const probe = createServer();
    probe.listen(0, '127.0.0.1');
    await once(probe, 'listening');
    const port = (probe.address() as AddressInfo).port;
    probe.close();
    await once(probe, 'close');
    const io = captureIo();
    const code = await main(
      ['--base-url', `http://127.0.0.1:${port}`, '--username', 'u', '--token', 'sk.eyJ1IjoidSJ9.secretsignature'],
      io,
    );
    expect(code).toBe(2);
    expect(io.err.join('')).toMatch(
      new RegExp(`contract-test: GET http://127.0.0.1:${port}/tokens/v2\\?access_token=sk\\.… failed: .*ECONNREFUSED`),
    );
    expect(io.err.join('')).not.toContain('secretsignature');
  });

  it('exits 2 for usage errors: bad URL, missing credentials, unknown option or check', async () => {
    const cases: [string[], RegExp][] = [
      [['--base-url', 'not a url', '--username', 'u', '--token', 't'], /not a URL/],
      [['--base-url', 'http://127.0.0.1:9'], /--username/],
      [['--only', 'no.such-check'], /unknown check id or tag: no.such-check/],
      [['--reporter', 'xml'], /Allowed choices are human, json, junit/],
      [['--no-such-option'], /unknown option/],
    ];
    for (const [argv, message] of cases) {
      const io = captureIo();
      const env = { MAPBOX_USERNAME: process.env['MAPBOX_USERNAME'], MAPBOX_ACCESS_TOKEN: process.env['MAPBOX_ACCESS_TOKEN'] };
      delete process.env['MAPBOX_USERNAME'];
      delete process.env['MAPBOX_ACCESS_TOKEN'];
      try {
        expect(await main(argv, io)).toBe(2);
      } finally {
        for (const [name, value] of Object.entries(env)) if (value !== undefined) process.env[name] = value;
      }
      expect(io.err.join('')).toMatch(message);
    }
  });

  it('--list prints every check with its conditions (json) and exits 0', async () => {
    const io = captureIo();
    expect(await main(['--list', '--reporter', 'json'], io)).toBe(0);
    const checks = JSON.parse(io.out.join('')) as { id: string; conditions: string[] }[];
    expect(checks.find((check) => check.id === 'auth.no-such-user')?.conditions).toEqual(['no-such-user']);
    expect(checks.find((check) => check.id === 'rate-limit.enforced')).toMatchObject({ optIn: 'rate-limit' });
  });

  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const)('on %s stops, still cleans up, reports and exits %i', async (signal, exitCode) => {
    const child = spawn(process.execPath, [CLI, '--expiry-seconds', '5'], { env: { ...process.env, CONTRACT_BASE_URL: '' } });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    let interrupted = false;
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (!interrupted && /^create: /m.test(stdout)) {
        interrupted = true; // once: a second signal would skip the cleanup
        child.kill(signal);
      }
    });
    const [code] = (await once(child, 'exit')) as [number];
    expect(code).toBe(exitCode);
    expect(stderr).toContain(`${signal}: stopping checks and deleting the tokens this run created`);
    expect(stdout).toMatch(/cleanup: deleted [1-9]\d* token\(s\) created by run/);
    expect(stdout).toContain('ABORTED');
    expect(stdout).toContain('nothing of this run is left on the account');
  });

  it('--help lists the exit codes like tokens-mock --help, and no empty defaults', async () => {
    const io = captureIo();
    expect(await main(['--help'], io)).toBe(0);
    const help = io.out.join('');
    expect(help).toMatch(
      /\nExit codes: 0 every check passed; 1 [^\n]+\n2 [^\n]+\n3 [^\n]+\n129, 130, 143 stopped by SIGHUP, SIGINT, SIGTERM/,
    );
    expect(help).not.toContain('(default: [])');
    for (const option of ['--timeout', '--deadline', '--max-body', '--quiet']) expect(help).toContain(option);
    expect(help).toContain('(default: 10MiB)');
  });

  it('--quiet prints no progress, only the report', async () => {
    const mock = createTokensMock({ seed: 13 });
    const account = await mock.defaultAccount();
    const { server, url } = await serve((request) => mock.fetch(request));
    servers.push(server);
    const io = captureIo();
    const code = await main(
      ['--base-url', url, '--username', account.username, '--token', account.secretToken, '--only', 'retrieve.malformed', '--quiet'],
      io,
    );
    expect(code).toBe(0);
    const out = io.out.join('');
    expect(out).not.toMatch(/^retrieve: /m);
    expect(out).not.toContain('checks against');
    expect(out).toMatch(/1 passed, 0 failed/);
  });
});
