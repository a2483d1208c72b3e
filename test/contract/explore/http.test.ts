// Exploration over HTTP against the standalone server, tokens-mock, spawned as users run it; and
// a replay script printed for a divergence, run with bash + curl against a faulty tokens-mock,
// reproduces that divergence (and does not against the faithful server).
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/contract-test.ts';
import { exploreContract } from '../../../src/contract/explore/explore.ts';
import { killLeftovers, spawnMock, type SpawnedMock } from '../../server/spawn-cli.ts';

afterEach(() => killLeftovers());

const run = promisify(execFile);

async function listIds(server: SpawnedMock): Promise<string[]> {
  const response = await fetch(`${server.baseUrl}/tokens/v2/${server.username}?limit=100&access_token=${server.token}`);
  return ((await response.json()) as { id: string }[]).map((item) => item.id).sort();
}

/** Runs a replay script against a server; gives its output lines. */
async function replay(script: string, server: SpawnedMock): Promise<string[]> {
  const dir = await mkdtemp(join(tmpdir(), 'explore-replay-'));
  try {
    const path = join(dir, 'replay.sh');
    await writeFile(path, script);
    const env = {
      PATH: process.env['PATH'] ?? '/usr/bin:/bin',
      MAPBOX_BASE_URL: server.baseUrl,
      MAPBOX_USERNAME: server.username,
      MAPBOX_ACCESS_TOKEN: server.token,
    };
    const { stdout } = await run('bash', [path], { env, timeout: 30_000 });
    return stdout.split('\n');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('exploring tokens-mock over HTTP', { timeout: 120_000 }, () => {
  it('finds no divergence in 150 sequences, and leaves the account as it was', async () => {
    const server = await spawnMock(['--rate-limit', '1000000']);
    const before = await listIds(server);
    const report = await exploreContract({
      baseUrl: server.baseUrl,
      username: server.username,
      token: server.token,
      runs: 150,
      seed: 17,
      pacing: false,
      maxRequests: 100_000,
      waits: false,
    });
    expect(report.divergence?.step).toBeUndefined();
    expect(report.stopped).toBe('done');
    expect(report.sequences.completed).toBe(150);
    expect(report.steps.run).toBeGreaterThan(400);
    expect(report.cleanup).toMatchObject({ failures: [], remaining: [] });
    expect(await listIds(server)).toEqual(before);
    await server.stop();
  });

  it('judges expired temporary tokens over HTTP after a real wait', async () => {
    const server = await spawnMock(['--rate-limit', '1000000']);
    // Seed 17518's first sequence: create a temporary token expiring in 6 s, wait 10 s, list with it (401 on both sides).
    const started = Date.now();
    const report = await exploreContract({
      baseUrl: server.baseUrl,
      username: server.username,
      token: server.token,
      runs: 1,
      seed: 17518,
      maxSteps: 6,
      pacing: false,
      maxRequests: 1000,
    });
    expect(report.divergence?.step).toBeUndefined();
    expect(report.stopped).toBe('done');
    expect(report.steps).toEqual({ run: 3, skipped: 0, tolerated: 0 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(10_000);
    await server.stop();
  });
});

describe('a replay script reproduces its divergence', { timeout: 120_000 }, () => {
  it('update-ignores-note: the script shows the faulty answer on the faulty server, the expected one on the faithful server', async () => {
    const report = await exploreContract({ runs: 300, seed: 42, faults: ['update-ignores-note'] });
    const divergence = report.divergence!;
    expect(divergence.step.deviations[0]).toMatch(/^body\.note: /);
    const expectedNote = (JSON.parse(divergence.step.model.body) as { note: unknown }).note;
    const faultyNote = (JSON.parse(divergence.step.target.body) as { note: unknown }).note;
    expect(faultyNote).not.toEqual(expectedNote);

    // The answer printed at the diverging step: the line just before "expected (the model)".
    const answerAtDivergence = (lines: string[]): { status: number; note: unknown } => {
      const line = lines[lines.findIndex((candidate) => candidate.startsWith('expected (the model)')) - 1]!;
      const match = /^ {2}HTTP (\d+) (.*)$/.exec(line)!;
      return { status: Number(match[1]), note: (JSON.parse(match[2]!) as { note: unknown }).note };
    };

    const faulty = await spawnMock(['--fault', 'update-ignores-note']);
    const faultyBefore = await listIds(faulty);
    expect(answerAtDivergence(await replay(divergence.replayScript, faulty))).toEqual({ status: 200, note: faultyNote });
    expect(await listIds(faulty)).toEqual(faultyBefore);
    await faulty.stop();

    const faithful = await spawnMock();
    expect(answerAtDivergence(await replay(divergence.replayScript, faithful))).toEqual({ status: 200, note: expectedNote });
    await faithful.stop();
  });
});

describe('contract-test --explore against a faulty server', { timeout: 120_000 }, () => {
  it('exits 1, prints the minimal divergence and writes the replay script where --replay-script says', async () => {
    const server = await spawnMock(['--fault', 'create-answers-201']);
    const dir = await mkdtemp(join(tmpdir(), 'explore-cli-'));
    try {
      const path = join(dir, 'replay.sh');
      const out: string[] = [];
      const io = { stdout: (text: string) => out.push(text), stderr: (text: string) => out.push(text), onInterrupt: () => () => undefined };
      const code = await main(
        [
          '--explore',
          '--base-url',
          server.baseUrl,
          '--username',
          server.username,
          '--token',
          server.token,
          '--runs',
          '5',
          '--seed',
          '1',
          '--replay-script',
          path,
        ],
        io,
      );
      const text = out.join('');
      expect(code).toBe(1);
      expect(text).toMatch(/DIVERGENCE at step \d+ of this minimal sequence/);
      expect(text).toContain('status 201, expected 200');
      expect(text).toContain(`bash ${path}`);
      expect(text).not.toContain(server.token);
      expect(await readFile(path, 'utf8')).toMatch(/^#!\/usr\/bin\/env bash\n/);
      expect((await stat(path)).mode & 0o111).not.toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
      await server.stop();
    }
  });
});
