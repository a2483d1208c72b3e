// Starts `node src/cli/tokens-mock.ts` as a user would, and reads its --json line.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

export const CLI_PATH = fileURLToPath(new URL('../../src/cli/tokens-mock.ts', import.meta.url));

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface SpawnedMock {
  child: ChildProcess;
  baseUrl: string;
  username: string;
  token: string;
  /** stdout/stderr so far. */
  output(): { stdout: string; stderr: string };
  /** Sends `signal` (SIGTERM by default) and resolves with the exit. */
  stop(signal?: NodeJS.Signals): Promise<CliRun>;
}

const running = new Set<ChildProcess>();

function childEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = {};
  // Inherit everything except our own variables, so the developer's shell cannot change results.
  for (const [name, value] of Object.entries(process.env)) if (!name.startsWith('TOKENS_MOCK_')) base[name] = value;
  return { ...base, ...env };
}

function collect(child: ChildProcess): { stdout: () => string; stderr: () => string; exit: Promise<CliRun> } {
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exit = new Promise<CliRun>((resolve) => {
    child.on('close', (code, signal) => {
      running.delete(child);
      resolve({ code, signal, stdout, stderr });
    });
  });
  return { stdout: () => stdout, stderr: () => stderr, exit };
}

/** Runs the CLI to completion (for --help, --version and errors); kills it after `timeoutMs`. */
export async function runCli(args: string[], env: Record<string, string> = {}, timeoutMs = 15_000): Promise<CliRun> {
  const child = spawn(process.execPath, [CLI_PATH, ...args], { env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  const { exit } = collect(child);
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const result = await exit;
  clearTimeout(timer);
  return result;
}

/** Spawns the server with `--json` (plus `args`) and waits for its JSON line. */
export async function spawnMock(args: string[] = [], env: Record<string, string> = {}): Promise<SpawnedMock> {
  const withJson = args.includes('--json') ? args : [...args, '--json'];
  const withPort = withJson.includes('--port') || 'TOKENS_MOCK_PORT' in env ? withJson : [...withJson, '--port', '0'];
  const child = spawn(process.execPath, [CLI_PATH, ...withPort], { env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  const streams = collect(child);
  const line = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no JSON line within 15 s; stderr: ${streams.stderr()}`)), 15_000);
    const check = (): void => {
      const newline = streams.stdout().indexOf('\n');
      if (newline >= 0) {
        clearTimeout(timer);
        child.stdout?.off('data', check);
        resolve(streams.stdout().slice(0, newline));
      }
    };
    child.stdout?.on('data', check);
    void streams.exit.then((run) => {
      clearTimeout(timer);
      reject(new Error(`tokens-mock exited with ${run.code} before printing; stderr: ${run.stderr}`));
    });
  });
  const info = JSON.parse(line) as { baseUrl: string; username: string; token: string };
  return {
    child,
    ...info,
    output: () => ({ stdout: streams.stdout(), stderr: streams.stderr() }),
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return streams.exit;
    },
  };
}

/** Kills whatever a failed test left running (afterAll / afterEach). */
export function killLeftovers(): void {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
}

/** A port that was free a moment ago (for TOKENS_MOCK_PORT tests). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}
