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

export async function spawnServer(args: string[]): Promise<SpawnedServer> {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) if (!name.startsWith('TOKENS_MOCK_')) env[name] = value;
  const child = spawn(process.execPath, [CLI, '--json', '--port', '0', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const line = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`tokens-mock printed nothing within ${STARTUP_TIMEOUT_MS} ms; stderr: ${stderr}`));
    }, STARTUP_TIMEOUT_MS);
    const onData = (): void => {
      const newline = stdout.indexOf('\n');
      if (newline < 0) return;
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      resolve(stdout.slice(0, newline));
    };
    child.stdout!.on('data', onData);
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`tokens-mock exited early; stderr: ${stderr}`));
    });
  });
  const info = JSON.parse(line) as { baseUrl: string; username: string; token: string };
  return {
    child, ...info,
    stdout: () => stdout,
    stderr: () => stderr,
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
