#!/usr/bin/env node
/**
 * contract-test: checks any real or fake Mapbox Tokens API server against the documented
 * behaviour. Exit codes are listed in EXIT_CODES_HELP (shown by --help).
 */
import { writeFile } from 'node:fs/promises';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import {
  ContractUsageError,
  ServerUnreachableError,
  createHumanProgress,
  errorReport,
  listChecks,
  renderHuman,
  renderJson,
  renderJunit,
  runContract,
  type ContractReport,
  type ProgressEvent,
  type RunContractOptions,
} from '../contract/index.ts';
import { redactText } from '../contract/redact.ts';
import { readPackageVersion } from '../server/package-paths.ts';
import { exitQuietlyWhenStdoutCloses } from './closed-stdout.ts';

const EXIT = { passed: 0, failed: 1, usage: 2, accountChanged: 3 } as const;
/** 128 + the signal number, as shells report a process ended by it (after cleanup and the report). */
const SIGNAL_EXIT: Record<string, number> = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 };
const EXIT_CODES_HELP =
  'Exit codes: 0 every check passed; 1 a check failed or errored, or the run stopped early (deadline, only 429);\n' +
  '2 bad option, unreachable server, or a token lacking tokens:read, tokens:write or scopes:list;\n' +
  '3 the account was left changed (tokens of the run remain, or the default token was not restored);\n' +
  '129, 130, 143 stopped by SIGHUP, SIGINT, SIGTERM (after cleanup and the report).';
const EMBEDDED_OTHER_USER = 'contract-other';
const EMBEDDED_TARGET = 'the embedded mock (in-process)';

type Reporter = 'human' | 'json' | 'junit';

interface CliOptions {
  baseUrl?: string;
  username?: string;
  token?: string;
  otherUsername?: string;
  otherToken?: string;
  list?: boolean;
  only?: string[];
  skip?: string[];
  reporter: Reporter;
  output?: string;
  includeRateLimit?: boolean;
  includeDefaultToken?: boolean;
  strictMessages?: boolean;
  expirySeconds?: number;
  timeout: number;
  deadline: number;
  maxBody: number;
  quiet?: boolean;
  explore?: boolean;
  runs?: number;
  seed?: number;
  maxRequests?: number;
  replayScript?: string;
  requestsPerMinute?: number;
}

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Signal wiring (SIGINT, SIGTERM, SIGHUP); the default listens on the process. */
  onInterrupt?: (handler: (signal: string) => void) => () => void;
  /** Ends the process at once (a second signal); the default is process.exit. */
  exitNow?: (code: number) => void;
  /** Whether stdout is a terminal (progress is then one line rewritten in place). */
  isTTY?: boolean;
}

