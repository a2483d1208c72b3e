import fc from 'fast-check';
import { operationPath } from '../../generated/api-tables.ts';
import { createTokensMockCore, type TokensMockCore } from '../../mock/tokens-mock-core.ts';
import type { FaultName } from '../../faults/catalogue.ts';
import { isKnownScope } from '../../model/scopes.ts';
import { documentedConditions } from '../document.ts';
import { ContractUsageError, ServerUnreachableError } from '../errors.ts';
import { walkPages } from '../preconditions.ts';
import { OwnedTokens } from '../owned-tokens.ts';
import { redactText, redactValue, SecretSet } from '../redact.ts';
import { cleanUp, DEFAULT_CLEANUP_BUDGET_MS, newRunId, validateOptions } from '../run-contract.ts';
import { abortableSleep } from '../sleep.ts';
import type { PacingOptions } from '../token-bucket.ts';
import { TokensApi } from '../tokens-api.ts';
import { Transport } from '../transport.ts';
import type { CleanupReport, FetchLike } from '../types.ts';
import { describeAction, type Action } from './actions.ts';
import { actionArbitraries, EXACT_EDGES, MARGIN_EDGES } from './arbitraries.ts';
import { BudgetExhausted, RequestBudget } from './budget.ts';
import type { Answer, CompareSettings } from './compare.ts';
import { Divergence, Inconclusive, LockstepSequence, type ExecutedStep, type SequenceEnvironment } from './lockstep.ts';
import { renderReplayScript } from './replay-script.ts';
import { ServerClock } from './server-clock.ts';

export interface ExploreOptions {
  /** A server to explore; without it, fresh embedded mocks (one per sequence) are the target. */
  baseUrl?: string;
  username?: string;
  token?: string;
  fetch?: FetchLike;
  /** Sequences to generate (shrinking replays come on top). Default 200 embedded, 10 against a server. */
  runs?: number;
  /** fast-check seed: the same seed generates the same sequences (and, embedded, the same answers). */
  seed?: number;
  /** Requests the run may send to a server, cleanup included. Default 90 (under the 100/min limit); none embedded. */
  maxRequests?: number;
  /** Steps per sequence at most (default 12). */
  maxSteps?: number;
  /** Client-side pacing as in the main run; default 100/min against a server, off embedded. */
  pacing?: PacingOptions | false;
  strictMessages?: boolean;
  /** Embedded run only: faults of the target mocks (the model never has any). */
  faults?: readonly FaultName[];
  /** False skips wait steps (against a server they sleep ~10 s each; the embedded run never sleeps). Default true. */
  waits?: boolean;
  /** Stop starting sequences after this many ms (default 10 minutes). */
  timeLimitMs?: number;
  /** Per-request timeout in ms, reading the body included (the main run's default). */
  timeoutMs?: number;
  /** Largest response body read, in bytes (the main run's default). */
  maxBodyBytes?: number;
  signal?: AbortSignal;
  onProgress?: (event: { type: 'sequence-end'; sequences: number; requests: number }) => void;
}

interface ExploreDivergence {
  /** The minimal sequence, one action per line, as fast-check shrank it. */
  sequence: string[];
  /** The steps that ran of it, with both answers. */
  steps: ExecutedStep[];
  /** The step that diverged. */
  step: ExecutedStep;
  replayScript: string;
  shrinks: number;
}

export interface ExploreReport {
  tool: 'contract-test --explore';
  runId: string;
  target: string;
  seed: number;
  /** Sequences run, shrinking replays included; `generated` counts the fresh ones. */
  sequences: { run: number; generated: number; completed: number; inconclusive: number };
  /** Requests sent to the target (cleanup included) and answered by the model. */
  /** Target requests = model requests + ownership proofs (a retrieve of each created token's string) + cleanup. */
  requests: { target: number; model: number; ownershipProofs: number; budget: number | null };
  steps: { run: number; skipped: number; tolerated: number };
  stopped: 'done' | 'divergence' | 'budget' | 'time' | 'aborted';
  divergence?: ExploreDivergence;
  cleanup: CleanupReport | { embedded: true };
  durationMs: number;
}

const EMBEDDED_BASE_URL = 'http://embedded.explore.test';
const EMBEDDED_START_MS = Date.UTC(2026, 0, 1);
const EMBEDDED_USERNAME = 'mockuser';
const DEFAULT_TIME_LIMIT_MS = 10 * 60_000;

class ActionCommand implements fc.AsyncCommand<object, LockstepSequence> {
  readonly action: Action;
  constructor(action: Action) {
    this.action = action;
  }
  check(): boolean {
    return true;
  }
  async run(_model: object, sequence: LockstepSequence): Promise<void> {
    await sequence.run(this.action);
  }
  toString(): string {
    return describeAction(this.action);
  }
}

