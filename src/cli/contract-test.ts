#!/usr/bin/env node
/**
 * contract-test: checks any real or fake Mapbox Tokens API server against the documented
 * behaviour. Exit 0 when every check passes, 1 when any fails, 2 for usage errors or an
 * unreachable server, 130 when interrupted (after cleaning up).
 */
import { writeFile } from 'node:fs/promises';
import { Command, CommanderError, Option } from 'commander';
import {
  ContractUsageError,
  ServerUnreachableError,
  createHumanProgress,
  listChecks,
  renderHuman,
  renderJson,
  renderJunit,
  runContract,
  type ContractReport,
  type RunContractOptions,
} from '../contract/index.ts';
import { redactText } from '../contract/redact.ts';
import { readPackageVersion } from '../server/package-paths.ts';
import { exitQuietlyWhenStdoutCloses } from './closed-stdout.ts';

const EXIT = { passed: 0, failed: 1, usage: 2, interrupted: 130 } as const;
const EMBEDDED_OTHER_USER = 'contract-other';

type Reporter = 'human' | 'json' | 'junit';

interface CliOptions {
  baseUrl?: string;
  username?: string;
  token?: string;
  otherUsername?: string;
  otherToken?: string;
  list?: boolean;
  only: string[];
  skip: string[];
  reporter: Reporter;
  output?: string;
  includeRateLimit?: boolean;
  includeDefaultToken?: boolean;
  strictMessages?: boolean;
  expirySeconds?: number;
  requestsPerMinute?: number;
}

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** SIGINT wiring; the default listens on the process. */
  onInterrupt?: (handler: () => void) => () => void;
}

function buildProgram(io: CliIo): Command {
  const collect = (value: string, previous: string[]): string[] => [...previous, ...value.split(',').map((item) => item.trim()).filter(Boolean)];
  return new Command('contract-test')
    .description('Check a Mapbox Tokens API server (real or fake) against the documented behaviour and error table.\nWithout --base-url it checks the embedded mock in-process.')
    .version(readPackageVersion())
    .addOption(new Option('--base-url <url>', 'base URL of the server to check').env('CONTRACT_BASE_URL'))
    .addOption(new Option('--username <name>', 'account username').env('MAPBOX_USERNAME'))
    .addOption(new Option('--token <token>', 'secret token with tokens:read, tokens:write, scopes:list').env('MAPBOX_ACCESS_TOKEN'))
    .option('--other-username <name>', 'another existing account (enables auth.other-user)')
    .addOption(new Option('--other-token <token>', "a secret token of --other-username with tokens:read and tokens:write (enables the checks on another account's token ids)").env('MAPBOX_OTHER_ACCESS_TOKEN'))
    .option('--list', 'list the checks (id, tags, conditions) and exit')
    .option('--only <ids|tags>', 'run only these checks (comma separated, repeatable)', collect, [])
    .option('--skip <ids|tags>', 'leave out these checks (comma separated, repeatable)', collect, [])
    .addOption(new Option('--reporter <name>', 'report format').choices(['human', 'json', 'junit']).default('human'))
    .option('--output <file>', 'write the report to a file instead of stdout')
    .option('--include-rate-limit', 'also run the rate-limit check (spends the whole per-minute quota)')
    .option('--include-default-token', "also run checks that send (refusable) writes to the account's default token")
    .option('--strict-messages', 'assert the exact message of rows whose wording is a mock choice')
    .addOption(new Option('--expiry-seconds <n>', 'lifetime of the expiry check\'s temporary token').argParser((value) => {
      const parsed = Number(value);
      if (!Number.isInteger(parsed) || parsed < 1 || parsed > 600) throw new CommanderError(EXIT.usage, 'contract-test.invalidArgument', '--expiry-seconds must be an integer from 1 to 600');
      return parsed;
    }))
    .addOption(new Option('--requests-per-minute <n>', "pacing: at most n requests in any minute (default 100, the documented limit; for an account whose limit Mapbox raised)").argParser((value) => {
      const parsed = Number(value);
      if (!Number.isInteger(parsed) || parsed < 1 || parsed > 100_000) throw new CommanderError(EXIT.usage, 'contract-test.invalidArgument', '--requests-per-minute must be an integer from 1 to 100000');
      return parsed;
    }))
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
}

