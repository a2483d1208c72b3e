import { describe, it } from 'vitest';
import { ContractUsageError, ServerUnreachableError, listChecks, renderJson, runContract } from '../../src/contract/index.ts';
import { mockTarget } from './mock-target.ts';

// Every case builds its own mock, so they run concurrently.
describe.concurrent('runContract against the in-process mock', () => {
  it('passes every check, stays within the request budget and deletes what it created', async ({ expect }) => {
    const target = await mockTarget({ includeDefaultToken: true });
    const report = await runContract(target.options);
    const notPassed = report.results.filter((result) => result.status !== 'passed');
    expect(notPassed).toEqual([]);
    const expected = listChecks()
      .filter((check) => check.optIn !== 'rate-limit')
      .map((check) => check.id);
    expect(report.results.map((result) => result.id).sort()).toEqual(expected.sort());
    expect(report.summary).toMatchObject({ failed: 0, errors: 0, skipped: 0, passed: expected.length });
    // About 290 requests (230 checks' own, plus a retrieve proving each created token ours): against
    // a real account (100 per minute) the pacing spreads them over three windows (BENCHMARKS.md); the
    // count must not creep up unnoticed.
    expect(report.requests).toBeLessThan(300);
    expect(report.cleanup).toMatchObject({ failures: [], remaining: [], untouched: [], clean: true });
    expect(report.cleanup.deleted).toBeGreaterThan(4);
    expect(await target.listIds()).toEqual(target.initialIds);
  });

  it('never prints a secret: the master token and created token strings are redacted', async ({ expect }) => {
    const target = await mockTarget({ recordAll: true, only: ['create', 'retrieve', 'list.shows-created'] });
    const report = await runContract(target.options);
    expect(report.summary.failed + report.summary.errors).toBe(0);
    const text = renderJson(report);
    expect(text).toContain('access_token=sk.…');
    expect(text).toContain('\\"token\\":\\"pk.…\\"');
    expect(text).not.toContain(target.masterToken);
    expect(text).not.toMatch(/\b[ps]k\.eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{22}/);
  });

  it('only ever updates or deletes tokens it created (the default token only when opted in)', async ({ expect }) => {
    const target = await mockTarget();
    const writes: string[] = [];
    const fetch = (request: Request): Promise<Response> => {
      if (request.method === 'PATCH' || request.method === 'DELETE') writes.push(new URL(request.url).pathname.split('/').pop()!);
      return target.mock.fetch(request);
    };
    const report = await runContract({ ...target.options, fetch });
    expect(report.summary.failed + report.summary.errors).toBe(0);
    expect(writes.length).toBeGreaterThan(5);
    expect(writes.filter((id) => target.initialIds.includes(id))).toEqual([]);
  });

  it('deletes its tokens when checks fail', async ({ expect }) => {
    const target = await mockTarget({ expirySeconds: 1 }, ['create-accepts-scope-escalation', 'update-accepts-scope-escalation']);
    const report = await runContract(target.options);
    expect(report.summary.failed).toBeGreaterThan(0);
    expect(report.cleanup.failures).toEqual([]);
    expect(await target.listIds()).toEqual(target.initialIds);
  });

  it('stops on abort, reports the rest as skipped and still cleans up', async ({ expect }) => {
    const target = await mockTarget();
    const controller = new AbortController();
    const report = await runContract({
      ...target.options,
      signal: controller.signal,
      onProgress: (event) => {
        if (event.type === 'check-end' && event.result.id === 'create.public-token') controller.abort();
      },
    });
    expect(report.aborted).toBe(true);
    expect(report.results.find((result) => result.id === 'list.pagination')?.status).toBe('skipped');
    expect(report.summary.failed + report.summary.errors).toBe(0);
    expect(await target.listIds()).toEqual(target.initialIds);
  });

  it('selects checks by id and tag, and refuses unknown names', async ({ expect }) => {
    const target = await mockTarget();
    const report = await runContract({ ...target.options, only: ['temporary', 'auth.no-such-user'], skip: ['temporary.create'] });
    const ids = report.results.map((result) => result.id);
    expect(ids).toContain('auth.no-such-user');
    expect(ids).toContain('temporary.expires-in-past');
    expect(ids).not.toContain('temporary.create');
    expect(ids).not.toContain('list.bad-usage');
    await expect(runContract({ ...target.options, only: ['no.such-check'] })).rejects.toBeInstanceOf(ContractUsageError);
  });

  it('works under a base URL with a path prefix, following Link pages there', async ({ expect }) => {
    const { createTokensMock } = await import('../../src/index.ts');
    const mock = createTokensMock({ seed: 5, baseUrl: 'http://mock.test/mapbox' });
    const account = await mock.defaultAccount();
    const paths: string[] = [];
    const fetch = (request: Request): Promise<Response> => {
      paths.push(new URL(request.url).pathname);
      return mock.fetch(request);
    };
    const report = await runContract({
      baseUrl: 'http://mock.test/mapbox/',
      username: account.username,
      token: account.secretToken,
      fetch,
      pacing: false,
      only: ['list.pagination', 'auth.no-such-user'],
    });
    expect(report.results.map((result) => [result.id, result.status])).toEqual([
      ['auth.no-such-user', 'passed'],
      ['list.pagination', 'passed'],
    ]);
    expect(paths.every((path) => path.startsWith('/mapbox/'))).toBe(true);
  });

  it('never follows a Link to another origin (the token would leak there): fails list.pagination instead', async ({ expect }) => {
    const { createTokensMock } = await import('../../src/index.ts');
    const mock = createTokensMock({ seed: 6, baseUrl: 'http://mock.test' });
    const account = await mock.defaultAccount();
    const origins = new Set<string>();
    const fetch = async (request: Request): Promise<Response> => {
      origins.add(new URL(request.url).origin);
      const response = await mock.fetch(request);
      const link = response.headers.get('link');
      if (!link) return response;
      const headers = new Headers(response.headers);
      headers.set('link', link.replace('http://mock.test', 'https://api.mapbox.com'));
      return new Response(await response.text(), { status: response.status, headers });
    };
    const report = await runContract({
      baseUrl: 'http://mock.test',
      username: account.username,
      token: account.secretToken,
      fetch,
      pacing: false,
      only: ['list.pagination'],
    });
    expect(report.results[0]?.status).toBe('failed');
    expect(report.results[0]?.failure?.message).toContain('points to another origin (https://api.mapbox.com)');
    expect([...origins]).toEqual(['http://mock.test']);
  });

  it('skips auth.other-user without otherUsername', async ({ expect }) => {
    const target = await mockTarget();
    const { otherUsername: _unused, ...options } = target.options;
    const report = await runContract({ ...options, only: ['auth.other-user'] });
    expect(report.results[0]).toMatchObject({ id: 'auth.other-user', status: 'skipped' });
  });

  it('runs the opt-in rate-limit check', async ({ expect }) => {
    const { createTokensMock } = await import('../../src/index.ts');
    const mock = createTokensMock({ seed: 3, rateLimit: { limit: 20, intervalSeconds: 2 } });
    const account = await mock.defaultAccount();
    const report = await runContract({
      baseUrl: mock.baseUrl,
      username: account.username,
      token: account.secretToken,
      fetch: (request) => mock.fetch(request),
      pacing: false,
      includeRateLimit: true,
      only: ['rate-limit.enforced'],
    });
    expect(report.results.map((result) => [result.id, result.status, result.failure?.message])).toEqual([
      ['rate-limit.enforced', 'passed', undefined],
    ]);
  });

  it('throws usage errors for bad options and ServerUnreachableError when nothing answers', async ({ expect }) => {
    const target = await mockTarget();
    await expect(runContract({ ...target.options, baseUrl: 'not a url' })).rejects.toBeInstanceOf(ContractUsageError);
    await expect(runContract({ ...target.options, token: '' })).rejects.toBeInstanceOf(ContractUsageError);
    await expect(runContract({ ...target.options, username: 'someone-else' })).rejects.toThrow(/belongs to mockuser/);
    const refused = (): Promise<Response> =>
      Promise.reject(new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED 127.0.0.1:9') }));
    await expect(runContract({ ...target.options, fetch: refused })).rejects.toBeInstanceOf(ServerUnreachableError);
  });
});
