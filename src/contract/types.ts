/** Public types of the contract suite (programmatic API, reporters, CLI). */

export type FetchLike = (request: Request) => Promise<Response>;

export type CheckStatus = 'passed' | 'failed' | 'error' | 'skipped';

/** One HTTP exchange as recorded for the report: secrets already redacted. */
export interface RecordedExchange {
  label?: string;
  request: { method: string; url: string; body?: string };
  response?: { status: number; headers: Record<string, string>; body: string };
  error?: string;
  durationMs: number;
  /** A curl command replaying the exchange, the given token as `$MAPBOX_ACCESS_TOKEN`. */
  replay?: string;
}

export interface CheckFailure {
  message: string;
  expected?: unknown;
  actual?: unknown;
}

export interface CheckResult {
  id: string;
  description: string;
  tags: readonly string[];
  conditions: readonly string[];
  documentation: string;
  status: CheckStatus;
  durationMs: number;
  failure?: CheckFailure;
  skipReason?: string;
  /** Exchanges of failed checks (and of every check with `recordAll`). */
  exchanges: RecordedExchange[];
}

export interface CheckSummary {
  id: string;
  description: string;
  tags: readonly string[];
  conditions: readonly string[];
  documentation: string;
  optIn?: string;
}

/** A token still on the account after cleanup, with why it is there. */
export interface RemainingToken {
  id: string;
  note: string;
  reason: string;
}

export interface CleanupReport {
  deleted: number;
  failures: { id: string; reason: string }[];
  /**
   * What the account still holds of this run after in-flight requests settled and cleanup listed
   * it again: tokens a DELETE did not remove, and tokens carrying this run's note that could not be
   * proven ours (never deleted on the note alone).
   */
  remaining: RemainingToken[];
  /** Ids a server answered wrongly about (e.g. a create naming another token): never written to. */
  untouched: { id: string; reason: string }[];
  /** False when the account could not be verified (listing failed, budget ran out) or tokens remain. */
  clean: boolean;
}

/** A write to the account's default token (opt-in checks): its state before, and whether it was restored. */
export interface DefaultTokenWrite {
  check: string;
  id: string;
  /** The server changed (or deleted) the default token. */
  changed: boolean;
  /** It is back as it was (true when nothing changed). */
  restored: boolean;
  message: string;
}

export interface ContractReport {
  tool: 'contract-test';
  runId: string;
  baseUrl: string;
  username: string;
  startedAt: string;
  durationMs: number;
  requests: number;
  aborted: boolean;
  /** Why the run stopped early: a signal, the deadline, a server answering only 429. */
  stopped?: string;
  /** What was checked when it is not a server of the user's (`the embedded mock (in-process)`). */
  target?: string;
  /** The run could not start (exit code 2): written by the CLI in the chosen report format. */
  error?: string;
  summary: { total: number; passed: number; failed: number; errors: number; skipped: number };
  results: CheckResult[];
  cleanup: CleanupReport;
  /** Opt-in writes to the default token and their restore (absent when none ran). */
  defaultToken?: DefaultTokenWrite[];
  /** The documented statements and conditions this run exercised (checks that reached a verdict). */
  coverage?: ReportCoverage;
}

export interface CoverageEntry {
  id: string;
  /** The checks that enforce it. */
  checks: string[];
  /** Whether one of those checks ran to a verdict (passed or failed) in this run. */
  exercised: boolean;
  /** Why a statement cannot be checked from outside (not counted as checkable). */
  reason?: string;
}

export interface ReportCoverage {
  statements: { total: number; checkable: number; exercised: number; entries: CoverageEntry[] };
  conditions: { total: number; exercised: number; entries: CoverageEntry[] };
}

export type ProgressEvent =
  | { type: 'run-start'; runId: string; baseUrl: string; total: number; ids: readonly string[]; target?: string }
  | { type: 'token-owned'; id: string; note: string | undefined }
  | { type: 'token-deleted'; id: string }
  | { type: 'check-start'; id: string }
  | { type: 'check-end'; result: CheckResult }
  | { type: 'cleanup-start'; pending: number }
  | { type: 'run-end'; report: ContractReport };

export interface RunContractOptions {
  /** Base URL of the Tokens API (a path prefix is allowed); default https://api.mapbox.com. */
  baseUrl?: string;
  username: string;
  /** A secret token of `username` holding tokens:read, tokens:write, scopes:list and some public scopes. */
  token: string;
  /** Transport; default globalThis.fetch. `mock.fetch` of createTokensMock runs the suite in-process. */
  fetch?: FetchLike;
  /** Check ids or tags to run (default all non-opt-in checks). */
  only?: readonly string[];
  /** Check ids or tags to leave out. */
  skip?: readonly string[];
  /** Runs the rate-limit check, which spends the account's whole per-minute quota. */
  includeRateLimit?: boolean;
  /**
   * Runs the checks that send (refusable) writes to the account's default token. Off by default: a
   * faulty server could change it. Its state is read first and restored (and verified) if a server
   * changed it; what could not be undone is in `report.defaultToken`.
   */
  includeDefaultToken?: boolean;
  /** An existing username other than `username` (for the `other-user` condition); the check is skipped without it. */
  otherUsername?: string;
  /** A secret token of `otherUsername` (with tokens:read and tokens:write): enables the checks on another account's token ids. */
  otherToken?: string;
  /**
   * The scopes the account has, when the caller knows them (an account it seeded in a mock, a plan's
   * documented scopes): `scopes.account-scopes` then checks that List scopes shows exactly these,
   * whatever the token holds. The check is skipped without it.
   */
  accountScopes?: readonly string[];
  /** Assert the exact `message` of rows whose source is a mock choice (default: status and a non-empty message). */
  strictMessages?: boolean;
  /** Client-side pacing; false turns it off (in-process mocks). Default 90 per minute (below the documented 100), burst 90. */
  pacing?: { perMinute?: number; burst?: number } | false;
  /** Seconds the expiry check's temporary token lives (default 3). */
  expirySeconds?: number;
  /** Record every exchange in the report, not only those of failed checks. */
  recordAll?: boolean;
  onProgress?: (event: ProgressEvent) => void;
  signal?: AbortSignal;
  /** Per-request timeout in ms, reading the body included (default 30 000). */
  timeoutMs?: number;
  /** Largest response body read, in bytes (default 10 MiB). */
  maxBodyBytes?: number;
  /** The whole run's deadline in ms (default 10 minutes); cleanup then still runs within `cleanupBudgetMs`. */
  deadlineMs?: number;
  /** Time cleanup may take after the checks (default 60 000 ms). */
  cleanupBudgetMs?: number;
  /** Names what is checked in reports when it is not `baseUrl` (the CLI: `the embedded mock (in-process)`). */
  target?: string;
}