function buildProgram(io: CliIo): Command {
  const collect = (value: string, previous: string[] | undefined): string[] => [
    ...(previous ?? []),
    ...value
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean),
  ];
  const positive =
    (name: string, max: number) =>
    (value: string): number => {
      const parsed = Number(value);
      if (!Number.isFinite(parsed) || parsed <= 0 || parsed > max)
        throw new CommanderError(
          EXIT.usage,
          'contract-test.invalidArgument',
          `${name} must be a number of seconds from 0 to ${max}, got ${value}`,
        );
      return parsed;
    };
  return new Command('contract-test')
    .description(
      'Check a Mapbox Tokens API server (real or fake) against the documented behaviour and error table.\nWithout --base-url it checks the embedded mock in-process.',
    )
    .version(readPackageVersion(), '-V, --version', 'print the version and exit')
    .helpOption('-h, --help', 'print this help and exit')
    .addOption(new Option('--base-url <url>', 'origin of the server to check, e.g. https://api.mapbox.com').env('CONTRACT_BASE_URL'))
    .addOption(new Option('--username <name>', 'account username').env('MAPBOX_USERNAME'))
    .addOption(new Option('--token <token>', 'secret token with tokens:read, tokens:write, scopes:list').env('MAPBOX_ACCESS_TOKEN'))
    .option('--other-username <name>', 'another existing account (enables auth.other-user)')
    .addOption(
      new Option(
        '--other-token <token>',
        "a secret token of --other-username with tokens:read and tokens:write (enables the checks on another account's token ids)",
      ).env('MAPBOX_OTHER_ACCESS_TOKEN'),
    )
    .option('--list', 'list the checks (id, tags, conditions) and exit')
    .option('--only <ids|tags>', 'run only these checks (comma separated, repeatable)', collect)
    .option('--skip <ids|tags>', 'leave out these checks (comma separated, repeatable)', collect)
    .addOption(new Option('--reporter <name>', 'report format').choices(['human', 'json', 'junit']).default('human'))
    .option('--output <file>', 'write the report to a file instead of stdout')
    .option('--include-rate-limit', 'also run the rate-limit check (spends the whole per-minute quota)')
    .option(
      '--include-default-token',
      "also run checks that send (refusable) writes to the account's default token; it is restored if a server accepts them, but a wrongly accepted delete cannot be undone",
    )
    .option('--strict-messages', 'assert the exact message of rows whose wording is a mock choice')
    .addOption(
      new Option('--expiry-seconds <n>', "lifetime of the expiry check's temporary token").argParser((value) => {
        const parsed = Number(value);
        if (!Number.isInteger(parsed) || parsed < 1 || parsed > 600)
          throw new CommanderError(EXIT.usage, 'contract-test.invalidArgument', '--expiry-seconds must be an integer from 1 to 600');
        return parsed;
      }),
    )
    .option('--explore', 'explore random operation sequences, judged step by step against the model (docs/explore.md)')
    .addOption(
      new Option('--runs <n>', 'with --explore: sequences to generate (default 200 embedded, 10 with --base-url)').argParser(
        positiveInteger('--runs', 1),
      ),
    )
    .addOption(
      new Option('--seed <n>', 'with --explore: seed of the generator; the same seed replays a run').argParser(
        positiveInteger('--seed', 0),
      ),
    )
    .addOption(
      new Option(
        '--max-requests <n>',
        'with --explore: requests the run may send, cleanup included (default 90 with --base-url)',
      ).argParser(positiveInteger('--max-requests', 10)),
    )
    .option(
      '--replay-script <file>',
      'with --explore: where to write the replay script of a divergence (default contract-explore-<seed>.sh)',
    )
    .addOption(
      new Option('--timeout <seconds>', 'per-request timeout, reading the body included').default(30).argParser(positive('--timeout', 600)),
    )
    .addOption(
      new Option('--deadline <seconds>', 'deadline of the whole run; cleanup then still runs (at most 60 s)')
        .default(600)
        .argParser(positive('--deadline', 86_400)),
    )
    .addOption(
      new Option('--max-body <size>', 'largest response body read (bytes, or with KiB/MiB)')
        .default(10 * 1024 * 1024, '10MiB')
        .argParser(parseSize),
    )
    .option('-q, --quiet', 'no progress (the report and errors only)')
    .addHelpText('after', `\n${EXIT_CODES_HELP}`)
    .addOption(
      new Option(
        '--requests-per-minute <n>',
        'pacing: at most n requests in any minute (default 90, below the documented limit of 100; raise it for an account whose limit Mapbox raised)',
      ).argParser((value) => {
        const parsed = Number(value);
        if (!Number.isInteger(parsed) || parsed < 1 || parsed > 100_000)
          throw new CommanderError(
            EXIT.usage,
            'contract-test.invalidArgument',
            '--requests-per-minute must be an integer from 1 to 100000',
          );
        return parsed;
      }),
    )
    .exitOverride()
    .configureOutput({
      writeOut: io.stdout,
      writeErr: io.stderr,
      outputError: (text, write) => write(`contract-test: ${text.replace(/^error: /, '')}`),
    });
}

function parseSize(value: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(B|KiB|MiB|GiB)?$/i.exec(value.trim());
  const units: Record<string, number> = { b: 1, kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3 };
  const bytes = match ? Math.floor(Number(match[1]) * units[(match[2] ?? 'b').toLowerCase()]!) : Number.NaN;
  if (!Number.isFinite(bytes) || bytes < 1)
    throw new CommanderError(
      EXIT.usage,
      'contract-test.invalidArgument',
      `--max-body must be a size such as 1048576, 512KiB or 10MiB, got ${value}`,
    );
  return bytes;
}

