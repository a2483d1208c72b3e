// Child processes of the benchmarks: the servers under test run apart from the load generator
// (the box may have only 2 cores). Every child is killed by its own pid when a benchmark ends.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort } from '../test/server/spawn-cli.ts';

export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
export const TOKENS_MOCK_CLI = fileURLToPath(new URL('../src/cli/tokens-mock.ts', import.meta.url));
export const BARE_SERVER = fileURLToPath(new URL('./bare-server.mjs', import.meta.url));
export const PRISM_BIN = fileURLToPath(new URL('../node_modules/@stoplight/prism-cli/dist/index.js', import.meta.url));
export const OPENAPI_YAML = fileURLToPath(new URL('../openapi/tokens.yaml', import.meta.url));

const STARTUP_TIMEOUT_MS = 30_000;

export interface ChildServer {
  child: ChildProcess;
  /** The first stdout line, parsed as JSON (undefined for servers that print none). */
  info: Record<string, unknown>;
  baseUrl: string;
  stop(): Promise<void>;
}

function stopper(child: ChildProcess): () => Promise<void> {
  return () =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      child.kill('SIGTERM');
    });
}

/** Spawns `node <script> ...args` and waits for its first stdout line (JSON with a port or baseUrl). */
export function spawnNodeServer(script: string, args: string[]): Promise<ChildServer> {
  const child = spawn(process.execPath, [script, ...args], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${script} printed no line within ${STARTUP_TIMEOUT_MS} ms`));
    }, STARTUP_TIMEOUT_MS);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited with ${code} before printing`));
    });
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      const newline = stdout.indexOf('\n');
      if (newline < 0) return;
      clearTimeout(timer);
      child.stdout!.removeAllListeners('data');
      child.stdout!.resume();
      const info = JSON.parse(stdout.slice(0, newline)) as Record<string, unknown>;
      const baseUrl = typeof info.baseUrl === 'string' ? info.baseUrl : `http://127.0.0.1:${info.port as number}`;
      resolve({ child, info, baseUrl, stop: stopper(child) });
    });
  });
}

/** Polls `url` until it answers (any status), bounded by STARTUP_TIMEOUT_MS. */
export async function waitForHttp(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode} before answering`);
    try {
      await (await fetch(url)).arrayBuffer();
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error(`${url} did not answer within ${STARTUP_TIMEOUT_MS} ms`);
}

/** `prism mock openapi/tokens.yaml` on a free loopback port, logging silenced. */
export async function spawnPrism(): Promise<ChildServer> {
  const port = await freePort();
  const child = spawn(process.execPath, [PRISM_BIN, 'mock', OPENAPI_YAML, '-p', String(port), '-h', '127.0.0.1', '-v', 'silent'], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  try {
    await waitForHttp(`${baseUrl}/tokens/v2?access_token=x`, child);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return { child, info: {}, baseUrl, stop: stopper(child) };
}