/**
 * Explores a Tokens API server (or the embedded mock) with random operation sequences, each
 * judged step by step against a fresh model account. Never throws for a divergence (it is in the
 * report); throws ContractUsageError or ServerUnreachableError before exploring.
 */
export async function exploreContract(options: ExploreOptions = {}): Promise<ExploreReport> {
  const started = Date.now();
  const embedded = options.baseUrl === undefined;
  const seed = options.seed ?? Math.floor(Math.random() * 2 ** 31);
  const runs = options.runs ?? (embedded ? 200 : 10);
  const budgetLimit = options.maxRequests ?? (embedded ? undefined : 90);
  if (!Number.isInteger(runs) || runs < 1) throw new ContractUsageError('--runs must be a positive integer');
  if (budgetLimit !== undefined && (!Number.isInteger(budgetLimit) || budgetLimit < 10))
    throw new ContractUsageError('--max-requests must be an integer of at least 10');
  const runId = newRunId();
  const deadline = started + (options.timeLimitMs ?? DEFAULT_TIME_LIMIT_MS);
  const conditions = documentedConditions();

  // ---- the target: a server through the main run's Transport, or an embedded mock per sequence ----
  let current: TokensMockCore | undefined;
  let virtualNow = EMBEDDED_START_MS;
  const secrets = new SecretSet(options.token ? [options.token] : []);
  // The main run's checks of the options (the same messages).
  const baseUrl = embedded
    ? EMBEDDED_BASE_URL
    : validateOptions({ baseUrl: options.baseUrl, username: options.username ?? '', token: options.token ?? '' });
  // The main run's transport guarantees: one origin, no redirects, capped bodies, a real timeout.
  const transport = new Transport({
    fetch: embedded ? (request) => current!.fetch(request) : (options.fetch ?? ((request) => globalThis.fetch(request))),
    pacing: options.pacing ?? (embedded ? false : {}),
    secrets,
    origin: new URL(baseUrl).origin,
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.maxBodyBytes !== undefined ? { maxBodyBytes: options.maxBodyBytes } : {}),
  });
  const username = embedded ? EMBEDDED_USERNAME : options.username!;
  const masterToken = embedded ? '' : options.token!;
  let owned = new OwnedTokens(runId);
  const apiFor = (tokens: OwnedTokens): TokensApi =>
    new TokensApi({ transport, baseUrl, username, owned: tokens, exchanges: [], ...(options.signal ? { signal: options.signal } : {}) });
  let api = apiFor(owned);
  // Cleanup runs after an interruption too: its client does not listen to the run's signal.
  const cleanupApi = (): TokensApi => new TokensApi({ transport, baseUrl, username, owned, exchanges: [] });
  let budget: RequestBudget | undefined;

  const compare: CompareSettings = {
    timeToleranceMs: embedded ? 0 : 5_000,
    strictMessages: options.strictMessages ?? embedded,
    conditions,
    comparableListings: true,
  };
  let preflightDate = { header: null as string | null, sentAt: 0, receivedAt: 0 };
  let masterId: string | undefined;
  let rateLimit = { limit: 100, intervalSeconds: 60 };
  let accountScopes: string[] | undefined;
  if (!embedded) {
    let listedIds: string[];
    ({
      date: preflightDate,
      masterId,
      rateLimit,
      comparable: compare.comparableListings,
      accountScopes,
      listedIds,
    } = await preflight(api, masterToken, username, baseUrl));
    // Tokens on the account before the run are never written to, whatever a create answer claims.
    owned.markPreexisting(listedIds);
  }
  if (budgetLimit !== undefined)
    budget = new RequestBudget(
      budgetLimit,
      () => transport.requestCount,
      () => owned.pending().length,
    );
  const serverClock = new ServerClock();
  if (!embedded) serverClock.observeDate(preflightDate.header, preflightDate.sentAt, preflightDate.receivedAt);
  const observe = (answer: Answer, sentAt: number, receivedAt: number): void => {
    if (embedded) return;
    serverClock.observeDate(answer.headers['date'], sentAt, receivedAt);
    const issuedAt = (answer.json as { issued_at?: unknown } | undefined)?.issued_at;
    if (answer.status === 200 && typeof issuedAt === 'string') serverClock.observeIssuedAt(Date.parse(issuedAt) / 1000, sentAt, receivedAt);
  };

  let modelCount = 0;
  const stats = {
    run: 0,
    generated: 0,
    completed: 0,
    inconclusive: 0,
    steps: 0,
    skipped: 0,
    tolerated: 0,
    modelRequests: 0,
    ownershipProofs: 0,
  };
  let stopped: ExploreReport['stopped'] = 'done';
  let fatal: unknown;
  let lastFailure: { steps: ExecutedStep[]; step: ExecutedStep } | undefined;

  const newSequence = async (): Promise<{ sequence: LockstepSequence; model: TokensMockCore }> => {
    modelCount += 1;
    const clock = embedded ? () => virtualNow : () => serverClock.now();
    if (embedded) {
      virtualNow = EMBEDDED_START_MS;
      current = createTokensMockCore({
        baseUrl,
        seed: seed ^ 0x5eed,
        clock,
        accounts: [{ username }],
        faults: [...(options.faults ?? [])],
      });
      owned = new OwnedTokens(runId);
    }
    // A client per sequence: its record of exchanges lives as long as the sequence.
    api = apiFor(owned);
    const model = createTokensMockCore({
      baseUrl,
      seed: seed + modelCount,
      clock,
      accounts: [{ username, ...(accountScopes ? { scopes: accountScopes } : {}) }],
      rateLimit,
    });
    const [modelAccount, targetAccount] = await Promise.all([model.defaultAccount(), embedded ? current!.defaultAccount() : undefined]);
    const env: SequenceEnvironment = {
      api,
      owned,
      username,
      masterToken: targetAccount?.secretToken ?? masterToken,
      masterId: targetAccount?.secretTokenId ?? masterId,
      model,
      modelMasterToken: modelAccount.secretToken,
      modelMasterId: modelAccount.secretTokenId,
      now: clock,
      wait:
        options.waits === false
          ? undefined
          : async (ms, signal) => {
              if (embedded) virtualNow += ms;
              else await abortableSleep(ms, signal);
            },
      compare,
      observe,
      expiryMarginMs: embedded ? 0 : 3_000,
      beforeRequest: () => budget?.beforeRequest(),
      ...(options.signal ? { signal: options.signal } : {}),
    };
    return { sequence: new LockstepSequence(env), model };
  };

  // Every token the run still owns, not only this sequence's: a token only the target created (a
  // divergence) must not stay in the account for the next sequence's fresh model to trip over.
  const teardown = async (): Promise<void> => {
    if (embedded) return;
    for (const pending of owned.pending()) {
      try {
        const response = await cleanupApi().remove(masterToken, pending.id);
        if (response.status === 429) break;
      } catch {
        // The run's cleanup retries whatever is still owned.
        break;
      }
    }
  };

  const shouldStop = (): boolean => {
    if (options.signal?.aborted) stopped = 'aborted';
    else if (Date.now() > deadline && stopped === 'done') stopped = 'time';
    return stopped !== 'done' && stopped !== 'divergence' ? true : fatal !== undefined;
  };

  const property = fc.asyncProperty(
    fc.commands(
      actionArbitraries(embedded ? EXACT_EDGES : MARGIN_EDGES).map((arbitrary) => arbitrary.map((action) => new ActionCommand(action))),
      { maxCommands: options.maxSteps ?? (embedded ? 20 : 12), size: 'max' },
    ),
    async (commands) => {
      if (shouldStop()) return;
      stats.run += 1;
      // Before the first divergence every run is a fresh sequence; after it, fast-check is shrinking.
      if (stopped !== 'divergence') stats.generated += 1;
      const { sequence } = await newSequence();
      try {
        await fc.asyncModelRun(() => ({ model: {}, real: sequence }), commands);
        stats.completed += 1;
      } catch (error) {
        if (error instanceof Divergence) {
          stopped = 'divergence';
          lastFailure = { steps: [...sequence.steps], step: error.step };
          throw error;
        }
        if (error instanceof BudgetExhausted) stopped = stopped === 'divergence' ? stopped : 'budget';
        else if (error instanceof Inconclusive) stats.inconclusive += 1;
        else if (options.signal?.aborted) stopped = 'aborted';
        else fatal = error;
      } finally {
        stats.steps += sequence.steps.length;
        stats.skipped += sequence.skipped;
        stats.tolerated += sequence.toleratedCount;
        stats.modelRequests += sequence.steps.filter((step) => step.request.wait === undefined).length;
        stats.ownershipProofs += api.proofRequests;
        await teardown();
        options.onProgress?.({ type: 'sequence-end', sequences: stats.run, requests: transport.requestCount });
      }
    },
  );
  const result = await fc.check(property, {
    numRuns: runs,
    seed,
    interruptAfterTimeLimit: Math.max(1, deadline - Date.now()),
    markInterruptAsFailure: false,
  });
  if (result.interrupted && stopped === 'done') stopped = 'time';
  let divergence: ExploreDivergence | undefined;
  if (result.failed && lastFailure !== undefined) {
    const commands = result.counterexample?.[0] as Iterable<ActionCommand> | undefined;
    const sequence = commands ? [...commands].map((command) => command.toString()) : lastFailure.steps.map((step) => step.description);
    const safe = redactValue(lastFailure, secrets);
    divergence = {
      sequence,
      steps: safe.steps,
      step: safe.step,
      // From the unredacted steps (it names tokens by variables only); the answers it echoes are redacted.
      replayScript: renderReplayScript(lastFailure.steps, lastFailure.step, seed, (text) => redactText(text, secrets)),
      shrinks: result.numShrinks,
    };
    stopped = 'divergence';
  }

  const cleanup: ExploreReport['cleanup'] = embedded
    ? { embedded: true }
    : await cleanUp({ api: cleanupApi(), transport, owned, token: masterToken, signal: AbortSignal.timeout(DEFAULT_CLEANUP_BUDGET_MS) });
  // An error that is not the server's answer (unreachable, refused token, a bug) ends the run after cleanup.
  if (fatal !== undefined && stopped === 'done') throw fatal;
  return {
    tool: 'contract-test --explore',
    runId,
    target: embedded ? `embedded mock${options.faults?.length ? ` with faults ${options.faults.join(', ')}` : ''}` : baseUrl,
    seed,
    sequences: { run: stats.run, generated: stats.generated, completed: stats.completed, inconclusive: stats.inconclusive },
    requests: {
      target: transport.requestCount,
      model: stats.modelRequests,
      ownershipProofs: stats.ownershipProofs,
      budget: budgetLimit ?? null,
    },
    steps: { run: stats.steps, skipped: stats.skipped, tolerated: stats.tolerated },
    stopped,
    ...(divergence ? { divergence } : {}),
    cleanup,
    durationMs: Date.now() - started,
  };
}

