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

export interface CleanupReport {
  deleted: number;
  failures: { id: string; reason: string }[];
  /** Tokens of this run still listed after cleanup (a server that answers DELETE without deleting). */
  remaining: string[];
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
  summary: { total: number; passed: number; failed: number; errors: number; skipped: number };
  results: CheckResult[];
  cleanup: CleanupReport;
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
  | { type: 'run-start'; runId: string; baseUrl: string; total: number }
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
  /** Runs the checks that send (refusable) writes to the account's default token. Off by default: a faulty server could change it. */
  includeDefaultToken?: boolean;
  /** An existing username other than `username` (for the `other-user` condition); the check is skipped without it. */
  otherUsername?: string;
  /** A secret token of `otherUsername` (with tokens:read and tokens:write): enables the checks on another account's token ids. */
  otherToken?: string;
  /** Assert the exact `message` of rows whose source is a mock choice (default: status and a non-empty message). */
  strictMessages?: boolean;
  /** Client-side pacing; false turns it off (in-process mocks). Default 100 per minute, burst 90. */
  pacing?: { perMinute?: number; burst?: number } | false;
  /** Seconds the expiry check's temporary token lives (default 3). */
  expirySeconds?: number;
  /** Record every exchange in the report, not only those of failed checks. */
  recordAll?: boolean;
  onProgress?: (event: ProgressEvent) => void;
  signal?: AbortSignal;
}
