import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { formatBanner, formatJsonLine } from '../server/banner.ts';
import type { FaultName } from '../faults/catalogue.ts';
import type { ServerMockOptions } from '../server/mock-factory.ts';
import { parseFaultList, parseHost, parsePort, parseRateLimit, parseSeed, parseUsername } from './option-values.ts';
import { readPackageVersion } from '../server/package-paths.ts';
import { parseJournalSize, parseLatency, toLatencyOption } from './latency-option.ts';
import { formatRequestLog, parseLogFormat, type LogFormat } from '../server/request-log.ts';
import type { LatencySpec } from '../mock/latency.ts';
import { describeViolation } from '../mock/strict-mode.ts';
import { UnknownFaultError } from '../server/server-errors.ts';
import { DEFAULT_HOST, DEFAULT_PORT, ServerStartError, startServer, type RunningServer } from '../server/start-server.ts';
import { InputFileError } from '../server/state-file.ts';

/** Exit code for usage errors and unusable inputs (bad option, port in use, unreadable file). */
const USAGE_EXIT_CODE = 2;

interface CommandIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

interface ParsedOptions {
  host: string;
  port: number;
  seed?: number | string;
  username?: string;
  rateLimit?: number | false;
  fixtures?: string;
  state?: string;
  stateSync: 'fsync' | 'write';
  fault: string[];
  json?: boolean;
  quiet?: boolean;
  /** false with --no-admin. */
  admin: boolean;
  adminToken?: string;
  journalSize: number;
  strict?: boolean;
  exitOnViolation?: boolean;
  latency?: Record<string, LatencySpec>;
  log?: LogFormat | true;
}

/** Exit code of `--strict --exit-on-violation` when the server found violations. */
const VIOLATION_EXIT_CODE = 1;

