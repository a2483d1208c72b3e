// tokens-mock's control, strict-mode, latency and logging flags, spawned as a user runs it.
import { afterEach, describe, expect, it } from 'vitest';
import { killLeftovers, runCli, spawnMock } from '../server/spawn-cli.ts';

afterEach(() => killLeftovers());

describe('tokens-mock: control surface, strict mode, latency, log', { timeout: 60_000 }, () => {
  it('--help lists the new options and the exit codes, one per line', async () => {
    const run = await runCli(['--help']);
    expect(run.code).toBe(0);
    for (const option of [
      '--strict',
      '--exit-on-violation',
      '--admin-token',
      '--no-admin',
      '--journal-size',
      '--latency',
      '--log',
      'TOKENS_MOCK_ADMIN_TOKEN',
      'TOKENS_MOCK_LATENCY',
    ]) {
      expect(run.stdout).toContain(option);
    }
    expect(run.stdout).toMatch(/Exit codes:\n {2}0 {2}stopped by SIGINT\/SIGTERM.*\n {2}1 {2}.*--exit-on-violation.*\n {2}2 {2}bad option/);
    expect(run.stdout).toMatch(/"off"\s+or\s+0\s+turns\s+it\s+off/);
  });

  it('--strict --exit-on-violation: exit 1 on shutdown with the violations listed; 0 without any', async () => {
    const mock = await spawnMock(['--strict', '--exit-on-violation', '--quiet']);
    const ok = await fetch(`${mock.baseUrl}/tokens/v2/${mock.username}?access_token=${mock.token}&colour=blue`);
    expect(ok.status).toBe(200); // the answer stays the API's
    const violations = await (await fetch(`${mock.baseUrl}/__admin/violations`)).json();
    expect(violations.violations[0]).toMatchObject({ rule: 'unknown-query-parameter', location: 'query.colour' });
    const run = await mock.stop();
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('1 strict-mode violation(s)');
    expect(run.stderr).toContain(
      `GET /tokens/v2/${mock.username}?access_token=sk.…&colour=blue: query.colour: unknown query parameter "colour" (rule unknown-query-parameter, #/paths/~1tokens~1v2~1{username}/get/parameters)`,
    );
    expect(run.stderr).not.toContain(mock.token);

    const alone = await runCli(['--exit-on-violation']);
    expect([alone.code, alone.stderr]).toEqual([
      2,
      'tokens-mock: --exit-on-violation needs --strict (without it no violation is recorded)\n',
    ]);

    const clean = await spawnMock(['--strict', '--exit-on-violation']);
    await fetch(`${clean.baseUrl}/tokens/v2/${clean.username}?access_token=${clean.token}&limit=5`);
    expect((await clean.stop()).code).toBe(0);
  });

  it('--strict alone records but exits 0', async () => {
    const mock = await spawnMock(['--strict']);
    await fetch(`${mock.baseUrl}/tokens/v2/${mock.username}?access_token=${mock.token}&colour=blue`);
    expect((await mock.stop()).code).toBe(0);
  });

  it('--log prints one line per request with the token redacted, as text or JSON', async () => {
    const text = await spawnMock(['--log']);
    await fetch(`${text.baseUrl}/tokens/v2/${text.username}?access_token=${text.token}`);
    await fetch(`${text.baseUrl}/nowhere`);
    const textRun = await text.stop();
    expect(textRun.stderr).toMatch(new RegExp(`^GET /tokens/v2/${text.username}\\?access_token=sk\\.… 200 \\d+(\\.\\d)?ms$`, 'm'));
    expect(textRun.stderr).toMatch(/^GET \/nowhere 404 \d+(\.\d)?ms$/m);
    expect(textRun.stderr).not.toContain(text.token);

    const json = await spawnMock(['--log', 'json']);
    await fetch(`${json.baseUrl}/tokens/v2?access_token=${json.token}`);
    const jsonRun = await json.stop();
    const line = jsonRun.stderr.split('\n').find((entry) => entry.startsWith('{'));
    expect(JSON.parse(line!)).toEqual({ method: 'GET', path: '/tokens/v2?access_token=sk.…', status: 200, ms: expect.any(Number) });
    expect(jsonRun.stderr).not.toContain(json.token);
    expect((await runCli(['--log', 'xml'])).code).toBe(2);
  });

  it('--no-admin turns the surface off; a non-loopback --host needs --admin-token', async () => {
    const off = await spawnMock(['--no-admin']);
    expect((await fetch(`${off.baseUrl}/__admin/clock`)).status).toBe(404);
    await off.stop();

    const publicBind = await spawnMock(['--host', '127.0.0.2']);
    expect((await fetch(`${publicBind.baseUrl}/__admin/clock`)).status).toBe(404);
    expect((await publicBind.stop()).stderr).toContain(
      'control surface /__admin/ is off: 127.0.0.2 is not a loopback address; give --admin-token',
    );

    const guarded = await spawnMock(['--host', '127.0.0.2'], { TOKENS_MOCK_ADMIN_TOKEN: 'tok' });
    expect((await fetch(`${guarded.baseUrl}/__admin/clock`)).status).toBe(401);
    expect((await fetch(`${guarded.baseUrl}/__admin/clock`, { headers: { Authorization: 'Bearer tok' } })).status).toBe(200);
    await guarded.stop();
  });

  it('--latency delays answers (per operation too); bad values exit 2', async () => {
    const mock = await spawnMock(['--latency', 'listScopes=300', '--latency', '0']);
    const started = performance.now();
    // Sent together: the operation without latency answers first (an order, not a time bound).
    const answered: string[] = [];
    await Promise.all([
      fetch(`${mock.baseUrl}/scopes/v1/${mock.username}?access_token=${mock.token}`).then(() => answered.push('scopes')),
      fetch(`${mock.baseUrl}/tokens/v2/${mock.username}?access_token=${mock.token}`).then(() => answered.push('tokens')),
    ]);
    expect(answered).toEqual(['tokens', 'scopes']);
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    await mock.stop();
    for (const bad of ['slow', 'createToken=', 'nothing=5', '300-100', '999999']) {
      const run = await runCli(['--latency', bad]);
      expect([bad, run.code]).toEqual([bad, 2]);
      expect(run.stderr).toMatch(/--latency/);
    }
  });

  it('--journal-size keeps the last N requests; --rate-limit 0 turns rate limiting off', async () => {
    const mock = await spawnMock(['--journal-size', '2', '--rate-limit', '0']);
    const list = () => fetch(`${mock.baseUrl}/tokens/v2/${mock.username}?access_token=${mock.token}`);
    const statuses = new Set<number>();
    for (let i = 0; i < 105; i++) statuses.add((await list()).status);
    expect([...statuses]).toEqual([200]);
    expect((await (await fetch(`${mock.baseUrl}/__admin/requests`)).json()).count).toBe(2);
    await mock.stop();
    expect((await runCli(['--journal-size', '-1'])).code).toBe(2);
  });
});
