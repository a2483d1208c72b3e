// Issue 14: tokens-mock --state refuses what it cannot use (exit 2, one line naming the field, the
// file untouched), holds an exclusive lock, writes through symlinks, checks its directory at start,
// recovers from a torn journal and never leaves temporary files.
import { spawn } from 'node:child_process';
import { lstat, mkdir, mkdtemp, readdir, readFile, readlink, symlink, writeFile, appendFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { killLeftovers, runCli, spawnMock, type SpawnedMock } from '../server/spawn-cli.ts';
import { asVersion1, validState } from './support.ts';

afterAll(killLeftovers);

const tempDir = (): Promise<string> => mkdtemp(join(tmpdir(), 'tokens-mock-statefile-'));

async function createToken(server: SpawnedMock, note: string): Promise<string> {
  const response = await fetch(`${server.baseUrl}/tokens/v2/${server.username}?access_token=${server.token}`, {
    method: 'POST',
    body: JSON.stringify({ note }),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { token: string }).token;
}

/** The retrieve code of a token string (TokenValid while it exists). */
async function retrieveCode(server: SpawnedMock, token: string): Promise<string> {
  const response = await fetch(`${server.baseUrl}/tokens/v2?access_token=${token}`);
  return ((await response.json()) as { code: string }).code;
}

async function notes(server: SpawnedMock): Promise<string[]> {
  const response = await fetch(`${server.baseUrl}/tokens/v2/${server.username}?limit=100&access_token=${server.token}`);
  return ((await response.json()) as Array<{ note: string }>).map((token) => token.note);
}

/** Exit 2, exactly one line on stderr matching `message`, nothing on stdout, the file byte for byte as before. */
async function expectRefused(path: string, message: RegExp, args: string[] = []): Promise<void> {
  const before = await readFile(path);
  // Bounded, not timed: a hang hits runCli's kill and fails here on the exit code.
  const run = await runCli(['--port', '0', '--json', '--state', path, ...args]);
  expect(run.code).toBe(2);
  expect(run.stdout).toBe('');
  expect(run.stderr).toMatch(/^tokens-mock: [^\n]+\n$/);
  expect(run.stderr).toMatch(message);
  expect(await readFile(path)).toEqual(before);
  expect((await readdir(join(path, '..'))).filter((name) => name.endsWith('.lock') || name.endsWith('.tmp'))).toEqual([]);
}

describe('a state file that cannot be used', () => {
  it.each([
    [
      'a date out of range',
      (s: any) => {
        s.tokens[3].created = 9e15;
      },
      /tokens\[3\]\.created: not a date/,
    ],
    [
      'a string date',
      (s: any) => {
        s.tokens[2].modified = '2026-01-01';
      },
      /tokens\[2\]\.modified: not a date/,
    ],
    [
      'scopes as a string',
      (s: any) => {
        s.tokens[2].scopes = 'tokens:read';
      },
      /tokens\[2\]\.scopes: not array/,
    ],
    [
      'a non-numeric id counter',
      (s: any) => {
        s.ids.counter = 'abc';
      },
      /ids\.counter: not an integer/,
    ],
    [
      'a 1-byte signing key',
      (s: any) => {
        s.signingKey = 'AA';
      },
      /signingKey: not a base64url signing key of at least 32 bytes/,
    ],
    [
      'a key that does not sign its tokens',
      (s: any) => {
        s.signingKey = 'B'.repeat(43);
      },
      /accounts\[0\]\.defaultTokenId: its token string does not verify/,
    ],
    [
      'a lost master token',
      (s: any) => {
        s.tokens = s.tokens.filter((t: any) => t.id !== s.accounts[0].masterTokenId);
      },
      /accounts\[0\]\.masterTokenId: not a secret token of this account/,
    ],
    [
      'a duplicate id',
      (s: any) => {
        s.tokens.push(s.tokens[2]);
      },
      /tokens\[\d+\]\.id: duplicate of tokens\[2\]\.id/,
    ],
    [
      'an offset no Date can hold',
      (s: any) => {
        s.timeOffsetMs = 8.7e15;
      },
      /timeOffsetMs: .*outside the range a Date can hold/,
    ],
    [
      'a missing field',
      (s: any) => {
        delete s.tokens[1].note;
      },
      /tokens\[1\]\.note: missing/,
    ],
    [
      'an unknown version',
      (s: any) => {
        s.version = 3;
      },
      /version: 3 is not a version this tokens-mock reads/,
    ],
  ])('refuses %s with exit 2, the field path in one line, the file untouched', async (_label, mutate, message) => {
    const dir = await tempDir();
    const state = await validState();
    mutate(state);
    const path = join(dir, 'state.json');
    await writeFile(path, JSON.stringify(state, null, 2));
    await expectRefused(path, message);
  });

  it('refuses invalid JSON and a damaged journal line the same way', async () => {
    const dir = await tempDir();
    const path = join(dir, 'state.json');
    await writeFile(path, JSON.stringify(await validState()).slice(0, 500));
    await expectRefused(path, /state file .* is not valid JSON/);
    await writeFile(path, JSON.stringify(await validState()));
    await writeFile(`${path}.journal`, 'garbage\n{"seq":2}\n');
    await expectRefused(path, /state journal .*state\.json\.journal line 1: not a journal record/);
  });

  it('loads a version 1 file (renamed master token included) and saves it as version 2', async () => {
    const dir = await tempDir();
    const path = join(dir, 'state.json');
    const state = await validState();
    const v1 = asVersion1(state);
    await writeFile(path, JSON.stringify(v1));
    const server = await spawnMock(['--state', path]);
    expect(server.token).toBe(state.tokens.find((t) => t.id === state.accounts[0]!.masterTokenId)!.token);
    expect(await notes(server)).toContain('token 0');
    expect((await server.stop()).code).toBe(0);
    const saved = JSON.parse(await readFile(path, 'utf8'));
    expect([saved.version, saved.accounts[0].masterTokenId]).toEqual([2, state.accounts[0]!.masterTokenId]);
  });
});

describe('file hygiene', () => {
  it('a second server on the same file refuses with a clear message; a stale lock is taken over', async () => {
    const dir = await tempDir();
    const path = join(dir, 'state.json');
    const first = await spawnMock(['--state', path]);
    const second = await runCli(['--port', '0', '--state', path]);
    expect(second.code).toBe(2);
    expect(second.stderr).toMatch(
      new RegExp(`^tokens-mock: state file .*state\\.json is in use by another tokens-mock \\(pid ${first.child.pid}\\)`),
    );
    await createToken(first, 'kept');
    expect((await first.stop()).code).toBe(0);
    // A lock left by a process that is gone (kill -9) does not block the next start.
    const dead = spawn(process.execPath, ['-e', '']);
    await new Promise((resolve) => dead.once('close', resolve));
    await writeFile(`${path}.lock`, `${dead.pid}\n`);
    const third = await spawnMock(['--state', path]);
    expect(await notes(third)).toContain('kept');
    expect(Number(await readFile(`${path}.lock`, 'utf8'))).toBe(third.child.pid);
    await third.stop();
    expect(await readdir(dir)).toEqual(['state.json']);
  });

  it('writes through a symlink to its target, and keeps the link', async () => {
    const dir = await tempDir();
    await mkdir(join(dir, 'real'));
    const target = join(dir, 'real', 'state.json');
    const link = join(dir, 'link.json');
    await symlink(target, link);
    const server = await spawnMock(['--state', link]);
    await createToken(server, 'through the link');
    // The lock and journal live beside the target.
    expect((await readdir(join(dir, 'real'))).sort()).toEqual(['state.json', 'state.json.journal', 'state.json.lock']);
    expect((await server.stop()).code).toBe(0);
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
    expect(await readlink(link)).toBe(target);
    expect(await readFile(target, 'utf8')).toContain('through the link');
    const again = await spawnMock(['--state', link]);
    expect(await notes(again)).toContain('through the link');
    await again.stop();
  });

  it('refuses a missing or unwritable directory at start, not at the first save', async () => {
    const dir = await tempDir();
    const missing = await runCli(['--port', '0', '--state', join(dir, 'nope', 'state.json')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^tokens-mock: state file .*nope\/state\.json: its directory .*nope does not exist\n$/);
    expect(await readdir(dir)).toEqual([]);
  });

  it('recovers from a torn last journal record (a crash mid-append) and keeps every complete one', async () => {
    const dir = await tempDir();
    const path = join(dir, 'state.json');
    const server = await spawnMock(['--state', path]);
    await createToken(server, 'before the crash');
    server.child.kill('SIGKILL');
    await server.stop();
    await appendFile(`${path}.journal`, '{"seq":99,"changes":[{"token":{"id":"c');
    const restarted = await spawnMock(['--state', path]);
    expect(await notes(restarted)).toContain('before the crash');
    await restarted.stop();
    expect(await readdir(dir)).toEqual(['state.json']);
  });

  it('a second signal during the final save exits at once, leaving a good state file and no temporary file', async () => {
    const dir = await tempDir();
    const path = join(dir, 'state.json');
    const fixtures = join(dir, 'fixtures.json');
    const tokens = Array.from({ length: 3000 }, (_, i) => ({ note: `fixture ${i} ${'x'.repeat(200)}`, scopes: ['styles:read'] }));
    await writeFile(fixtures, JSON.stringify({ accounts: [{ username: 'mockuser', tokens }] }));
    const server = await spawnMock(['--state', path, '--fixtures', fixtures]);
    const acknowledged = await createToken(server, 'acknowledged');
    server.child.kill('SIGTERM');
    server.child.kill('SIGTERM');
    const exit = await server.stop();
    expect([0, 1]).toContain(exit.code);
    expect((await readdir(dir)).filter((name) => name.endsWith('.tmp') || name.endsWith('.lock'))).toEqual([]);
    const restarted = await spawnMock(['--state', path]);
    expect(await retrieveCode(restarted, acknowledged)).toBe('TokenValid');
    await restarted.stop();
  });
});