function buildProgram(io: CommandIo): Command {
  return new Command('tokens-mock')
    .description(
      'Serve a mock of the Mapbox Tokens API (/tokens/v2, /scopes/v1) over HTTP, with its API reference at /docs.\n' +
        'Point any client at the printed base URL (the Mapbox JS SDK: origin option).',
    )
    .version(readPackageVersion(), '-V, --version', 'print the version and exit')
    .helpOption('-h, --help', 'print this help and exit')
    .addOption(
      new Option('--host <host>', 'interface to listen on')
        .default(DEFAULT_HOST)
        .env('TOKENS_MOCK_HOST')
        .argParser(asOptionParser(parseHost)),
    )
    .addOption(
      new Option('-p, --port <port>', 'port to listen on; 0 picks a free port')
        .default(DEFAULT_PORT)
        .env('TOKENS_MOCK_PORT')
        .argParser(asOptionParser(parsePort)),
    )
    .addOption(
      new Option(
        '--seed <n>',
        'seed (integer or text, all of it used): same ids, tokens and fixtures on every start (initial ones dated 2024-01-01)',
      )
        .env('TOKENS_MOCK_SEED')
        .argParser(asOptionParser(parseSeed)),
    )
    .addOption(
      new Option('--username <name>', 'username of the default account (default: mockuser)')
        .env('TOKENS_MOCK_USERNAME')
        .argParser(asOptionParser(parseUsername)),
    )
    .addOption(
      new Option('--rate-limit <n|off>', 'requests per 60 s window per account; "off" or 0 turns it off (default: 100)')
        .env('TOKENS_MOCK_RATE_LIMIT')
        .argParser(asOptionParser(parseRateLimit)),
    )
    .addOption(new Option('--fixtures <file>', 'JSON file of accounts and tokens to load (fixtures shape)').env('TOKENS_MOCK_FIXTURES'))
    .addOption(
      new Option(
        '--state <file>',
        'JSON state file: loaded on start if present, every write on disk before its answer (locked; see docs/state-file.md)',
      ).env('TOKENS_MOCK_STATE'),
    )
    .addOption(
      new Option(
        '--state-sync <mode>',
        'when a --state write is acknowledged: "fsync" (on disk; survives power loss) or "write" (handed to the OS; survives kill -9, fsync within 1 s)',
      )
        .choices(['fsync', 'write'])
        .default('fsync')
        .env('TOKENS_MOCK_STATE_SYNC'),
    )
    .addOption(
      new Option('--fault <name>', 'break one documented behaviour (repeatable; env: comma-separated)')
        .default([], 'none')
        .env('TOKENS_MOCK_FAULTS')
        .argParser(faultAccumulator()),
    )
    .addOption(
      new Option('--latency <spec>', 'delay answers: MS, a seeded range MIN-MAX, or OPERATION=MS|MIN-MAX (repeatable)')
        .env('TOKENS_MOCK_LATENCY')
        .argParser(latencyAccumulator()),
    )
    .addOption(
      new Option('--strict', 'record requests the API document does not describe (GET /__admin/violations)').env('TOKENS_MOCK_STRICT'),
    )
    .addOption(new Option('--exit-on-violation', 'with --strict: exit 1 on shutdown when violations were recorded'))
    .addOption(
      new Option('--admin-token <token>', 'require this Bearer token on /__admin/ (and allow it on a non-loopback host)').env(
        'TOKENS_MOCK_ADMIN_TOKEN',
      ),
    )
    .addOption(new Option('--no-admin', 'turn the control surface /__admin/ off (default: on for a loopback host only)'))
    .addOption(
      new Option('--journal-size <n>', 'requests kept by the journal at /__admin/requests')
        .default(1000)
        .env('TOKENS_MOCK_JOURNAL_SIZE')
        .argParser(asOptionParser(parseJournalSize)),
    )
    .addOption(
      new Option('--log [format]', 'one line per request on stderr: "text" or "json" (tokens redacted)')
        .env('TOKENS_MOCK_LOG')
        .argParser(asOptionParser(parseLogFormat)),
    )
    .addOption(new Option('--json', 'print one JSON line {"baseUrl","username","token"} instead of the banner'))
    .addOption(new Option('-q, --quiet', 'print nothing except errors (and the --json line)'))
    .addHelpText(
      'after',
      '\nFlags win over environment variables.\n\n' +
        'Exit codes:\n' +
        '  0  stopped by SIGINT/SIGTERM (state file saved)\n' +
        '  1  internal failure, or --strict --exit-on-violation found violations\n' +
        '  2  bad option, port in use, or unreadable fixtures/state file',
    )
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      outputError: (text, write) => write(`tokens-mock: ${text.replace(/^error: /, '')}`),
    });
}

/** Turns a value parser's Error into commander's, so the report names the option and the value. */
function asOptionParser<T>(parse: (value: string) => T): (value: string) => T {
  return (value) => {
    try {
      return parse(value);
    } catch (error) {
      throw new InvalidArgumentError((error as Error).message);
    }
  };
}

function latencyAccumulator(): (value: string, previous: Record<string, LatencySpec> | undefined) => Record<string, LatencySpec> {
  return (value, previous) => {
    try {
      return parseLatency(value, previous ?? {});
    } catch (error) {
      throw new InvalidArgumentError((error as Error).message);
    }
  };
}

/** Commander's default for a repeatable option is shared; start every parse from a fresh list. */
function faultAccumulator(): (value: string, previous: string[]) => string[] {
  return (value, previous) => parseFaultList(value, previous);
}

function toMockOptions(options: ParsedOptions): ServerMockOptions {
  const mockOptions: ServerMockOptions = {};
  if (options.seed !== undefined) mockOptions.seed = options.seed;
  if (options.username !== undefined) mockOptions.accounts = [{ username: options.username }];
  if (options.rateLimit !== undefined) mockOptions.rateLimit = options.rateLimit === false ? false : { limit: options.rateLimit };
  // Names from the command line: createServerMock refuses unknown ones before the mock sees them.
  if (options.fault.length > 0) mockOptions.faults = options.fault as FaultName[];
  if (options.latency !== undefined) mockOptions.latency = toLatencyOption(options.latency);
  // The server only records violations (GET /__admin/violations); the answers stay the API's.
  if (options.strict) Object.assign(mockOptions, { strict: true, onViolation: () => undefined });
  // Without the control surface nobody can read the journal: keep none.
  mockOptions.journalSize = options.admin ? options.journalSize : 0;
  return mockOptions;
}

