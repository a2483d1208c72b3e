// The control surface driven with curl from shell scripts: every endpoint, docs/server.md's example,
// and the token check on a non-loopback bind (127.0.0.2 stands in for a public interface).
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, test } from 'vitest';
import { startServer, type RunningServer } from '../../src/server/index.ts';

const run = promisify(execFile);
const script = (name: string) => fileURLToPath(new URL(name, import.meta.url));

const servers: RunningServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function bash(path: string, env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run('bash', [path], { env: { ...process.env, ...env }, timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

describe('curl', { timeout: 90_000 }, () => {
  test('every control endpoint answers as documented (loopback, no token)', async () => {
    const server = await startServer({ port: 0, docsDir: false, mockOptions: { strict: true, onViolation: () => undefined } });
    servers.push(server);
    const result = await bash(script('admin-endpoints.sh'), { TOKENS_MOCK_URL: server.url });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('every endpoint answered as documented');
    expect(server.mock.violations.all()).toHaveLength(0); // the script's DELETE emptied them
  });

  test('with --admin-token on 127.0.0.2: the script passes with the token, and stops at the first 401 without it', async () => {
    const server = await startServer({ host: '127.0.0.2', port: 0, docsDir: false, admin: { token: 'ci-secret' } });
    servers.push(server);
    const ok = await bash(script('admin-endpoints.sh'), { TOKENS_MOCK_URL: server.url, ADMIN_TOKEN: 'ci-secret' });
    expect([ok.code, ok.stderr]).toEqual([0, '']);
    const refused = await bash(script('admin-endpoints.sh'), { TOKENS_MOCK_URL: server.url, ADMIN_TOKEN: '' });
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/401/);
  });

  test('the curl example of docs/server.md works as written', async () => {
    const server = await startServer({ port: 0, docsDir: false });
    servers.push(server);
    const result = await bash(script('snippets/admin-curl.sh'), { TOKENS_MOCK_URL: server.url });
    expect([result.code, result.stderr]).toEqual([0, '']);
    // It ended with a reset: the job's account is gone.
    expect(server.mock.snapshot().accounts.map((account) => account.username)).toEqual(['mockuser']);
    expect(JSON.parse(result.stdout.trim())).toMatchObject({ offsetMs: expect.any(Number) });
  });
});
