// tokens-mock as a user runs it: spawned with Node, talking HTTP on loopback.
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { rawRequest } from '../server/http-client.ts';
import { freePort, killLeftovers, runCli, spawnMock } from '../server/spawn-cli.ts';

const packageJson = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

afterEach(() => killLeftovers());

async function listTokens(baseUrl: string, username: string, token: string): Promise<Response> {
  return fetch(`${baseUrl}/tokens/v2/${username}?access_token=${token}`);
}

async function createToken(baseUrl: string, username: string, token: string, body: object): Promise<Response> {
  return fetch(`${baseUrl}/tokens/v2/${username}?access_token=${token}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
}

async function retrieve(baseUrl: string, token: string): Promise<{ code: string; token?: { user?: string } }> {
  return (await fetch(`${baseUrl}/tokens/v2?access_token=${token}`)).json() as Promise<{ code: string }>;
}

// Each test spawns Node once or several times: allow for a busy machine.
describe('tokens-mock: help, version and usage errors', { timeout: 60_000 }, () => {
  it('runs under Node 22.12 or later', () => {
    expect(Number(process.versions.node.split('.')[0])).toBeGreaterThanOrEqual(22);
  });

  it('--help lists every option with its environment variable and exits 0', async () => {
    const run = await runCli(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Usage: tokens-mock \[options\]/);
    for (const option of [
      '--host',
      '--port',
      '--seed',
      '--username',
      '--rate-limit',
      '--fixtures',
      '--state',
      '--fault',
      '--json',
      '--quiet',
      '--help',
      '--version',
    ]) {
      expect(run.stdout).toContain(option);
    }
    for (const name of ['HOST', 'PORT', 'SEED', 'USERNAME', 'RATE_LIMIT', 'FIXTURES', 'STATE', 'FAULTS']) {
      expect(run.stdout).toContain(`TOKENS_MOCK_${name}`);
    }
    expect(run.stdout).toMatch(/default:\s+4010/);
    expect(run.stderr).toBe('');
  });

  it('--version prints the package version', async () => {
    const run = await runCli(['--version']);
    expect([run.code, run.stdout]).toEqual([0, `${packageJson.version}\n`]);
  });

  it.each([
    [['--port', 'abc'], /option '-p, --port <port>' argument 'abc' is invalid/],
    [['--port', '70000'], /--port.*'70000' is invalid/],
    [['--rate-limit', 'lots'], /--rate-limit.*'lots' is invalid/],
    [['--rate-limit', '-3'], /--rate-limit.*'-3' is invalid/],
    [['--seed', ' '], /--seed.*' ' is invalid/],
    [['--username', 'no/slash'], /--username.*'no\/slash' is invalid/],
    [['--bogus'], /unknown option '--bogus'/],
    [['--port'], /option '-p, --port <port>' argument missing/],
    [['extra'], /too many arguments/],
  ])('refuses %j with one line on stderr and exit code 2', async (args, message) => {
    const run = await runCli(args);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(message);
    expect(run.stderr).toMatch(/^tokens-mock: [^\n]+\n$/);
  });

  it('refuses a bad environment value with exit code 2 and names the variable', async () => {
    const run = await runCli([], { TOKENS_MOCK_PORT: 'eighty' });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^tokens-mock: .*'eighty' from env 'TOKENS_MOCK_PORT' is invalid[^\n]*\n$/);
  });

  it('reports a port in use in one line with exit code 2', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const run = await runCli(['--port', String(port)]);
      expect(run.code).toBe(2);
      expect(run.stderr).toBe(
        `tokens-mock: port ${port} is already in use on 127.0.0.1 (choose another with --port, or 0 for a free one)\n`,
      );
    } finally {
      blocker.close();
    }
  });

  it('reports missing or invalid fixtures and state files with exit code 2', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tokens-mock-cli-'));
    await writeFile(join(dir, 'broken.json'), '{"accounts": [');
    const missing = await runCli(['--port', '0', '--fixtures', join(dir, 'absent.json')]);
    expect([missing.code, missing.stderr]).toEqual([
      2,
      `tokens-mock: cannot read fixtures file ${join(dir, 'absent.json')}: no such file\n`,
    ]);
    const badFixtures = await runCli(['--port', '0', '--fixtures', join(dir, 'broken.json')]);
    expect(badFixtures.code).toBe(2);
    expect(badFixtures.stderr).toMatch(/^tokens-mock: fixtures file .*broken\.json is not valid JSON: [^\n]+\n$/);
    const badState = await runCli(['--port', '0', '--state', join(dir, 'broken.json')]);
    expect(badState.code).toBe(2);
    expect(badState.stderr).toMatch(/^tokens-mock: state file .*broken\.json is not valid JSON: [^\n]+\n$/);
    const dirAsState = await runCli(['--port', '0', '--state', dir]);
    expect([dirAsState.code, dirAsState.stderr]).toEqual([2, `tokens-mock: cannot read state file ${dir}: is a directory\n`]);
  });

  it('refuses unknown fault names with exit code 2, from the flag and from TOKENS_MOCK_FAULTS', async () => {
    const flag = await runCli(['--port', '0', '--fault', 'no-such-fault']);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toMatch(/^tokens-mock: unknown fault "no-such-fault"[^\n]*\n$/);
    const env = await runCli(['--port', '0'], { TOKENS_MOCK_FAULTS: 'no-such-fault,other' });
    expect(env.code).toBe(2);
    expect(env.stderr).toMatch(/^tokens-mock: unknown fault "no-such-fault"/);
  });
});

describe('tokens-mock: serving', { timeout: 60_000 }, () => {
  it('--json prints exactly one JSON line with baseUrl, username and the master secret token', async () => {
    const server = await spawnMock();
    expect(server.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.username).toBe('mockuser');
    expect(server.token).toMatch(/^sk\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    const retrieved = await retrieve(server.baseUrl, server.token);
    expect(retrieved.code).toBe('TokenValid');
    const run = await server.stop();
    expect(run.code).toBe(0);
    const lines = run.stdout.split('\n').filter((line) => line !== '');
    expect(lines).toHaveLength(1);
    expect(Object.keys(JSON.parse(lines[0]!) as object)).toEqual(['baseUrl', 'username', 'token']);
  });

  it('prints a banner whose curl line lists the tokens, and serves the reference at /docs', async () => {
    // Without --json: read the banner, then use what it says.
    const { spawn } = await import('node:child_process');
    const { CLI_PATH } = await import('../server/spawn-cli.ts');
    const child = spawn(process.execPath, [CLI_PATH, '--port', '0', '--seed', '7'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    try {
      while (!stdout.includes('Press Ctrl+C')) await new Promise((resolve) => setTimeout(resolve, 20));
      const baseUrl = /listening on (http:\/\/\S+)/.exec(stdout)?.[1];
      const token = /secret token\s+(sk\.\S+)/.exec(stdout)?.[1];
      const curlUrl = /curl "([^"]+)"/.exec(stdout)?.[1];
      const docsUrl = /API reference (\S+)/.exec(stdout)?.[1];
      expect(stdout).toMatch(/username\s+mockuser/);
      expect(curlUrl).toBe(`${baseUrl}/tokens/v2/mockuser?access_token=${token}`);
      const listed = await fetch(curlUrl!);
      expect(listed.status).toBe(200);
      expect(Array.isArray(await listed.json())).toBe(true);
      expect(docsUrl).toBe(`${baseUrl}/docs`);
      const docs = await fetch(docsUrl!);
      expect(docs.status).toBe(200);
      expect(docs.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(await docs.text()).toMatch(/<html/i);
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
  });

  it('answers unknown paths with 404 JSON and refuses oversized bodies with 413', async () => {
    const server = await spawnMock();
    const unknown = await fetch(`${server.baseUrl}/nothing/here`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ message: 'Not Found' });
    const oversized = await rawRequest(`${server.baseUrl}/tokens/v2/${server.username}?access_token=${server.token}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ note: 'x'.repeat(2 * 1024 * 1024) }),
    });
    expect(oversized.status).toBe(413);
    expect(JSON.parse(oversized.body)).toEqual({ message: 'Payload Too Large' });
    // The server is still there, and the refused create changed nothing.
    const listed = (await (await listTokens(server.baseUrl, server.username, server.token)).json()) as unknown[];
    expect(listed).toHaveLength(2);
    expect((await server.stop()).code).toBe(0);
  });

  it.each(['SIGTERM', 'SIGINT'] as const)('%s stops the server cleanly with exit code 0', async (signal) => {
    const server = await spawnMock();
    const run = await server.stop(signal);
    expect([run.code, run.signal]).toEqual([0, null]);
    await expect(fetch(`${server.baseUrl}/tokens/v2?access_token=x`)).rejects.toThrow();
  });

  it('--quiet prints nothing at all; TOKENS_MOCK_FIXTURES loads fixtures', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tokens-mock-cli-'));
    const fixturesPath = join(dir, 'fixtures.json');
    await writeFile(fixturesPath, JSON.stringify({ accounts: [{ username: 'quietuser' }] }));
    // The same seed gives the same master token: learn it from a --json start first.
    const seeded = await spawnMock(['--seed', '1']);
    await seeded.stop();
    const port = await freePort();
    const { spawn } = await import('node:child_process');
    const { CLI_PATH } = await import('../server/spawn-cli.ts');
    const child = spawn(process.execPath, [CLI_PATH, '--quiet', '--seed', '1'], {
      env: { ...process.env, TOKENS_MOCK_PORT: String(port), TOKENS_MOCK_FIXTURES: fixturesPath },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    try {
      let answer: Response | undefined;
      for (let attempt = 0; attempt < 300 && answer === undefined; attempt += 1) {
        answer = await fetch(`http://127.0.0.1:${port}/tokens/v2/quietuser?access_token=${seeded.token}`).catch(async () => {
          await new Promise((resolve) => setTimeout(resolve, 50));
          return undefined;
        });
      }
      // quietuser exists (another account: Not Found), unlike an unknown user (No such user).
      expect(await answer?.json()).toEqual({ message: 'Not Found' });
      const unknownUser = await fetch(`http://127.0.0.1:${port}/tokens/v2/nobody?access_token=${seeded.token}`);
      expect(await unknownUser.json()).toEqual({ message: 'No such user' });
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expect(output).toBe('');
  });

  it('--state keeps a created token across a restart', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tokens-mock-cli-'));
    const statePath = join(dir, 'state.json');
    const first = await spawnMock(['--state', statePath]);
    const created = (await (
      await createToken(first.baseUrl, first.username, first.token, { note: 'kept', scopes: ['styles:read'] })
    ).json()) as {
      id: string;
      token: string;
    };
    expect((await first.stop()).code).toBe(0);
    expect(JSON.parse(await readFile(statePath, 'utf8'))).toBeTypeOf('object');

    const second = await spawnMock(['--state', statePath]);
    expect(second.token).toBe(first.token);
    const retrieved = await retrieve(second.baseUrl, created.token);
    expect(retrieved.code).toBe('TokenValid');
    const listed = (await (await listTokens(second.baseUrl, second.username, second.token)).json()) as { id: string; note: string }[];
    expect(listed.find((token) => token.id === created.id)?.note).toBe('kept');
    expect((await second.stop()).code).toBe(0);
  });

  it('--fixtures loads accounts and tokens; a fixtures file the mock refuses exits 2', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tokens-mock-cli-'));
    const fixturesPath = join(dir, 'fixtures.json');
    await writeFile(
      fixturesPath,
      JSON.stringify({
        accounts: [
          {
            username: 'mockuser',
            tokens: [
              { note: 'fixture pk', scopes: ['styles:read'] },
              { note: 'fixture sk', scopes: ['styles:read', 'tokens:read'] },
            ],
          },
          { username: 'otheruser', tokens: [{ note: 'theirs', scopes: ['fonts:read'] }] },
        ],
      }),
    );
    const server = await spawnMock(['--fixtures', fixturesPath]);
    const listed = (await (await listTokens(server.baseUrl, server.username, server.token)).json()) as { note: string; usage: string }[];
    expect(listed.map((token) => [token.note, token.usage])).toEqual(
      expect.arrayContaining([
        ['fixture pk', 'pk'],
        ['fixture sk', 'sk'],
      ]),
    );
    expect(listed).toHaveLength(4);
    // otheruser exists (404 Not Found: another account's tokens), unlike an unknown user (No such user).
    expect(await (await listTokens(server.baseUrl, 'otheruser', server.token)).json()).toEqual({ message: 'Not Found' });
    expect(await (await listTokens(server.baseUrl, 'nobody', server.token)).json()).toEqual({ message: 'No such user' });
    expect((await server.stop()).code).toBe(0);

    await writeFile(fixturesPath, JSON.stringify({ accounts: [{ username: 'mockuser', tokens: [{ scopes: ['no:such-scope'] }] }] }));
    const refused = await runCli(['--port', '0', '--fixtures', fixturesPath]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^tokens-mock: fixtures file .*fixtures\.json was refused: [^\n]+\n$/);
  });

  it('--seed gives identical default tokens across two starts, and another seed different ones', async () => {
    const first = await spawnMock(['--seed', '42']);
    const firstList = await (await listTokens(first.baseUrl, first.username, first.token)).json();
    await first.stop();
    const second = await spawnMock(['--seed', '42']);
    const secondList = await (await listTokens(second.baseUrl, second.username, second.token)).json();
    await second.stop();
    const other = await spawnMock(['--seed', '43']);
    await other.stop();
    expect(second.token).toBe(first.token);
    expect(secondList).toEqual(firstList);
    expect(other.token).not.toBe(first.token);
  });

  it('--rate-limit 2 answers the third request with 429 and the rate-limit headers', async () => {
    const server = await spawnMock(['--rate-limit', '2']);
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 3; i += 1) {
      last = await listTokens(server.baseUrl, server.username, server.token);
      statuses.push(last.status);
    }
    expect(statuses).toEqual([200, 200, 429]);
    expect(await last!.json()).toEqual({ message: 'Too Many Requests' });
    expect(last!.headers.get('x-rate-limit-limit')).toBe('2');
    expect(last!.headers.get('x-rate-limit-interval')).toBe('60');
    expect(Number(last!.headers.get('x-rate-limit-reset'))).toBeGreaterThan(Date.now() / 1000);
    await server.stop();
  });

  it('--rate-limit off never answers 429', async () => {
    const server = await spawnMock(['--rate-limit', 'off']);
    const statuses = new Set<number>();
    // One more than the default limit of 100.
    for (let i = 0; i < 101; i += 1) statuses.add((await listTokens(server.baseUrl, server.username, server.token)).status);
    expect([...statuses]).toEqual([200]);
    await server.stop();
  });

  it('takes every setting from TOKENS_MOCK_* variables, and flags win over them', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tokens-mock-cli-'));
    const port = await freePort();
    const env = {
      TOKENS_MOCK_HOST: '127.0.0.1',
      TOKENS_MOCK_PORT: String(port),
      TOKENS_MOCK_SEED: '5',
      TOKENS_MOCK_USERNAME: 'envuser',
      TOKENS_MOCK_RATE_LIMIT: '1',
      TOKENS_MOCK_STATE: join(dir, 'env-state.json'),
    };
    const fromEnv = await spawnMock([], env);
    expect(fromEnv.baseUrl).toBe(`http://127.0.0.1:${port}`);
    expect(fromEnv.username).toBe('envuser');
    const statuses = [
      (await listTokens(fromEnv.baseUrl, 'envuser', fromEnv.token)).status,
      (await listTokens(fromEnv.baseUrl, 'envuser', fromEnv.token)).status,
    ];
    expect(statuses).toEqual([200, 429]);
    expect((await fromEnv.stop()).code).toBe(0);
    expect(JSON.parse(await readFile(env.TOKENS_MOCK_STATE, 'utf8'))).toBeTypeOf('object');

    const seededByFlag = await spawnMock(['--seed', '5', '--username', 'envuser', '--port', '0']);
    await seededByFlag.stop();
    expect(seededByFlag.token).toBe(fromEnv.token);

    const flagsWin = await spawnMock(['--port', '0', '--username', 'flaguser', '--rate-limit', 'off'], {
      ...env,
      TOKENS_MOCK_STATE: join(dir, 'other-state.json'),
    });
    expect(flagsWin.baseUrl).not.toBe(`http://127.0.0.1:${port}`);
    expect(flagsWin.username).toBe('flaguser');
    expect((await listTokens(flagsWin.baseUrl, 'flaguser', flagsWin.token)).status).toBe(200);
    expect((await listTokens(flagsWin.baseUrl, 'flaguser', flagsWin.token)).status).toBe(200);
    await flagsWin.stop();
  });
});