/**
 * Runs `tokens-mock` with `argv` (without node and script). Resolves with an exit code when the
 * command ends early (help, version, errors); otherwise with the running server, which stops on
 * SIGINT/SIGTERM (saving the state file) and then exits the process with 0.
 */
export async function runTokensMock(argv: readonly string[], io: CommandIo = process): Promise<number | RunningServer> {
  const program = buildProgram(io);
  try {
    program.parse(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : USAGE_EXIT_CODE;
    throw error;
  }
  const options = program.opts<ParsedOptions>();
  if (options.exitOnViolation && !options.strict) {
    io.stderr.write('tokens-mock: --exit-on-violation needs --strict (without it no violation is recorded)\n');
    return USAGE_EXIT_CODE;
  }
  const say = (text: string): void => {
    if (!options.quiet) io.stderr.write(`tokens-mock: ${text}\n`);
  };

  let running: RunningServer;
  try {
    running = await startServer({
      host: options.host,
      port: options.port,
      mockOptions: toMockOptions(options),
      ...(options.fixtures !== undefined ? { fixturesPath: options.fixtures } : {}),
      ...(options.state !== undefined ? { statePath: options.state, stateSync: options.stateSync } : {}),
      onRequestError: (error, request) =>
        say(`internal error on ${request.method} ${request.path}: ${(error as Error)?.message ?? String(error)}`),
      admin: { disabled: !options.admin, ...(options.adminToken !== undefined && { token: options.adminToken }) },
      ...(options.log !== undefined && {
        onRequestLog: (record) => io.stderr.write(`${formatRequestLog(record, options.log === true ? 'text' : options.log!)}\n`),
      }),
    });
  } catch (error) {
    if (error instanceof ServerStartError || error instanceof InputFileError || error instanceof UnknownFaultError) {
      io.stderr.write(`tokens-mock: ${error.message}\n`);
      return USAGE_EXIT_CODE;
    }
    throw error;
  }

  if (!running.admin.enabled && options.admin) say(`control surface /__admin/ is off: ${running.admin.reason}`);
  // Before anything is printed: a client may signal as soon as it reads the first line.
  stopOnSignals(running, say, () => violationExitCode(running, options));
  const account = await running.mock.defaultAccount();
  const info = {
    baseUrl: running.url,
    username: account.username,
    token: account.secretToken,
    docsUrl: running.docsUrl,
    faults: running.mock.faults,
  };
  if (options.json) io.stdout.write(`${formatJsonLine(info)}\n`);
  else if (!options.quiet) io.stdout.write(`${formatBanner(info)}\n`);
  return running;
}

/** With --strict --exit-on-violation: 1 and a summary when the mock recorded violations, else 0. */
function violationExitCode(running: RunningServer, options: ParsedOptions): number {
  if (!options.strict || !options.exitOnViolation) return 0;
  const violations = running.mock.violations.all();
  if (violations.length === 0) return 0;
  // Printed even with --quiet: it is why the exit code is 1.
  process.stderr.write(`tokens-mock: ${violations.length} strict-mode violation(s):\n`);
  for (const violation of violations.slice(0, 20)) process.stderr.write(`  ${violation.request}: ${describeViolation(violation)}\n`);
  if (violations.length > 20) process.stderr.write(`  ... and ${violations.length - 20} more (GET /__admin/violations)\n`);
  return VIOLATION_EXIT_CODE;
}

/** First SIGINT/SIGTERM: graceful stop then exit 0 (1 if the state cannot be saved); a second one exits at once. */
function stopOnSignals(running: RunningServer, say: (text: string) => void, exitCode: () => number): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopping) {
      say(`${signal} again: exiting without waiting`);
      process.exit(1);
    }
    stopping = true;
    running.close().then(
      () => process.exit(exitCode()),
      (error: unknown) => {
        process.stderr.write(`tokens-mock: could not stop cleanly: ${(error as Error)?.message ?? String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}