/**
 * What the model must know of the server before exploring: the run token's id and validity, the
 * server's clock, its announced rate limit, and whether the account holds only its default and
 * master tokens (then listings are compared page by page, else on this run's tokens only).
 */
async function preflight(
  api: TokensApi,
  token: string,
  username: string,
  baseUrl: string,
): Promise<{
  date: { header: string | null; sentAt: number; receivedAt: number };
  masterId: string | undefined;
  rateLimit: { limit: number; intervalSeconds: number };
  comparable: boolean;
  accountScopes: string[] | undefined;
  listedIds: string[];
}> {
  const before = Date.now();
  const retrieved = await api.retrieve(token);
  const after = Date.now();
  const body = retrieved.json as { code?: unknown; token?: { user?: unknown; authorization?: unknown } } | undefined;
  if (retrieved.status === 404 && retrieved.json === undefined)
    throw new ServerUnreachableError(
      `${baseUrl} does not look like a Tokens API (GET ${operationPath('retrieveToken', {})} answered 404 without JSON)`,
    );
  if (body?.code !== 'TokenValid')
    throw new ContractUsageError(`the server does not accept the token (retrieve says ${String(body?.code ?? retrieved.status)})`);
  if (typeof body.token?.user === 'string' && body.token.user !== username)
    throw new ContractUsageError(`the token belongs to ${body.token.user}, not ${username}`);
  let listed: Awaited<ReturnType<typeof walkPages>>;
  try {
    listed = await walkPages(api, token, [['limit', '100']], 5);
  } catch (error) {
    throw new ContractUsageError(`listing the account failed before exploring: ${error instanceof Error ? error.message : String(error)}`);
  }
  const headers = listed.responses[0]!.headers;
  const limit = Number(headers.get('x-rate-limit-limit'));
  const interval = Number(headers.get('x-rate-limit-interval'));
  const masterId = typeof body.token?.authorization === 'string' ? body.token.authorization : undefined;
  const others = listed.items.filter((item) => item['id'] !== masterId && item['default'] !== true);
  // The model's account holds the scopes the server lists for the account (the ones the model knows).
  const scopes = await api.scopes(token);
  const listedScopes = Array.isArray(scopes.json)
    ? (scopes.json as { id?: unknown }[]).map((scope) => scope.id).filter((id): id is string => typeof id === 'string' && isKnownScope(id))
    : [];
  return {
    accountScopes: scopes.status === 200 && listedScopes.length > 0 ? listedScopes : undefined,
    date: { header: retrieved.headers.get('date'), sentAt: before, receivedAt: after },
    masterId,
    rateLimit: {
      limit: Number.isInteger(limit) && limit > 0 ? limit : 100,
      intervalSeconds: Number.isInteger(interval) && interval > 0 ? interval : 60,
    },
    comparable: others.length === 0 && listed.items.length === 2,
    listedIds: listed.items.map((item) => item['id']).filter((id): id is string => typeof id === 'string'),
  };
}
