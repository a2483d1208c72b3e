// Helpers of the consumer test: pack the package once, make scratch projects, run npm/npx there.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const CONSUMER_DIR = join(PROJECT_ROOT, 'test', 'package', 'consumer');
/** The project's own TypeScript: consumers are type-checked with it instead of installing one. */
export const PROJECT_TSC = join(PROJECT_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

export interface ProcessRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * npm's own CLI script. npm and every `node` it starts must be this process's Node (the project's
 * Node 24): the system Node may be older than msw 3's and this package's `engines.node`.
 */
function npmCliPath(): string {
  const fromNpm = process.env.npm_execpath;
  if (fromNpm !== undefined && /npm-cli\.c?js$/.test(fromNpm) && existsSync(fromNpm)) return fromNpm;
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, 'npm');
    if (!existsSync(candidate)) continue;
    const real = realpathSync(candidate);
    if (/npm-cli\.c?js$/.test(real)) return real;
    const sibling = join(dirname(real), 'npm-cli.js');
    if (existsSync(sibling)) return sibling;
  }
  throw new Error('cannot find npm-cli.js (run the tests through npm, or put npm on PATH)');
}

/** Environment for child processes: this Node first on PATH, no npm_/vitest variables of the outer run. */
function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!/^(?:npm_|vitest|__vitest)/i.test(name)) env[name] = value;
  }
  env.PATH = `${dirname(process.execPath)}${delimiter}${process.env.PATH ?? ''}`;
  env.NO_COLOR = '1';
  return { ...env, ...extra };
}

export interface RunOptions {
  cwd: string;
  timeoutMs?: number;
  env?: Record<string, string>;
}

/** Runs a command to completion; kills it (and its process group) after the timeout. */
export function run(command: string, args: readonly string[], options: RunOptions): Promise<ProcessRun> {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: childEnv(options.env),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const timer = setTimeout(() => killGroup(child), options.timeoutMs ?? 120_000);
  // Whatever the command left running in its process group (e.g. a backgrounded server) goes when
  // it exits; a leftover holding the pipes open would otherwise keep 'close' from ever firing.
  child.on('exit', () => killLeftovers(child));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

export function runNode(args: readonly string[], options: RunOptions): Promise<ProcessRun> {
  return run(process.execPath, args, options);
}

export function runNpm(args: readonly string[], options: RunOptions): Promise<ProcessRun> {
  return runNode([npmCliPath(), ...args], options);
}

/** Kills a detached child and everything it started (npx starts the bin as a grandchild). */
export function killGroup(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

function killLeftovers(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    // the group is empty
  }
}

export function describeRun(result: ProcessRun): string {
  return `exit ${result.code} (signal ${result.signal})\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`;
}

export interface PackedTarball {
  path: string;
  filename: string;
  /** Compressed size in bytes. */
  size: number;
  unpackedSize: number;
  files: string[];
  dir: string;
}

/** Builds dist/ from the current sources and packs it once, as `npm publish` would. */
export async function buildAndPack(): Promise<PackedTarball> {
  const build = await runNode([join(PROJECT_ROOT, 'scripts', 'build.ts')], { cwd: PROJECT_ROOT, timeoutMs: 180_000 });
  if (build.code !== 0) throw new Error(`npm run build failed: ${describeRun(build)}`);
  const dir = await mkdtemp(join(tmpdir(), 'mapbox-tokens-mock-pack-'));
  // The build just ran: --ignore-scripts keeps prepack from building a second time.
  const pack = await runNpm(['pack', '--json', '--ignore-scripts', '--pack-destination', dir], { cwd: PROJECT_ROOT });
  if (pack.code !== 0) throw new Error(`npm pack failed: ${describeRun(pack)}`);
  const [entry] = JSON.parse(pack.stdout) as { filename: string; size: number; unpackedSize: number; files: { path: string }[] }[];
  if (entry === undefined) throw new Error(`npm pack printed no entry: ${pack.stdout}`);
  return {
    path: join(dir, entry.filename),
    filename: entry.filename,
    size: entry.size,
    unpackedSize: entry.unpackedSize,
    files: entry.files.map((file) => file.path).sort(),
    dir,
  };
}

/**
 * A fresh project in the temp folder with the tarball and `packages` installed by npm, as a user
 * would (npm's cache makes repeated installs of the same versions fast).
 */
export async function createScratchProject(label: string, tarball: string, packages: readonly string[]): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `mapbox-tokens-mock-consumer-${label}-`));
  await writeFile(join(dir, 'package.json'), `${JSON.stringify({ name: `scratch-${label}`, private: true, type: 'module' }, null, 2)}\n`);
  const install = await runNpm(['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', tarball, ...packages], {
    cwd: dir,
    timeoutMs: 240_000,
  });
  if (install.code !== 0) throw new Error(`npm install in ${dir} failed: ${describeRun(install)}`);
  return dir;
}

/** Copies files of test/package/{snippets,consumer} into a scratch project's root. */
export async function copyInto(projectDir: string, sources: readonly string[]): Promise<void> {
  for (const source of sources) await cp(source, join(projectDir, basename(source)));
}

export async function readJson<T>(path: string): Promise<T> {
  return JSON.parse(await readFile(path, 'utf8')) as T;
}

export async function removeDir(dir: string | undefined): Promise<void> {
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
}

/** Starts `npx tokens-mock --port 0 --json` (plus `args`) in a project and waits for its JSON line. */
export async function startInstalledMock(
  projectDir: string,
  args: readonly string[] = [],
): Promise<{ child: ChildProcess; baseUrl: string; username: string; token: string; stop(): Promise<void> }> {
  const child = spawn(process.execPath, [npmCliPath(), 'exec', '--', 'tokens-mock', '--port', '0', '--json', ...args], {
    cwd: projectDir,
    env: childEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let stdout = '';
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const closed = new Promise<void>((resolve) => child.on('close', () => resolve()));
  const line = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`tokens-mock printed no line in 60 s; stderr: ${stderr}`)), 60_000);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      const newline = stdout.indexOf('\n');
      if (newline >= 0) {
        clearTimeout(timer);
        resolve(stdout.slice(0, newline));
      }
    });
    void closed.then(() => {
      clearTimeout(timer);
      reject(new Error(`tokens-mock exited before printing; stderr: ${stderr}`));
    });
  });
  const info = JSON.parse(line) as { baseUrl: string; username: string; token: string };
  return {
    child,
    ...info,
    async stop() {
      killGroup(child);
      await closed;
    },
  };
}
