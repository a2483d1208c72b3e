// Spawns the `tokens-mock` CLI as a user would (node src/cli/tokens-mock.ts --json --port 0), reads
// its --json line, keeps everything it prints, and reads its resident memory with `ps`.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const CLI = fileURLToPath(new URL('../../src/cli/tokens-mock.ts', import.meta.url));
const STARTUP_TIMEOUT_MS = 20_000;

export interface SpawnedServer {
  child: ChildProcess;
  baseUrl: string;
  username: string;
  token: string;
  /** Everything printed so far. */
  stdout(): string;
  stderr(): string;
  /** Resident set size of the server process, in KiB. */
  rssKiB(): Promise<number>;
  stop(): Promise<void>;
}

/** The last line of the human banner (printed without --json). */
const BANNER_END = 'Press Ctrl+C to stop.';

interface LaunchedServer extends Omit<SpawnedServer, 'baseUrl' | 'username' | 'token'> {
  /** Resolves with the stdout printed up to `end(stdout)` (an index, or -1 while incomplete). */
  announcement(end: (stdout: string) => number): Promise<string>;
}

/** Starts the CLI on a free port with the given flags (no TOKENS_MOCK_* variables leak in). */
function launch(args: string[]): LaunchedServer {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) if (!name.startsWith('TOKENS_MOCK_')) env[name] = value;
  const child = spawn(process.execPath, [CLI, '--port', '0', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    announcement: (end) =>
      new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => {
          child.kill('SIGKILL');
          reject(new Error(`tokens-mock printed no announcement within ${STARTUP_TIMEOUT_MS} ms; stderr: ${stderr}`));
        }, STARTUP_TIMEOUT_MS);
        const onData = (): void => {
          const index = end(stdout);
          if (index < 0) return;
          clearTimeout(timer);
          child.stdout!.off('data', onData);
          resolve(stdout.slice(0, index));
        };
        child.stdout!.on('data', onData);
        onData();
        void exited.then(() => {
          clearTimeout(timer);
          reject(new Error(`tokens-mock exited early; stderr: ${stderr}`));
        });
      }),
    async rssKiB() {
      const { stdout: out } = await promisify(execFile)('ps', ['-o', 'rss=', '-p', String(child.pid)]);
      return Number(out.trim());
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        child.kill('SIGTERM');
        await exited;
        clearTimeout(timer);
      }
    },
  };
}

/** tokens-mock with --json: the first stdout line gives the base URL, username and master token. */
export async function spawnServer(args: string[]): Promise<SpawnedServer> {
  const { announcement, ...server } = launch(['--json', ...args]);
  const line = await announcement((stdout) => stdout.indexOf('\n'));
  const info = JSON.parse(line) as { baseUrl: string; username: string; token: string };
  return { ...server, ...info };
}

/** tokens-mock with its human banner (no --json), parsed for the base URL, username and token. */
export async function spawnServerWithBanner(): Promise<SpawnedServer & { bannerText: string }> {
  const { announcement, ...server } = launch([]);
  const bannerText = await announcement((stdout) => {
    const index = stdout.indexOf(BANNER_END);
    return index < 0 ? -1 : index + BANNER_END.length;
  });
  const field = (pattern: RegExp): string => {
    const value = pattern.exec(bannerText)?.[1];
    if (value === undefined) throw new Error(`banner without ${pattern}: ${bannerText}`);
    return value;
  };
  return {
    ...server,
    bannerText,
    baseUrl: field(/listening on (\S+)/),
    username: field(/username\s+(\S+)/),
    token: field(/secret token\s+(\S+)/),
  };
}