/** Runs the CLI; resolves to the exit code (never calls process.exit itself). */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const program = buildProgram(io);
  let options: CliOptions;
  try {
    program.parse([...argv], { from: 'user' });
    options = program.opts<CliOptions>();
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.exitCode === 0 ? EXIT.passed : EXIT.usage;
    }
    throw error;
  }

  if (options.list) {
    const checks = listChecks();
    if (options.reporter === 'json') io.stdout(`${JSON.stringify(checks, null, 2)}\n`);
    else {
      for (const check of checks) {
        const extras = [check.tags.join(','), check.conditions.length ? `conditions: ${check.conditions.join(',')}` : '', check.optIn ? `opt-in: ${check.optIn}` : '']
          .filter(Boolean)
          .join('  ');
        io.stdout(`${check.id.padEnd(36)} ${check.description}\n${' '.repeat(37)}${extras}\n`);
      }
    }
    return EXIT.passed;
  }

  const abort = new AbortController();
  let interrupted = false;
  const subscribe = io.onInterrupt ?? defaultInterrupt;
  const unsubscribe = subscribe(() => {
    if (interrupted) return;
    interrupted = true;
    io.stderr('\ninterrupted: stopping checks and deleting the tokens this run created… (Ctrl-C again to exit without cleanup)\n');
    abort.abort(new Error('interrupted'));
  });

  try {
    const run = await prepareRun(options, io);
    const runOptions: RunContractOptions = {
      ...run,
      only: options.only,
      skip: options.skip,
      signal: abort.signal,
    };
    if (options.includeRateLimit) runOptions.includeRateLimit = true;
    if (options.includeDefaultToken) runOptions.includeDefaultToken = true;
    if (options.strictMessages) runOptions.strictMessages = true;
    if (options.otherUsername) runOptions.otherUsername = options.otherUsername;
    if (options.otherToken) runOptions.otherToken = options.otherToken;
    if (options.expirySeconds !== undefined) runOptions.expirySeconds = options.expirySeconds;
    // Burst 90 % of the rate, as the default (90 of 100) leaves headroom for the account's other clients.
    if (options.requestsPerMinute !== undefined && run.pacing !== false) {
      runOptions.pacing = { perMinute: options.requestsPerMinute, burst: Math.max(1, Math.floor(options.requestsPerMinute * 0.9)) };
    }
    if (options.reporter === 'human') runOptions.onProgress = createHumanProgress(io.stdout);
    const report = await runContract(runOptions);
    await writeReport(report, options, io);
    if (report.aborted || interrupted) return EXIT.interrupted;
    return report.summary.failed + report.summary.errors > 0 ? EXIT.failed : EXIT.passed;
  } catch (error) {
    if (error instanceof ContractUsageError || error instanceof ServerUnreachableError) {
      const secrets = [options.token, options.otherToken].filter((secret): secret is string => Boolean(secret));
      io.stderr(`contract-test: ${redactText(error.message, secrets)}\n`);
      return EXIT.usage;
    }
    throw error;
  } finally {
    unsubscribe();
  }
}

/** Real server from --base-url, or the embedded mock (in-process fetch) without it. */
async function prepareRun(options: CliOptions, io: CliIo): Promise<RunContractOptions> {
  if (options.baseUrl) {
    if (!options.username) throw new ContractUsageError('--username (or MAPBOX_USERNAME) is required with --base-url');
    if (!options.token) throw new ContractUsageError('--token (or MAPBOX_ACCESS_TOKEN) is required with --base-url');
    return { baseUrl: options.baseUrl, username: options.username, token: options.token, ...(options.otherToken ? { otherToken: options.otherToken } : {}) };
  }
  // The embedded mock is ours: exact messages, default-token checks, no pacing, a short
  // rate-limit window so --include-rate-limit does not wait a minute. Given credentials are not used.
  // Loaded only here: the mock (msw and friends) costs seconds of start-up that --base-url runs don't need.
  const { createTokensMock } = await import('../index.ts');
  // The window holds the whole suite's requests (about 220), so only rate-limit.enforced meets a 429.
  const mock = createTokensMock({ rateLimit: options.includeRateLimit ? { limit: 300, intervalSeconds: 5 } : { limit: 1000, intervalSeconds: 60 } });
  const account = await mock.defaultAccount();
  const other = await mock.createAccount({ username: EMBEDDED_OTHER_USER });
  if (options.reporter === 'human') io.stdout('no --base-url: checking the embedded mock in-process\n');
  return {
    baseUrl: mock.baseUrl,
    username: account.username,
    token: account.secretToken,
    fetch: (request) => mock.fetch(request),
    pacing: false,
    strictMessages: true,
    includeDefaultToken: true,
    otherUsername: options.otherUsername ?? EMBEDDED_OTHER_USER,
    ...(options.otherUsername ? {} : { otherToken: other.secretToken }),
  };
}

async function writeReport(report: ContractReport, options: CliOptions, io: CliIo): Promise<void> {
  const text = options.reporter === 'json' ? renderJson(report) : options.reporter === 'junit' ? renderJunit(report) : renderHuman(report);
  if (options.output) {
    await writeFile(options.output, text, 'utf8');
    if (options.reporter === 'human') io.stdout(text);
    else io.stdout(`contract-test: ${report.summary.passed}/${report.summary.total} passed; report written to ${options.output}\n`);
  } else {
    io.stdout(text);
  }
}

function defaultInterrupt(handler: () => void): () => void {
  let count = 0;
  const listener = (): void => {
    count += 1;
    if (count > 1) process.exit(EXIT.interrupted); // a second Ctrl-C skips the cleanup
    handler();
  };
  process.on('SIGINT', listener);
  return () => process.off('SIGINT', listener);
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (invokedDirectly || process.argv[1]?.endsWith('/contract-test')) {
  exitQuietlyWhenStdoutCloses();
  const io: CliIo = { stdout: (text) => process.stdout.write(text), stderr: (text) => process.stderr.write(text) };
  main(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`contract-test: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = EXIT.usage;
    },
  );
}