/** Runs the CLI; resolves to the exit code (never calls process.exit itself, except on a second signal). */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const program = buildProgram(io);
  let options: CliOptions;
  try {
    program.parse([...argv], { from: 'user' });
    options = program.opts<CliOptions>();
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.exitCode === 0
        ? EXIT.passed
        : EXIT.usage;
    }
    throw error;
  }

  if (options.list) {
    const checks = listChecks();
    if (options.reporter === 'json') io.stdout(`${JSON.stringify(checks, null, 2)}\n`);
    else {
      for (const check of checks) {
        const extras = [
          check.tags.join(','),
          check.conditions.length ? `conditions: ${check.conditions.join(',')}` : '',
          check.optIn ? `opt-in: ${check.optIn}` : '',
        ]
          .filter(Boolean)
          .join('  ');
        io.stdout(`${check.id.padEnd(36)} ${check.description}\n${' '.repeat(37)}${extras}\n`);
      }
    }
    return EXIT.passed;
  }

  const abort = new AbortController();
  let signalled: string | undefined;
  // What the run created and has not deleted yet: a second signal reports it before exiting.
  const leftovers = new Map<string, string>();
  const subscribe = io.onInterrupt ?? defaultInterrupt;
  const unsubscribe = subscribe((signal) => {
    if (signalled !== undefined) {
      const code = SIGNAL_EXIT[signal] ?? SIGNAL_EXIT['SIGINT']!;
      const left = [...leftovers].map(([id, note]) => `  ${id} (note ${JSON.stringify(note)})`);
      io.stderr(
        `\n${signal} again: exiting without cleanup. ${left.length === 0 ? 'No token of this run is known to be left.' : `Left on the account (delete them by hand):\n${left.join('\n')}`}\n`,
      );
      (io.exitNow ?? ((exitCode: number) => process.exit(exitCode)))(code);
      return;
    }
    signalled = signal;
    io.stderr(`\n${signal}: stopping checks and deleting the tokens this run created… (${signal} again to exit without cleanup)\n`);
    abort.abort(new Error(`interrupted by ${signal}`));
  });

  try {
    if (options.explore) {
      const { runExploreCli } = await import('./contract-explore.ts');
      return await runExploreCli(options, io, abort.signal);
    }
    const run = await prepareRun(options, io);
    const runOptions: RunContractOptions = {
      ...run,
      signal: abort.signal,
      timeoutMs: options.timeout * 1000,
      deadlineMs: options.deadline * 1000,
      maxBodyBytes: options.maxBody,
    };
    if (options.only) runOptions.only = options.only;
    if (options.skip) runOptions.skip = options.skip;
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
    // Progress goes to stdout unless stdout carries a JSON or JUnit report.
    const progressOut = options.reporter === 'human' || options.output ? io.stdout : io.stderr;
    const progress = options.quiet ? undefined : createHumanProgress(progressOut, { tty: io.isTTY === true && progressOut === io.stdout });
    runOptions.onProgress = (event: ProgressEvent) => {
      if (event.type === 'token-owned') leftovers.set(event.id, event.note ?? '');
      if (event.type === 'token-deleted') leftovers.delete(event.id);
      progress?.(event);
    };
    const report = await runContract(runOptions);
    await writeReport(report, options, io);
    if (report.stopped !== undefined) io.stderr(`contract-test: stopped early: ${report.stopped}\n`);
    if (signalled !== undefined) return SIGNAL_EXIT[signalled] ?? SIGNAL_EXIT['SIGINT']!;
    const defaultTokenHarmed = (report.defaultToken ?? []).some((write) => write.changed && !write.restored);
    if (defaultTokenHarmed || !report.cleanup.clean) return EXIT.accountChanged;
    return report.summary.failed + report.summary.errors > 0 || report.stopped !== undefined ? EXIT.failed : EXIT.passed;
  } catch (error) {
    const known = error instanceof ContractUsageError || error instanceof ServerUnreachableError;
    const secrets = [options.token, options.otherToken].filter((secret): secret is string => Boolean(secret));
    const message = redactText(
      error instanceof Error ? (known ? error.message : `unexpected error: ${error.message}`) : String(error),
      secrets,
    );
    // CI publishers show nothing without a file: JSON and JUnit still get one (a single errored case).
    if (options.reporter !== 'human') {
      await writeReport(
        errorReport(message, {
          ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
          ...(options.username ? { username: options.username } : {}),
        }),
        options,
        io,
      ).catch(() => undefined);
    }
    // An unexpected error (a bug) is printed with its stack, redacted like everything else.
    io.stderr(
      `contract-test: ${known || !(error instanceof Error) ? message : redactText(`unexpected error: ${error.stack ?? error.message}`, secrets)}\n`,
    );
    // Interrupted before any check ran: nothing was created, the signal decides the exit code.
    if (signalled !== undefined) return SIGNAL_EXIT[signalled] ?? SIGNAL_EXIT['SIGINT']!;
    return EXIT.usage;
  } finally {
    unsubscribe();
  }
}

