// Cold start, each variant in a fresh child process, RUNS runs, median of the per-run ratios:
// - in-process: import + createTokensMock() + setupServer + first answered request, vs a bare msw
//   setupServer with one handler answering one request (goal: within 1.5x);
// - server: spawn `tokens-mock` to its first answered request, vs spawning a bare node:http script.
// The subject is the package as users install it: dist/, built first by scripts/build.ts. The
// sources (.ts run by Node's type stripping: `npm start`, this repository's tests) are recorded too.
// Every child and baseline is plain JavaScript, so no side pays type stripping for its own file.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { build } from '../scripts/build.ts';
import { BARE_SERVER, REPO_ROOT, TOKENS_MOCK_CLI, spawnNodeServer } from './processes.ts';
import { costRow, median, runStandalone, type BenchResult, type BenchRow } from './support.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const MOCK_CHILD = fileURLToPath(new URL('./cold-start-mock.mjs', import.meta.url));
const BARE_MSW_CHILD = fileURLToPath(new URL('./cold-start-bare-msw.mjs', import.meta.url));
const BARE_MSW_SERVER = fileURLToPath(new URL('./bare-msw-server.mjs', import.meta.url));
const BUILT_ENTRY = fileURLToPath(new URL('../dist/src/index.js', import.meta.url));
const BUILT_CLI = fileURLToPath(new URL('../dist/src/cli/tokens-mock.js', import.meta.url));
const SOURCE_ENTRY = fileURLToPath(new URL('../src/index.ts', import.meta.url));
const SERVER_ARGS = ['--port', '0', '--json', '--quiet'];
const serverPath = (info: Record<string, unknown>): string => `/tokens/v2/${info.username as string}?access_token=${info.token as string}`;

interface ChildTimes {
  imported: number;
  created: number;
  answered: number;
}

/** Runs a child script to completion and returns its JSON line (ms since its process start). */
function runChild(script: string, args: string[]): Promise<ChildTimes> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.once('close', (code) => {
      clearTimeout(timer);
      if (code !== 0) reject(new Error(`${script} exited with ${code}`));
      else resolve(JSON.parse(stdout.trim().split('\n').pop()!) as ChildTimes);
    });
  });
}

/** ms from spawning a server process to the end of its first answered request. */
async function serverToFirstAnswer(script: string, args: string[], path: (info: Record<string, unknown>) => string): Promise<number> {
  const started = performance.now();
  const server = await spawnNodeServer(script, args);
  try {
    const response = await fetch(`${server.baseUrl}${path(server.info)}`);
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`${script}: first request answered ${response.status}`);
    return performance.now() - started;
  } finally {
    await server.stop();
  }
}

/** A comparison shown for the record, without a goal. */
const recorded = (row: BenchRow): BenchRow => ({ ...row, goal: 'recorded', met: true });

export async function runColdStart(): Promise<BenchResult> {
  await build();
  const workDir = mkdtempSync(join(tmpdir(), 'tokens-mock-cold-'));
  try {
    const cannedFile = join(workDir, 'responses.json');
    writeFileSync(
      cannedFile,
      JSON.stringify({
        'GET /tokens/v2/mockuser': { status: 200, headers: { 'content-type': 'application/json; charset=utf-8' }, body: '[]' },
      }),
    );
    const samples = {
      builtList: [] as ChildTimes[],
      builtCreate: [] as ChildTimes[],
      sourceList: [] as ChildTimes[],
      bareMsw: [] as ChildTimes[],
      builtServer: [] as number[],
      sourceServer: [] as number[],
      bareServer: [] as number[],
      bareMswServer: [] as number[],
    };
    for (let run = 0; run < RUNS; run++) {
      samples.builtList.push(await runChild(MOCK_CHILD, ['list', BUILT_ENTRY]));
      samples.bareMsw.push(await runChild(BARE_MSW_CHILD, []));
      samples.builtCreate.push(await runChild(MOCK_CHILD, ['create', BUILT_ENTRY]));
      samples.sourceList.push(await runChild(MOCK_CHILD, ['list', SOURCE_ENTRY]));
      samples.builtServer.push(await serverToFirstAnswer(BUILT_CLI, SERVER_ARGS, serverPath));
      samples.bareServer.push(await serverToFirstAnswer(BARE_SERVER, [cannedFile], () => '/tokens/v2/mockuser'));
      samples.bareMswServer.push(await serverToFirstAnswer(BARE_MSW_SERVER, [], () => '/tokens/v2/mockuser'));
      samples.sourceServer.push(await serverToFirstAnswer(TOKENS_MOCK_CLI, SERVER_ARGS, serverPath));
    }
    // Paired by run (the children of one run start back to back): the ratio is the median of the
    // per-run ratios, as in the other benchmarks.
    const answered = (times: ChildTimes[]): number[] => times.map((t) => t.answered);
    const importShare = (times: ChildTimes[]): string =>
      `imports ${Math.round(median(times.map((t) => t.imported)))} ms of it (bare msw: ${Math.round(median(samples.bareMsw.map((t) => t.imported)))} ms)`;
    const bareMsw = answered(samples.bareMsw);
    const bareServer = samples.bareServer;
    return {
      name: 'cold start (fresh processes)',
      subjectLabel: 'mapbox-tokens-mock as installed (dist/, built by scripts/build.ts), and its sources for the record',
      baselineLabel:
        'bare msw setupServer with one handler; for the server, node:http through msw getResponse with one handler, and a bare node:http script (all plain .mjs)',
      rows: [
        costRow(
          'import + createTokensMock + first list request (msw)',
          'ms since process start',
          answered(samples.builtList),
          bareMsw,
          1.5,
          importShare(samples.builtList),
        ),
        costRow(
          'import + createTokensMock + first create request (msw; validates a body)',
          'ms since process start',
          answered(samples.builtCreate),
          bareMsw,
          1.5,
        ),
        costRow(
          'spawn tokens-mock (dist bin) to first answered request, vs a bare msw server',
          'ms',
          samples.builtServer,
          samples.bareMswServer,
          1.5,
        ),
        costRow(
          'spawn tokens-mock (dist bin) to first answered request, vs a bare node:http server',
          'ms',
          samples.builtServer,
          bareServer,
          1.5,
        ),
        recorded(
          costRow(
            'sources: import src/index.ts + first list request (msw)',
            'ms since process start',
            answered(samples.sourceList),
            bareMsw,
            1,
            importShare(samples.sourceList),
          ),
        ),
        recorded(
          costRow(
            'sources: spawn node src/cli/tokens-mock.ts (npm start) to first answered request',
            'ms',
            samples.sourceServer,
            bareServer,
            1,
          ),
        ),
      ],
      notes: [
        `${RUNS} runs, each starting every variant once; median of the per-run ratios; each child reports performance.now() (ms since its process started) at its first answer`,
        'the sources rows have no goal: they pay Node type stripping (~90 ms) and load @msw/data unbundled (its es-toolkit barrels)',
      ],
    };
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

if (import.meta.main) await runStandalone(runColdStart);
