import { operationPath } from '../generated/api-tables.ts';
import type { ContractCheck } from './check.ts';
import { contractChecks } from './checks/index.ts';
import { CheckContext, type RunEnvironment } from './context.ts';
import { documentedConditions } from './document.ts';
import { ContractAssertionError, CheckSkipped, ContractUsageError, MissingCapabilityError, ServerUnreachableError } from './errors.ts';
import {
  accountFacts,
  preconditionBuilders,
  walkPages,
  type AccountFacts,
  type PreconditionName,
  type Preconditions,
} from './preconditions.ts';
import { OwnedTokens } from './owned-tokens.ts';
import { redactText, redactValue, SecretSet } from './redact.ts';
import { reportCoverage } from './report-coverage.ts';
import { createSchemaValidator } from './schemas.ts';
import { selectChecks } from './select.ts';
import { decodeTokenString } from './token-strings.ts';
import { TokensApi, type Capabilities } from './tokens-api.ts';
import { DEFAULT_MAX_BODY_BYTES, DEFAULT_TIMEOUT_MS, Transport, TransportError } from './transport.ts';
import type { CheckResult, CleanupReport, ContractReport, DefaultTokenWrite, RecordedExchange, RunContractOptions } from './types.ts';

const DEFAULT_BASE_URL = 'https://api.mapbox.com';
const DEFAULT_DEADLINE_MS = 10 * 60_000;
export const DEFAULT_CLEANUP_BUDGET_MS = 60_000;
/** Part of the cleanup budget spent waiting for in-flight requests before listing the account again. */
const SETTLE_BUDGET_MS = 15_000;

