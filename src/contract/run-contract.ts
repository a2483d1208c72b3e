import type { ContractCheck } from './check.ts';
import { contractChecks } from './checks/index.ts';
import { CheckContext, type RunEnvironment } from './context.ts';
import { documentedConditions } from './document.ts';
import { ContractAssertionError, CheckSkipped, ContractUsageError, ServerUnreachableError } from './errors.ts';
import { fixtureBuilders, walkPages, type FixtureName, type Fixtures } from './fixtures.ts';
import { OwnedTokens } from './owned-tokens.ts';
import { redactText, redactValue } from './redact.ts';
import { reportCoverage } from './report-coverage.ts';
import { createSchemaValidator } from './schemas.ts';
import { selectChecks } from './select.ts';
import { TokensApi } from './tokens-api.ts';
import { Transport } from './transport.ts';
import type { CheckResult, CleanupReport, ContractReport, RecordedExchange, RunContractOptions } from './types.ts';

const DEFAULT_BASE_URL = 'https://api.mapbox.com';

/** A fixture failed while a check depended on it. */
class FixtureError extends Error {
  readonly fixture: FixtureName;
  override readonly cause: unknown;
  constructor(fixture: FixtureName, cause: unknown) {
    super(`precondition ${fixture} failed: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.fixture = fixture;
    this.cause = cause;
  }
}

/**
 * Runs the contract suite against one server and returns the report. Never throws for check
 * failures; throws ContractUsageError (bad options, token refused) or ServerUnreachableError
 * before any check runs. Tokens the run created are deleted at the end whatever happens.
 */
export async function runContract(options: RunContractOptions): Promise<ContractReport> {
  const startedAt = Date.now();
  const baseUrl = validateOptions(options);
  const runId = newRunId();
  const owned = new OwnedTokens(runId);
  const secrets = [options.token, ...(options.otherToken ? [options.otherToken] : [])];
  const transport = new Transport({
    fetch: options.fetch ?? ((request) => globalThis.fetch(request)),
    pacing: options.pacing === false ? false : (options.pacing ?? {}),
    secrets,
  });
  const selected = selectChecks(contractChecks, options);
  const runAbort = new AbortController();
  const onAbort = (): void => runAbort.abort(options.signal?.reason);
  if (options.signal?.aborted) onAbort();
  options.signal?.addEventListener('abort', onAbort, { once: true });

  const clientFor = (exchanges: RecordedExchange[], signal?: AbortSignal): TokensApi =>
    new TokensApi({ transport, baseUrl, username: options.username, owned, exchanges, givenToken: options.token, ...(signal ? { signal } : {}) });

  const skewMs = await preflight(clientFor([]), options);
  const env: RunEnvironment = {
    username: options.username,
    masterToken: options.token,
    otherUsername: options.otherUsername,
    otherToken: options.otherUsername ? options.otherToken : undefined,
    strictMessages: options.strictMessages ?? false,
    expirySeconds: options.expirySeconds ?? 3,
    serverNow: () => Date.now() + skewMs,
    conditions: documentedConditions(),
    validator: createSchemaValidator(),
  };

  const fixtures = new Map<FixtureName, Promise<{ value: unknown; exchanges: RecordedExchange[] }>>();
  const loadFixture = async <K extends FixtureName>(name: K, into: RecordedExchange[]): Promise<Fixtures[K]> => {
    let entry = fixtures.get(name);
    if (!entry) {
      const exchanges: RecordedExchange[] = [];
      const api = clientFor(exchanges, runAbort.signal);
      const use = <F extends FixtureName>(inner: F): Promise<Fixtures[F]> => loadFixture(inner, exchanges);
      entry = fixtureBuilders[name]({ api, env, use, signal: runAbort.signal }).then(
        (value) => ({ value, exchanges }),
        (error: unknown) => {
          throw error instanceof FixtureError || error instanceof CheckSkipped ? error : new FixtureError(name, error);
        },
      );
      entry.catch(() => undefined);
      fixtures.set(name, entry);
    }
    const { value, exchanges } = await entry;
    for (const exchange of exchanges) if (!into.includes(exchange)) into.push(exchange);
    return value as Fixtures[K];
  };

  options.onProgress?.({ type: 'run-start', runId, baseUrl, total: selected.length });
  const runOne = async (check: ContractCheck): Promise<CheckResult> => {
    options.onProgress?.({ type: 'check-start', id: check.id });
    const exchanges: RecordedExchange[] = [];
    const ctx = new CheckContext({ api: clientFor(exchanges, runAbort.signal), env, operationId: check.operation, loadFixture });
    const started = Date.now();
    const result: CheckResult = {
      id: check.id,
      description: check.description,
      tags: check.tags,
      conditions: check.conditions,
      documentation: check.documentation,
      status: 'passed',
      durationMs: 0,
      exchanges: [],
    };
    if (runAbort.signal.aborted) {
      result.status = 'skipped';
      result.skipReason = 'the run was aborted';
    } else {
      try {
        await check.run(ctx);
      } catch (error) {
        classify(result, check, error, runAbort.signal.aborted);
      }
    }
    result.durationMs = Date.now() - started;
    if (result.status === 'failed' || result.status === 'error' || options.recordAll) result.exchanges = exchanges;
    const safe = redactValue(result, secrets);
    options.onProgress?.({ type: 'check-end', result: safe });
    return safe;
  };

  let results: CheckResult[];
  try {
    // Checks that wait for a real expiry start first and run alongside the rest.
    const concurrent = selected.filter((check) => check.concurrent).map((check) => runOne(check));
    const sequential: CheckResult[] = [];
    for (const check of selected.filter((candidate) => !candidate.concurrent)) sequential.push(await runOne(check));
    const parallel = await Promise.all(concurrent);
    results = selected.map((check) => [...sequential, ...parallel].find((result) => result.id === check.id)!);
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
  }

  options.onProgress?.({ type: 'cleanup-start', pending: owned.pending().length });
  const cleanup = await cleanUp(clientFor([]), owned, options.token, secrets);
  const summary = {
    total: results.length,
    passed: results.filter((result) => result.status === 'passed').length,
    failed: results.filter((result) => result.status === 'failed').length,
    errors: results.filter((result) => result.status === 'error').length,
    skipped: results.filter((result) => result.status === 'skipped').length,
  };
  const report: ContractReport = {
    tool: 'contract-test',
    runId,
    baseUrl,
    username: options.username,
    startedAt: new Date(startedAt).toISOString(),
    durationMs: Date.now() - startedAt,
    requests: transport.requestCount,
    aborted: runAbort.signal.aborted,
    summary,
    results,
    cleanup,
    coverage: reportCoverage(results),
  };
  options.onProgress?.({ type: 'run-end', report });
  return report;
}

/** Sets the result's status from what a check threw. */
function classify(result: CheckResult, check: ContractCheck, error: unknown, aborted: boolean): void {
  if (error instanceof CheckSkipped) {
    result.status = 'skipped';
    result.skipReason = error.message;
    return;
  }
  if (aborted) {
    result.status = 'skipped';
    result.skipReason = 'the run was aborted';
    return;
  }
  let cause = error;
  if (error instanceof FixtureError && (check.owns ?? []).includes(error.fixture)) cause = error.cause;
  if (cause instanceof CheckSkipped) {
    result.status = 'skipped';
    result.skipReason = cause.message;
    return;
  }
  if (cause instanceof ContractAssertionError) {
    result.status = 'failed';
    result.failure = { message: cause.message };
    if (cause.expected !== undefined) result.failure.expected = cause.expected;
    if (cause.actual !== undefined) result.failure.actual = cause.actual;
    return;
  }
  result.status = 'error';
  result.failure = { message: cause instanceof Error ? cause.message : String(cause) };
}

/**
 * Deletes every token the run created and has not deleted yet, then lists the account to verify:
 * tokens whose note carries this run's id (even ones a server created without returning their id)
 * are deleted too, and any that survive are reported. Never throws.
 */
async function cleanUp(api: TokensApi, owned: OwnedTokens, token: string, secrets: string[]): Promise<CleanupReport> {
  const report: CleanupReport = { deleted: 0, failures: [], remaining: [] };
  if (owned.createAttempts === 0) return report;
  await deletePending(api, owned, token, secrets, report);
  try {
    const listing = await walkPages(api, token, [['limit', '100']]);
    const marker = owned.note('');
    for (const item of listing.items) {
      if (typeof item['id'] === 'string' && typeof item['note'] === 'string' && item['note'].startsWith(marker)) owned.register(item['id'], 'found by note');
    }
    const listedOwned = listing.items.map((item) => item['id']).filter((id): id is string => typeof id === 'string' && owned.isOwned(id));
    const pendingBefore = owned.pending().map((pending) => pending.id);
    await deletePending(api, owned, token, secrets, report);
    const stillPending = new Set(owned.pending().map((pending) => pending.id));
    const deletedNow = new Set(pendingBefore.filter((id) => !stillPending.has(id)));
    // Listed although a DELETE answered 2xx earlier, or still pending: the account keeps them.
    report.remaining = listedOwned.filter((id) => !deletedNow.has(id));
  } catch (error) {
    report.failures.push({ id: '(verification)', reason: redactText(error instanceof Error ? error.message : String(error), secrets) });
  }
  return report;
}

async function deletePending(api: TokensApi, owned: OwnedTokens, token: string, secrets: string[], report: CleanupReport): Promise<void> {
  for (const pending of owned.pending()) {
    try {
      const response = await api.remove(token, pending.id);
      if (response.status === 204 || response.status === 200) report.deleted += 1;
      else report.failures.push({ id: pending.id, reason: `DELETE answered ${response.status} ${redactText(response.text, secrets).slice(0, 200)}` });
    } catch (error) {
      report.failures.push({ id: pending.id, reason: redactText(error instanceof Error ? error.message : String(error), secrets) });
    }
  }
}

function validateOptions(options: RunContractOptions): string {
  if (!options.username) throw new ContractUsageError('a username is required (--username or MAPBOX_USERNAME)');
  if (!options.token) throw new ContractUsageError('an access token is required (--token or MAPBOX_ACCESS_TOKEN)');
  const baseUrl = options.baseUrl ?? DEFAULT_BASE_URL;
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new ContractUsageError(`the base URL is not a URL: ${baseUrl}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ContractUsageError(`the base URL must be http(s): ${baseUrl}`);
  if (url.search || url.hash) throw new ContractUsageError(`the base URL must not have a query or fragment: ${baseUrl}`);
  for (const [name, value] of [['expirySeconds', options.expirySeconds]] as const) {
    if (value !== undefined && !(Number.isFinite(value) && value >= 1 && value <= 600)) throw new ContractUsageError(`${name} must be between 1 and 600`);
  }
  return baseUrl.replace(/\/+$/, '');
}

/**
 * One retrieve of the given token: proves the server answers (else ServerUnreachableError) and
 * that the token is usable for the username (else ContractUsageError, with what the server said);
 * reads the server's clock from `Date` when given.
 */
async function preflight(api: TokensApi, options: RunContractOptions): Promise<number> {
  const before = Date.now();
  const response = await api.retrieve(options.token);
  const after = Date.now();
  const body = response.json as { code?: unknown; token?: { user?: unknown } } | undefined;
  if (response.status === 200 && body?.code === 'TokenValid') {
    const user = body.token?.user;
    if (typeof user === 'string' && user !== options.username) {
      throw new ContractUsageError(`the token belongs to ${user}, not ${options.username}`);
    }
  } else if (response.status === 200 && typeof body?.code === 'string') {
    // A lying retrieve is a failure to report, but if listing refuses the token too, the token is the problem.
    const list = await api.list(options.token, [['limit', '1']]);
    if (list.status === 401) throw new ContractUsageError(`the server does not accept the token (retrieve says ${body.code}; listing answers 401)`);
  } else if (response.status === 404 && response.json === undefined) {
    throw new ServerUnreachableError(`${options.baseUrl ?? DEFAULT_BASE_URL} does not look like a Tokens API (GET /tokens/v2 answered 404 without JSON)`);
  }
  const date = Date.parse(response.headers.get('date') ?? '');
  if (!Number.isFinite(date)) return 0;
  const skew = date - (before + after) / 2;
  // Date has whole seconds: ignore anything a rounding could explain.
  return Math.abs(skew) < 2000 ? 0 : skew;
}

function newRunId(): string {
  const random = Array.from(crypto.getRandomValues(new Uint8Array(3)), (byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${new Date().toISOString().replace(/[-:]/g, '').slice(0, 15)}-${random}`;
}

export { ContractUsageError, ServerUnreachableError };
