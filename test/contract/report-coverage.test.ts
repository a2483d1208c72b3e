import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  documentedConditionIds,
  documentedStatements,
  renderHuman,
  renderJson,
  renderJunit,
  runContract,
  type ContractReport,
} from '../../src/contract/index.ts';
import { replayCommand } from '../../src/contract/replay.ts';
import { createTokensMock, SCOPE_CATALOGUE } from '../../src/index.ts';
import { startServer } from '../../src/server/index.ts';
import { mockTarget } from './mock-target.ts';

const run = promisify(execFile);

describe('coverage in the report', () => {
  it('lists every statement and condition with its checks; a run of some checks exercises only theirs', async () => {
    const target = await mockTarget({ only: ['list.bad-usage', 'create.public-token'] });
    const report = await runContract(target.options);
    const coverage = JSON.parse(renderJson(report)).coverage as NonNullable<ContractReport['coverage']>;
    expect(coverage.statements.entries.map((entry) => entry.id)).toEqual(documentedStatements().map((statement) => statement.id));
    expect(coverage.conditions.entries.map((entry) => entry.id)).toEqual(documentedConditionIds());
    const exercised = coverage.conditions.entries.filter((entry) => entry.exercised).map((entry) => entry.id);
    expect(exercised).toEqual(['bad-usage']);
    const statement = coverage.statements.entries.find((entry) => entry.id === 'error-usage')!;
    expect(statement).toEqual({ id: 'error-usage', checks: ['list.bad-usage'], exercised: true });
    expect(coverage.statements.entries.find((entry) => entry.id === 'https-only')).toMatchObject({
      checks: [],
      exercised: false,
      reason: expect.any(String),
    });
    expect(coverage.statements.exercised).toBeLessThan(coverage.statements.checkable);
    expect(coverage.statements.checkable).toBe(documentedStatements().filter((item) => !item.reason).length);
  });

  it('a full run with every opt-in exercises 100 %; leaving the rate-limit check out shows its rows as not exercised', async () => {
    // The documented limit (the rate-limit check sends no more) in a short window, so its reset comes
    // soon; the suite's other requests retry the few 429s they meet.
    const mock = createTokensMock({ seed: 4, rateLimit: { limit: 100, intervalSeconds: 3 } });
    const account = await mock.defaultAccount();
    const other = await mock.createAccount({ username: 'contract-other' });
    const full = await runContract({
      baseUrl: mock.baseUrl,
      username: account.username,
      token: account.secretToken,
      fetch: (request) => mock.fetch(request),
      pacing: false,
      otherUsername: 'contract-other',
      otherToken: other.secretToken,
      expirySeconds: 1,
      includeDefaultToken: true,
      includeRateLimit: true,
      accountScopes: SCOPE_CATALOGUE.map((scope) => scope.id),
    });
    expect(full.summary.failed + full.summary.errors + full.summary.skipped).toBe(0);
    expect(full.coverage!.statements.exercised).toBe(full.coverage!.statements.checkable);
    expect(full.coverage!.conditions.exercised).toBe(full.coverage!.conditions.total);

    const usual = await runContract((await mockTarget()).options);
    const notExercised = usual.coverage!.conditions.entries.filter((entry) => !entry.exercised).map((entry) => entry.id);
    expect(notExercised).toEqual(expect.arrayContaining(['rate-limited', 'delete-default', 'allowed-urls-on-default']));
    expect(usual.coverage!.statements.entries.find((entry) => entry.id === 'decision-retrieve-not-rate-limited')!.exercised).toBe(false);
    expect(renderHuman(usual)).toMatch(
      new RegExp(
        `coverage: ${usual.coverage!.statements.exercised}/${usual.coverage!.statements.checkable} checkable statements and ${usual.coverage!.conditions.exercised}/${usual.coverage!.conditions.total} conditions exercised`,
      ),
    );
  }, 60_000);

  it('junit shows per check the statements and conditions it enforces and whether it ran', async () => {
    const target = await mockTarget({ only: ['list.bad-usage', 'auth.other-user'], otherUsername: undefined });
    const xml = renderJunit(await runContract(target.options));
    const testcase = (id: string): string =>
      xml.slice(xml.indexOf(`name="${id}"`), xml.indexOf('</testcase>', xml.indexOf(`name="${id}"`)));
    expect(testcase('list.bad-usage')).toContain('<property name="statement" value="error-usage"/>');
    expect(testcase('list.bad-usage')).toContain('<property name="condition" value="bad-usage"/>');
    expect(testcase('list.bad-usage')).toContain('<property name="exercised" value="true"/>');
    expect(testcase('auth.other-user')).toContain('<property name="exercised" value="false"/>');
    expect(xml).toMatch(/<property name="statementsExercised" value="\d+\/\d+"\/>/);
  });
});

describe('replay lines', () => {
  it('quote the URL and body for a shell and show the given token as $MAPBOX_ACCESS_TOKEN', () => {
    const exchange = {
      request: { method: 'POST', url: 'http://h/tokens/v2/u$x?note=a"b&access_token=sk.…', body: `{"note":"it's"}` },
      durationMs: 1,
    };
    expect(replayCommand(exchange, 'given')).toBe(
      `curl -sS -i -X POST -H 'Content-Type: application/json' --data-raw '{"note":"it'\\''s"}' "http://h/tokens/v2/u\\$x?note=a\\"b&access_token=$MAPBOX_ACCESS_TOKEN"`,
    );
    expect(replayCommand(exchange, 'other')).toContain('access_token=$TOKEN"  # $TOKEN: the sk.… token of this run');
    expect(replayCommand({ request: { method: 'GET', url: 'http://h/tokens/v2' }, durationMs: 1 }, 'none')).toBe(
      'curl -sS -i "http://h/tokens/v2"',
    );
  });

  it('every exchange of a failed check prints a curl line that replays it against the server', async () => {
    // A server whose 422 for usage=tk became 200: list.bad-usage fails.
    const mock = createTokensMock({ seed: 9, faults: ['list-ignores-usage'] });
    const server = await startServer({ mock, port: 0, docsDir: false });
    try {
      const account = await mock.defaultAccount();
      const report = await runContract({
        baseUrl: server.url,
        username: account.username,
        token: account.secretToken,
        pacing: false,
        only: ['list.bad-usage'],
      });
      expect(report.summary.failed).toBe(1);
      const text = renderHuman(report);
      expect(text).not.toContain(account.secretToken);
      const replay = /replay: (curl .*)/.exec(text)![1]!;
      expect(replay).toContain('access_token=$MAPBOX_ACCESS_TOKEN');
      const { stdout } = await run('sh', ['-c', replay], {
        env: { PATH: process.env['PATH'] ?? '', MAPBOX_ACCESS_TOKEN: account.secretToken },
      });
      expect(stdout).toMatch(/^HTTP\/1\.1 200/);
      expect(JSON.stringify(report)).not.toContain(account.secretToken);
    } finally {
      await server.close();
    }
  });
});
