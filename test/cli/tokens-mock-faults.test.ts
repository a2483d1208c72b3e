// `tokens-mock --fault NAME` end to end: the spawned server misbehaves in exactly that way, and the
// contract-test CLI pointed at it fails naming the broken behaviour.
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { main, type CliIo } from '../../src/cli/contract-test.ts';
import { CATCHING_CHECKS } from '../faults/catching-checks.ts';
import { CLI_PATH, runCli, killLeftovers, spawnMock } from '../server/spawn-cli.ts';

afterEach(() => killLeftovers());

function captureIo(): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (text) => out.push(text), stderr: (text) => err.push(text), onInterrupt: () => () => undefined };
}

function createToken(baseUrl: string, username: string, token: string): Promise<Response> {
  return fetch(`${baseUrl}/tokens/v2/${username}?access_token=${token}`, {
    method: 'POST',
    body: JSON.stringify({ note: 'cli fault', scopes: ['styles:read'] }),
  });
}

async function contractTest(
  server: { baseUrl: string; username: string; token: string },
  only: string,
): Promise<{ code: number; failed: string[] }> {
  const io = captureIo();
  const code = await main(
    ['--base-url', server.baseUrl, '--username', server.username, '--token', server.token, '--only', only, '--reporter', 'json'],
    io,
  );
  const report = JSON.parse(io.out.join('')) as { results: { id: string; status: string }[] };
  return { code, failed: report.results.filter((result) => result.status === 'failed').map((result) => result.id) };
}

describe('tokens-mock --fault', { timeout: 60_000 }, () => {
  it('--fault create-answers-201 makes the server answer creates with 201, and contract-test fails create.public-token', async () => {
    const server = await spawnMock(['--fault', 'create-answers-201']);
    const created = await createToken(server.baseUrl, server.username, server.token);
    expect(created.status).toBe(201);
    expect(((await created.json()) as { usage: string }).usage).toBe('pk');
    const run = await contractTest(server, 'create.public-token');
    expect(run.code).toBe(1);
    expect(run.failed).toEqual(['create.public-token']);
    expect(CATCHING_CHECKS['create-answers-201']).toContain('create.public-token');
    expect((await server.stop()).code).toBe(0);
  });

  it('the same server without the fault answers 200 and passes', async () => {
    const server = await spawnMock();
    expect((await createToken(server.baseUrl, server.username, server.token)).status).toBe(200);
    const run = await contractTest(server, 'create.public-token');
    expect(run).toEqual({ code: 0, failed: [] });
    await server.stop();
  });

  it('takes several faults from repeated flags and from TOKENS_MOCK_FAULTS', async () => {
    const flags = await spawnMock(['--fault', 'cors-headers-missing', '--fault', 'missing-token-accepted']);
    const anonymous = await fetch(`${flags.baseUrl}/tokens/v2/${flags.username}`);
    expect(anonymous.status).toBe(200);
    expect(anonymous.headers.get('access-control-allow-origin')).toBeNull();
    await flags.stop();

    const env = await spawnMock([], { TOKENS_MOCK_FAULTS: 'retrieve-malformed-reads-invalid, delete-answers-200' });
    const retrieved = await fetch(`${env.baseUrl}/tokens/v2?access_token=garbage`);
    expect(await retrieved.json()).toEqual({ code: 'TokenInvalid' });
    const faithful = await fetch(`${env.baseUrl}/tokens/v2`);
    expect([faithful.status, await faithful.json()]).toEqual([422, { message: 'access token is required' }]);
    await env.stop();
  });

  it('announces active faults in the --json line and the banner; a faithful mock has no faults key', async () => {
    const faulty = await spawnMock([], { TOKENS_MOCK_FAULTS: 'missing-token-accepted,cors-headers-missing' });
    const line = JSON.parse(faulty.output().stdout.split('\n')[0]!) as { faults?: string[] };
    // Catalogue order, whatever the order asked.
    expect(line.faults).toEqual(['missing-token-accepted', 'cors-headers-missing']);
    await faulty.stop();
    const faithful = await spawnMock([]);
    expect(Object.keys(JSON.parse(faithful.output().stdout.split('\n')[0]!) as object)).toEqual(['baseUrl', 'username', 'token']);
    await faithful.stop();

    const child = spawn(process.execPath, [CLI_PATH, '--port', '0', '--fault', 'forged-signature-accepted'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let banner = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no banner: ${banner}`)), 15_000);
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        banner += chunk;
        if (banner.includes('Press Ctrl+C')) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    child.kill('SIGTERM');
    expect(banner).toMatch(/^ {2}FAULTS {8}forged-signature-accepted$/m);
    expect(banner).toMatch(/does NOT behave as documented/);
  });

  it('refuses an unknown fault with exit code 2 and lists the available ones', async () => {
    const run = await runCli(['--port', '0', '--fault', 'create-answers-201', '--fault', 'bogus']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /^tokens-mock: unknown fault "bogus"; available faults: missing-token-accepted, .*create-answers-201, .*scopes-secret-marked-public\n$/,
    );
  });

  it('keeps the unknown-fault message when a (valid) fixtures file is given too', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tokens-mock-faults-'));
    const fixtures = join(dir, 'fixtures.json');
    await writeFile(fixtures, JSON.stringify({ accounts: [{ username: 'fixture-user' }] }));
    try {
      const run = await runCli(['--port', '0', '--fixtures', fixtures, '--fault', 'bogus']);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/^tokens-mock: unknown fault "bogus"; available faults: /);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