/** A precondition failed while a check depended on it. */
class PreconditionError extends Error {
  readonly precondition: PreconditionName;
  override readonly cause: unknown;
  constructor(precondition: PreconditionName, cause: unknown) {
    super(`precondition ${precondition} failed: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.precondition = precondition;
    this.cause = cause;
  }
}

/**
 * Runs the contract suite against one server and returns the report. Never throws for check
 * failures; throws ContractUsageError (bad options, token refused or lacking a capability) or
 * ServerUnreachableError before any check runs. Tokens the run proved it created are deleted at
 * the end whatever happens (failures, abort, deadline), within a cleanup budget.
 */
export async function runContract(options: RunContractOptions): Promise<ContractReport> {
  const startedAt = Date.now();
  const baseUrl = validateOptions(options);
  const runId = newRunId();
  const owned = new OwnedTokens(runId);
  owned.onChange = (event) => {
    if (event.type === 'owned') options.onProgress?.({ type: 'token-owned', id: event.token.id, note: event.token.note });
    else options.onProgress?.({ type: 'token-deleted', id: event.id });
  };
  const secrets = new SecretSet([options.token, ...(options.otherToken ? [options.otherToken] : [])]);
  const runAbort = new AbortController();
  let stopped: string | undefined;
  const stop = (reason: string): void => {
    if (runAbort.signal.aborted) return;
    stopped = reason;
    runAbort.abort(new Error(reason));
  };
  const transport = new Transport({
    fetch: options.fetch ?? ((request) => globalThis.fetch(request)),
    pacing: options.pacing === false ? false : (options.pacing ?? {}),
    secrets,
    origin: new URL(baseUrl).origin,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    onOnly429: stop,
  });
  const selected = selectChecks(contractChecks, options);
  const onAbort = (): void => stop(abortMessage(options.signal?.reason));
  if (options.signal?.aborted) onAbort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const deadlineMs = options.deadlineMs ?? DEFAULT_DEADLINE_MS;
  const deadline = setTimeout(() => stop(`the run reached its deadline of ${formatSeconds(deadlineMs)} (--deadline)`), deadlineMs);

  let capabilities: Capabilities | undefined;
  const clientFor = (exchanges: RecordedExchange[], signal?: AbortSignal): TokensApi =>
    new TokensApi({
      transport,
      baseUrl,
      username: options.username,
      owned,
      exchanges,
      givenToken: options.token,
      ...(signal ? { signal } : {}),
      ...(capabilities ? { capabilities } : {}),
    });

  let facts: PreflightFacts;
  try {
    facts = await preflight(clientFor([], runAbort.signal), options, baseUrl);
  } catch (error) {
    clearTimeout(deadline);
    options.signal?.removeEventListener('abort', onAbort);
    if (stopped !== undefined && !(error instanceof ContractUsageError))
      throw new ServerUnreachableError(`${stopped} (before any check ran)`);
    // A timeout, an oversized body or a refused request already in the preflight: the server is not usable.
    if (error instanceof TransportError) throw new ServerUnreachableError(error.message, { cause: error });
    throw error;
  }
  owned.markPreexisting(facts.listedIds);
  if (facts.missing.length > 0 && !(options.only ?? []).length) {
    clearTimeout(deadline);
    options.signal?.removeEventListener('abort', onAbort);
    throw new MissingCapabilityError(missingMessage(facts), facts.missing);
  }
  capabilities = { masterToken: options.token, missing: new Set(facts.missing) };
  const defaultTokenWrites: DefaultTokenWrite[] = [];
  const env: RunEnvironment = {
    username: options.username,
    masterToken: options.token,
    otherUsername: options.otherUsername,
    otherToken: options.otherUsername ? options.otherToken : undefined,
    strictMessages: options.strictMessages ?? false,
    expirySeconds: options.expirySeconds ?? 3,
    accountScopes: options.accountScopes ? [...options.accountScopes] : undefined,
    serverNow: () => Date.now() + facts.skewMs,
    conditions: documentedConditions(),
    validator: createSchemaValidator(),
    account: facts.account,
    ...(facts.accountProblem !== undefined ? { accountProblem: facts.accountProblem } : {}),
  };

  const preconditions = new Map<PreconditionName, Promise<{ value: unknown; exchanges: RecordedExchange[] }>>();
  const loadPrecondition = async <K extends PreconditionName>(name: K, into: RecordedExchange[]): Promise<Preconditions[K]> => {
    let entry = preconditions.get(name);
    if (!entry) {
      const exchanges: RecordedExchange[] = [];
      const api = clientFor(exchanges, runAbort.signal);
      const use = <F extends PreconditionName>(inner: F): Promise<Preconditions[F]> => loadPrecondition(inner, exchanges);
      entry = preconditionBuilders[name]({ api, env, use, signal: runAbort.signal }).then(
        (value) => ({ value, exchanges }),
        (error: unknown) => {
          throw error instanceof PreconditionError || error instanceof CheckSkipped ? error : new PreconditionError(name, error);
        },
      );
      entry.catch(() => undefined);
      preconditions.set(name, entry);
    }
    const { value, exchanges } = await entry;
    for (const exchange of exchanges) if (!into.includes(exchange)) into.push(exchange);
    return value as Preconditions[K];
  };

  options.onProgress?.({
    type: 'run-start',
    runId,
    baseUrl,
    total: selected.length,
    ids: selected.map((check) => check.id),
    ...(options.target ? { target: options.target } : {}),
  });
  const runOne = async (check: ContractCheck): Promise<CheckResult> => {
    options.onProgress?.({ type: 'check-start', id: check.id });
    const exchanges: RecordedExchange[] = [];
    const ctx = new CheckContext({
      api: clientFor(exchanges, runAbort.signal),
      env,
      operationId: check.operation,
      loadPrecondition,
      checkId: check.id,
      onDefaultTokenWrite: (write) => defaultTokenWrites.push(write),
    });
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
      result.skipReason = `the run stopped: ${stopped ?? 'aborted'}`;
    } else {
      try {
        await check.run(ctx);
      } catch (error) {
        classify(result, check, error, runAbort.signal.aborted ? (stopped ?? 'aborted') : undefined);
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
    clearTimeout(deadline);
  }

  options.onProgress?.({ type: 'cleanup-start', pending: owned.pending().length });
  // Cleanup has its own budget (and an interruption during it still ends it: a second signal exits at once in the CLI).
  const cleanupAbort = new AbortController();
  const cleanupBudgetMs = options.cleanupBudgetMs ?? DEFAULT_CLEANUP_BUDGET_MS;
  const cleanupTimer = setTimeout(
    () => cleanupAbort.abort(new Error(`cleanup ran out of its ${formatSeconds(cleanupBudgetMs)} budget`)),
    cleanupBudgetMs,
  );
  let cleanup: CleanupReport;
  try {
    cleanup = await cleanUp({
      api: clientFor([], cleanupAbort.signal),
      transport,
      owned,
      token: options.token,
      signal: cleanupAbort.signal,
    });
  } finally {
    clearTimeout(cleanupTimer);
    options.signal?.removeEventListener('abort', onAbort);
  }
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
  if (stopped !== undefined) report.stopped = stopped;
  if (options.target) report.target = options.target;
  if (defaultTokenWrites.length > 0) report.defaultToken = defaultTokenWrites;
  // Secrets seen late (a token string in the last answer) are redacted from earlier records too.
  const safeReport = redactValue(report, secrets);
  options.onProgress?.({ type: 'run-end', report: safeReport });
  return safeReport;
}

/** Sets the result's status from what a check threw. */
function classify(result: CheckResult, check: ContractCheck, error: unknown, stopped: string | undefined): void {
  if (error instanceof CheckSkipped) {
    result.status = 'skipped';
    result.skipReason = error.message;
    return;
  }
  if (stopped !== undefined) {
    result.status = 'skipped';
    result.skipReason = `the run stopped: ${stopped}`;
    return;
  }
  let cause = error;
  if (error instanceof PreconditionError && (check.owns ?? []).includes(error.precondition)) cause = error.cause;
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
 * Deletes every token the run proved it created and has not deleted yet; then, once every request
 * of the run has settled, lists the account again and reports exactly what remains. A listed token
 * carrying this run's note is deleted only when a token string proves it ours (its listed pk string
 * or one held from a create answer, retrieved as the same authorization and user): a note can be
 * imitated. Never throws; bounded by `signal` (the cleanup budget).
 */
export async function cleanUp(init: {
  api: TokensApi;
  transport: Transport;
  owned: OwnedTokens;
  token: string;
  signal: AbortSignal;
}): Promise<CleanupReport> {
  const { api, transport, owned, token, signal } = init;
  const report: CleanupReport = { deleted: 0, failures: [], remaining: [], untouched: [], clean: true };
  const secrets = transport.secrets;
  const reason = (error: unknown): string => redactText(error instanceof Error ? error.message : String(error), secrets);
  if (owned.createAttempts > 0) {
    await deletePending(api, owned, token, report, reason);
    // Requests still in flight (an aborted create the server may complete) settle first, within part of the budget.
    const settling = new AbortController();
    const settleTimer = setTimeout(() => settling.abort(), SETTLE_BUDGET_MS);
    const onCleanupAbort = (): void => settling.abort();
    signal.addEventListener('abort', onCleanupAbort, { once: true });
    await transport.settle(settling.signal);
    clearTimeout(settleTimer);
    signal.removeEventListener('abort', onCleanupAbort);
    try {
      const listing = await walkPages(api, token, [['limit', '100']]);
      const marker = owned.note('');
      const noteOf = (item: Record<string, unknown>): string => (typeof item['note'] === 'string' ? item['note'] : '');
      const listed = listing.items.filter((item): item is Record<string, unknown> & { id: string } => typeof item['id'] === 'string');
      // Ours by note only: prove each before deleting (a late-completed create, an answer that named another id).
      for (const item of listed) {
        if (owned.isOwned(item.id) || owned.isPreexisting(item.id) || !noteOf(item).startsWith(marker)) continue;
        if (owned.tainted().some((entry) => entry.id === item.id)) continue;
        const candidates = [...(typeof item['token'] === 'string' ? [item['token']] : []), ...owned.unmatchedStrings()];
        for (const candidate of candidates.slice(0, 10)) {
          const retrieved = await api.retrieve(candidate);
          const claims = (retrieved.json as { token?: { authorization?: unknown; user?: unknown } } | undefined)?.token;
          if (retrieved.status === 200 && claims?.authorization === item.id && claims.user === api.username) {
            owned.register(item.id, 'found by note, proven by its token string', candidate, noteOf(item));
            break;
          }
        }
      }
      const pendingBefore = new Set(owned.pending().map((pending) => pending.id));
      await deletePending(api, owned, token, report, reason);
      for (const item of listed) {
        const note = noteOf(item);
        const ours = owned.get(item.id);
        if (ours?.deleted && !pendingBefore.has(item.id)) {
          report.remaining.push({ id: item.id, note, reason: 'a DELETE answered 2xx, yet it is still listed' });
        } else if (ours && !ours.deleted) {
          report.remaining.push({ id: item.id, note, reason: 'cleanup could not delete it' });
        } else if (!ours && note.startsWith(marker) && owned.isPreexisting(item.id)) {
          owned.taint(item.id, `listed before the run, now with this run's note ${JSON.stringify(note)}: not ours, never written to`);
        } else if (!ours && note.startsWith(marker)) {
          report.remaining.push({
            id: item.id,
            note,
            reason: "carries this run's note but could not be proven ours, so it was not deleted",
          });
        }
      }
      // Tokens deleted only now (found by note, or retried) are verified by one more listing.
      const deletedNow = [...pendingBefore].filter((id) => owned.get(id)?.deleted === true);
      if (deletedNow.length > 0) {
        const again = await walkPages(api, token, [['limit', '100']]);
        for (const item of again.items) {
          if (typeof item['id'] === 'string' && deletedNow.includes(item['id'])) {
            report.remaining.push({ id: item['id'], note: noteOf(item), reason: 'a DELETE answered 2xx, yet it is still listed' });
          }
        }
      }
    } catch (error) {
      report.clean = false;
      report.failures.push({ id: '(verification)', reason: `listing the account after cleanup failed: ${reason(error)}` });
    }
  }
  for (const pending of owned.pending()) {
    if (!report.remaining.some((entry) => entry.id === pending.id))
      report.remaining.push({ id: pending.id, note: pending.note ?? '', reason: 'cleanup could not delete it' });
  }
  report.untouched = owned.tainted();
  if (report.remaining.length > 0 || report.failures.length > 0) report.clean = false;
  return report;
}

