// The contract suite's mutation score: the suite is run in-process against a mock with one injected
// fault at a time; a fault is caught when the run fails with at least one of the checks that must
// catch it (test/faults/catching-checks.ts). `node scripts/mutation-score.ts` prints a Markdown
// table, and with `--write` puts it in docs/faults.md (exit code 1 when the faithful mock fails or a
// fault is not caught).
import { readFile, writeFile } from 'node:fs/promises';
import { runContract, type ContractReport, type RunContractOptions } from '../src/contract/index.ts';
import { createTokensMock, FAULTS, faultNames, SCOPE_CATALOGUE, type FaultName } from '../src/index.ts';
import { CATCHING_CHECKS } from '../test/faults/catching-checks.ts';
import { startServer } from '../src/server/index.ts';

/** How the suite reaches the mock: its in-process fetch, or HTTP to a loopback server serving it. */
export type FaultTransport = 'in-process' | 'http';

/** The second account of the runs (for `auth.other-user`). */
const OTHER_USERNAME = 'contract-other';

export interface FaultRun {
  /** undefined for the faithful mock. */
  fault: FaultName | undefined;
  report: ContractReport;
  /** Ids of failed checks. */
  failedChecks: string[];
  /** The failed checks that must catch the fault (test/faults/catching-checks.ts). */
  expectedFailures: string[];
  /** Failed with at least one expected check (always false for the faithful mock). */
  caught: boolean;
}

/** The one check that spends a window's whole quota (opt-in). */
const RATE_LIMIT_CHECK = 'rate-limit.enforced';

/**
 * Runs the whole suite, opt-in checks included, against fresh mocks with `fault`, as two runs at
 * once whose reports are merged: the rate-limit check against a mock with the documented limit of
 * 100 per window (the check sends no more than that, whatever a server advertises), in a short
 * window so it waits for its reset only briefly (yet long enough for its burst on a busy machine);
 * every other check against a mock whose limit is above the suite's own request count, so that
 * none of them meets a 429. (Unpaced, the suite sends more than 100 requests in a few seconds, and
 * after a 429 from a server that sends no rate-limit headers a client waits the documented minute.)
 */
export async function runAgainstFault(
  fault: FaultName | undefined,
  overrides: Partial<RunContractOptions> = {},
  transport: FaultTransport = 'in-process',
): Promise<FaultRun> {
  const includeRateLimit = overrides.includeRateLimit ?? true;
  const [rest, rateLimit] = await Promise.all([
    runSuite(fault, { ...overrides, includeRateLimit: false }, transport, { limit: 10_000, intervalSeconds: 60 }),
    includeRateLimit
      ? runSuite(fault, { ...overrides, only: [RATE_LIMIT_CHECK] }, transport, {
          limit: 100,
          intervalSeconds: transport === 'http' ? 5 : 3,
        })
      : undefined,
  ]);
  const report = rateLimit === undefined ? rest : mergeReports(rest, rateLimit);
  // Assertion failures only: a check that crashed (status `error`) did not name the broken behaviour.
  const failedChecks = report.results.filter((result) => result.status === 'failed').map((result) => result.id);
  const expected: readonly string[] = fault === undefined ? [] : CATCHING_CHECKS[fault];
  const expectedFailures = failedChecks.filter((id) => expected.includes(id));
  // A catalogue run holds 49 reports: keep each check's verdict, not every exchange it recorded
  // (the full reports of a run did not fit in one test worker's heap).
  const results = report.results.map(({ exchanges: _exchanges, ...verdict }) => ({ ...verdict, exchanges: [] }));
  return { fault, report: { ...report, results }, failedChecks, expectedFailures, caught: expectedFailures.length > 0 };
}

/** One run of the suite (or of `overrides.only`) against a fresh mock with `fault` and `rateLimit`. */
async function runSuite(
  fault: FaultName | undefined,
  overrides: Partial<RunContractOptions>,
  transport: FaultTransport,
  rateLimit: { limit: number; intervalSeconds: number },
): Promise<ContractReport> {
  const mock = createTokensMock({
    // Not the real API's origin, so that a Link pointing there (list-link-wrong-origin) is visible.
    baseUrl: 'http://tokens-mock.test',
    seed: 11,
    rateLimit,
    ...(fault === undefined ? {} : { faults: [fault] }),
  });
  const account = await mock.defaultAccount();
  const other = await mock.createAccount({ username: OTHER_USERNAME });
  const server = transport === 'http' ? await startServer({ mock, host: '127.0.0.1', port: 0, docsDir: false }) : undefined;
  return runContract({
    ...(server ? { baseUrl: server.url } : { baseUrl: mock.baseUrl, fetch: (request: Request) => mock.fetch(request) }),
    username: account.username,
    token: account.secretToken,
    pacing: false,
    otherUsername: OTHER_USERNAME,
    otherToken: other.secretToken,
    strictMessages: true,
    expirySeconds: 1,
    // The default account holds every scope of the catalogue.
    accountScopes: SCOPE_CATALOGUE.map((scope) => scope.id),
    includeDefaultToken: true,
    ...overrides,
  }).finally(() => server?.close());
}