/** Real server from --base-url, or the embedded mock (in-process fetch) without it. */
async function prepareRun(options: CliOptions, io: CliIo): Promise<RunContractOptions> {
  if (options.baseUrl) {
    if (!options.username) throw new ContractUsageError('--username (or MAPBOX_USERNAME) is required with --base-url');
    if (!options.token) throw new ContractUsageError('--token (or MAPBOX_ACCESS_TOKEN) is required with --base-url');
    return {
      baseUrl: options.baseUrl,
      username: options.username,
      token: options.token,
      ...(options.otherToken ? { otherToken: options.otherToken } : {}),
    };
  }
  // The embedded mock is ours: exact messages, default-token checks, no pacing, a short
  // rate-limit window so --include-rate-limit does not wait a minute. Given credentials are not used.
  // Loaded only here: the mock (msw and friends) costs seconds of start-up that --base-url runs don't need.
  // A token in the environment is for a real server: say it is not used here.
  if (process.env['MAPBOX_ACCESS_TOKEN']) {
    io.stderr(
      `contract-test: MAPBOX_ACCESS_TOKEN is set but not used: without --base-url (or CONTRACT_BASE_URL) this checks ${EMBEDDED_TARGET}\n`,
    );
  }
  const { createTokensMock, SCOPE_CATALOGUE } = await import('../index.ts');
  // Without --include-rate-limit the window holds the whole suite's requests (about 220). With it the
  // limit is the documented 100 (the rate-limit check sends no more than that), in a 5 s window.
  const mock = createTokensMock({
    rateLimit: options.includeRateLimit ? { limit: 100, intervalSeconds: 5 } : { limit: 1000, intervalSeconds: 60 },
  });
  const account = await mock.defaultAccount();
  const other = await mock.createAccount({ username: EMBEDDED_OTHER_USER });
  if (options.reporter === 'human' && !options.quiet) io.stdout(`no --base-url: checking ${EMBEDDED_TARGET}\n`);
  return {
    target: EMBEDDED_TARGET,
    baseUrl: mock.baseUrl,
    username: account.username,
    token: account.secretToken,
    fetch: (request) => mock.fetch(request),
    pacing: false,
    strictMessages: true,
    includeDefaultToken: true,
    // The mock's default account has every scope of the catalogue (no fixtures narrow it here).
    accountScopes: SCOPE_CATALOGUE.map((scope) => scope.id),
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

function positiveInteger(flag: string, min: number): (value: string) => number {
  return (value) => {
    const parsed = Number(value);
    if (!Number.isSafeInteger(parsed) || parsed < min) throw new InvalidArgumentError(`${flag} must be an integer of at least ${min}`);
    return parsed;
  };
}

function defaultInterrupt(handler: (signal: string) => void): () => void {
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  const listeners = signals.map((signal) => {
    const listener = (): void => handler(signal);
    process.on(signal, listener);
    return [signal, listener] as const;
  });
  return () => {
    for (const [signal, listener] of listeners) process.off(signal, listener);
  };
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (invokedDirectly || process.argv[1]?.endsWith('/contract-test')) {
  exitQuietlyWhenStdoutCloses();
  const io: CliIo = {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    isTTY: process.stdout.isTTY === true,
  };
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