async function deletePending(
  api: TokensApi,
  owned: OwnedTokens,
  token: string,
  report: CleanupReport,
  reason: (error: unknown) => string,
): Promise<void> {
  for (const pending of owned.pending()) {
    try {
      const response = await api.remove(token, pending.id);
      if (response.status === 204 || response.status === 200) report.deleted += 1;
      else
        report.failures.push({ id: pending.id, reason: `DELETE answered ${response.status} ${api.redact(response.text).slice(0, 200)}` });
    } catch (error) {
      report.failures.push({ id: pending.id, reason: reason(error) });
    }
  }
}

export function validateOptions(options: RunContractOptions): string {
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
  if (/\/(tokens|scopes)(\/|$)/.test(url.pathname)) {
    throw new ContractUsageError(`the base URL ${baseUrl} has an API path (${url.pathname}): give the origin, e.g. ${url.origin}`);
  }
  for (const [name, value] of [
    ['timeoutMs', options.timeoutMs],
    ['deadlineMs', options.deadlineMs],
    ['maxBodyBytes', options.maxBodyBytes],
    ['cleanupBudgetMs', options.cleanupBudgetMs],
  ] as const) {
    if (value !== undefined && !(Number.isFinite(value) && value > 0)) throw new ContractUsageError(`${name} must be a positive number`);
  }
  const { accountScopes } = options;
  if (
    accountScopes !== undefined &&
    !(Array.isArray(accountScopes) && accountScopes.every((scope) => typeof scope === 'string' && scope !== ''))
  )
    throw new ContractUsageError('accountScopes must be an array of scope names');
  for (const [name, value] of [['expirySeconds', options.expirySeconds]] as const) {
    if (value !== undefined && !(Number.isFinite(value) && value >= 1 && value <= 600))
      throw new ContractUsageError(`${name} must be between 1 and 600`);
  }
  return baseUrl.replace(/\/+$/, '');
}