/**
 * The two runs of one fault as one report: their checks, requests and cleanups together. The
 * other fields (coverage, default-token writes, the run id) are the first run's: no score reads them.
 */
function mergeReports(first: ContractReport, second: ContractReport): ContractReport {
  const summary = { ...first.summary };
  for (const key of Object.keys(summary) as (keyof typeof summary)[]) summary[key] += second.summary[key];
  return {
    ...first,
    durationMs: Math.max(first.durationMs, second.durationMs),
    requests: first.requests + second.requests,
    aborted: first.aborted || second.aborted,
    summary,
    results: [...first.results, ...second.results],
    cleanup: {
      deleted: first.cleanup.deleted + second.cleanup.deleted,
      failures: [...first.cleanup.failures, ...second.cleanup.failures],
      remaining: [...first.cleanup.remaining, ...second.cleanup.remaining],
      untouched: [...first.cleanup.untouched, ...second.cleanup.untouched],
      clean: first.cleanup.clean && second.cleanup.clean,
    },
  };
}

/** Runs at a time: each about 410 requests with every exchange recorded, so not all 49 at once (a worker's heap). */
const DEFAULT_CONCURRENCY = 4;

/** Every fault, `concurrency` runs at a time (they overlap: each mostly waits for a tk expiry or a rate-limit reset). */
export async function runAllFaults(concurrency = DEFAULT_CONCURRENCY, transport: FaultTransport = 'in-process'): Promise<FaultRun[]> {
  const runs: FaultRun[] = new Array(faultNames.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < faultNames.length) {
      const index = next++;
      runs[index] = await runAgainstFault(faultNames[index], {}, transport);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, faultNames.length) }, worker));
  return runs;
}

export interface MutationScore {
  caught: number;
  total: number;
  /** caught / total, 0..1. */
  score: number;
}

export function mutationScore(runs: readonly FaultRun[]): MutationScore {
  const faulty = runs.filter((run) => run.fault !== undefined);
  const caught = faulty.filter((run) => run.caught).length;
  return { caught, total: faulty.length, score: faulty.length === 0 ? 0 : caught / faulty.length };
}

export function formatScore(score: MutationScore): string {
  return `${score.caught}/${score.total} faults caught (${(score.score * 100).toFixed(1)}%)`;
}

/** docs/faults.md: the table sits between these markers (test/faults checks that it is fresh). */
export const faultsPage = new URL('../docs/faults.md', import.meta.url);
const TABLE_BLOCK = /(<!-- fault-table: [^\n]*-->\n)[\s\S]*?(<!-- \/fault-table -->)/;

/** The page with its table replaced by `table`; throws when the page has no markers. */
export function withFaultTable(page: string, table: string): string {
  if (!TABLE_BLOCK.test(page)) throw new Error('docs/faults.md has no <!-- fault-table --> markers');
  return page.replace(TABLE_BLOCK, (_block, open: string, close: string) => `${open}${table}\n${close}`);
}

/** The table docs/faults.md holds now (undefined without markers). */
export function faultTableOf(page: string): string | undefined {
  return TABLE_BLOCK.exec(page)?.[0]
    .replace(/^<!--[^\n]*\n/, '')
    .replace(/\n<!-- \/fault-table -->$/, '');
}

/** The docs/faults.md table: fault, operation, what it breaks, and the checks that caught it. */
export function renderMarkdown(runs: readonly FaultRun[]): string {
  // `docs/sources.md §2` in a fault's description becomes a link that works from docs/faults.md.
  const escapePipes = (text: string): string =>
    text
      .replace(/\|/g, '\\|')
      .replace(
        /docs\/sources\.md §(\d+(?:\.\d+)?)/g,
        (_citation, section: string) => `[sources §${section}](sources.md#s${section.replaceAll('.', '-')})`,
      );
  const lines = ['| Fault | Operation | Breaks | Caught by |', '|---|---|---|---|'];
  for (const run of runs) {
    if (run.fault === undefined) continue;
    const entry = FAULTS[run.fault];
    const caughtBy = run.caught ? run.expectedFailures.map((id) => `\`${id}\``).join(', ') : '**not caught**';
    lines.push(`| \`${run.fault}\` | ${entry.operation} | ${escapePipes(entry.breaks)} | ${caughtBy} |`);
  }
  lines.push('', `Mutation score: ${formatScore(mutationScore(runs))}.`);
  return lines.join('\n');
}

if (import.meta.main) {
  const faithful = await runAgainstFault(undefined);
  if (faithful.failedChecks.length > 0) {
    process.stderr.write(`the faithful mock fails ${faithful.failedChecks.join(', ')}: fix that first\n`);
    process.exitCode = 1;
  } else {
    const runs = await runAllFaults();
    const table = renderMarkdown(runs);
    if (process.argv.includes('--write')) {
      await writeFile(faultsPage, withFaultTable(await readFile(faultsPage, 'utf8'), table));
      process.stdout.write('wrote docs/faults.md\n');
    } else process.stdout.write(`${table}\n`);
    if (runs.some((run) => !run.caught)) process.exitCode = 1;
  }
}