interface PreflightFacts {
  skewMs: number;
  listedIds: string[];
  missing: string[];
  usage: string | undefined;
  account: AccountFacts | undefined;
  accountProblem?: string;
}

const CAPABILITIES = ['tokens:read', 'tokens:write', 'scopes:list'] as const;

/**
 * Before any write: retrieve the given token (the server answers, the token is the username's),
 * list the account (tokens:read; the ids there are never written to; the token's own scopes) and
 * the scopes (scopes:list). Reads the server's clock from `Date` when given.
 */
async function preflight(api: TokensApi, options: RunContractOptions, baseUrl: string): Promise<PreflightFacts> {
  const before = Date.now();
  const response = await api.retrieve(options.token);
  const after = Date.now();
  if (response.status >= 300 && response.status < 400) {
    const location = response.headers.get('location');
    throw new ServerUnreachableError(
      `GET ${baseUrl}${operationPath('retrieveToken', {})} answered ${response.status} redirecting to ${location ? api.redact(location) : '(no Location)'}: contract-test follows no redirects (the token would go along); give the origin that answers directly`,
    );
  }
  if (response.status === 429)
    throw new ServerUnreachableError(
      `GET ${baseUrl}${operationPath('retrieveToken', {})} answered only 429 Too Many Requests, retries included; try again later`,
    );
  const body = response.json as
    | { code?: unknown; token?: { user?: unknown; usage?: unknown; authorization?: unknown; scopes?: unknown } }
    | undefined;
  if (response.status === 200 && body?.code === 'TokenValid') {
    const user = body.token?.user;
    if (typeof user === 'string' && user !== options.username) {
      throw new ContractUsageError(`the token belongs to ${user}, not ${options.username}`);
    }
  } else if (response.status === 200 && typeof body?.code === 'string') {
    // A lying retrieve is a failure to report, but if listing refuses the token too, the token is the problem.
    const list = await api.list(options.token, [['limit', '1']]);
    if (list.status === 401)
      throw new ContractUsageError(`the server does not accept the token (retrieve says ${body.code}; listing answers 401)`);
  } else if (response.status === 404 && response.json === undefined) {
    const path = new URL(baseUrl).pathname;
    const hint =
      path !== '/' && path !== ''
        ? ` The base URL has a path (${path}): give the origin (${new URL(baseUrl).origin}) unless the API really lives under it.`
        : '';
    throw new ServerUnreachableError(
      `${baseUrl} does not look like a Tokens API (GET ${operationPath('retrieveToken', {})} answered 404 without JSON).${hint}`,
    );
  }
  const usage = typeof body?.token?.usage === 'string' ? body.token.usage : undefined;
  const decoded = decodeTokenString(options.token);
  const authorization =
    typeof body?.token?.authorization === 'string'
      ? body.token.authorization
      : typeof decoded?.claims['a'] === 'string'
        ? decoded.claims['a']
        : undefined;

  const missing = new Set<string>();
  let listedIds: string[] = [];
  let items: Record<string, unknown>[] | undefined;
  // A wrong listing or catalogue is the server's failure, reported by the checks that use the account.
  let accountProblem: string | undefined;
  const firstPage = await api.list(options.token, [['limit', '100']]);
  if (firstPage.status === 404 && firstPage.json !== undefined) missing.add('tokens:read');
  else {
    try {
      items = (await walkPages(api, options.token, [['limit', '100']], 25, firstPage)).items;
      listedIds = items.map((item) => item['id']).filter((id): id is string => typeof id === 'string');
    } catch (error) {
      if (!(error instanceof ContractAssertionError)) throw error;
      accountProblem = `listing the account failed: ${error.message}`;
    }
  }
  const scopesResponse = await api.scopes(options.token);
  if (scopesResponse.status === 404 && scopesResponse.json !== undefined) missing.add('scopes:list');
  else if (scopesResponse.status !== 200 || !Array.isArray(scopesResponse.json)) {
    accountProblem ??= `GET ${operationPath('listScopes', { username: options.username })} answered ${scopesResponse.status}${scopesResponse.jsonError ? ` (${scopesResponse.jsonError})` : ''}, not a JSON array of scopes`;
  }

  let masterScopes: string[] | undefined;
  const master = items?.find((item) => item['id'] === authorization);
  if (Array.isArray(master?.['scopes'])) masterScopes = master['scopes'] as string[];
  else if (usage === 'tk' && Array.isArray(body?.token?.scopes)) masterScopes = body.token.scopes as string[];
  else if (usage === 'tk' && Array.isArray(decoded?.claims['scopes'])) masterScopes = decoded.claims['scopes'] as string[];
  if (usage === 'pk') for (const capability of CAPABILITIES) missing.add(capability);
  else if (masterScopes) for (const capability of CAPABILITIES) if (!masterScopes.includes(capability)) missing.add(capability);

  let account: AccountFacts | undefined;
  if (items && scopesResponse.status === 200 && !missing.has('scopes:list')) {
    account = accountFacts(scopesResponse, items, masterScopes);
  }
  const date = Date.parse(response.headers.get('date') ?? '');
  let skewMs = 0;
  if (Number.isFinite(date)) {
    const skew = date - (before + after) / 2;
    // Date has whole seconds: ignore anything a rounding could explain.
    skewMs = Math.abs(skew) < 2000 ? 0 : skew;
  }
  const facts: PreflightFacts = {
    skewMs,
    listedIds,
    missing: CAPABILITIES.filter((capability) => missing.has(capability)),
    usage,
    account,
  };
  if (accountProblem !== undefined) facts.accountProblem = api.redact(accountProblem);
  return facts;
}

function missingMessage(facts: PreflightFacts): string {
  const what = facts.usage === 'pk' ? 'the token is a public (pk) token, so it' : 'the token';
  return `${what} lacks ${facts.missing.join(', ')}: contract-test needs a secret token with tokens:read, tokens:write and scopes:list (or pick checks that do not need them with --only)`;
}

function abortMessage(reason: unknown): string {
  return reason instanceof Error ? reason.message : typeof reason === 'string' ? reason : 'interrupted';
}

function formatSeconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}

export function newRunId(): string {
  const random = Array.from(crypto.getRandomValues(new Uint8Array(3)), (byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${new Date().toISOString().replace(/[-:]/g, '').slice(0, 15)}-${random}`;
}
