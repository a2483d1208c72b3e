// Cold start, each run in a fresh child process, alternating, fastest of RUNS:
// - in-process: import + createTokensMock() + setupServer + first answered request, vs a bare msw
//   setupServer with one handler answering one request (goal: within 1.5x);
// - server: spawn `tokens-mock` to its first answered request, vs spawning a bare node:http script.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { BARE_SERVER, REPO_ROOT, TOKENS_MOCK_CLI, spawnNodeServer } from './processes.ts';
import { costRow, runStandalone, type BenchResult } from './support.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const MOCK_CHILD = fileURLToPath(new URL('./cold-start-mock.ts', import.meta.url));
const BARE_MSW_CHILD = fileURLToPath(new URL('./cold-start-bare-msw.ts', import.meta.url));

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

export async function runColdStart(): Promise<BenchResult> {
  const workDir = mkdtempSync(join(tmpdir(), 'tokens-mock-cold-'));
  try {
    const cannedFile = join(workDir, 'responses.json');
    writeFileSync(cannedFile, JSON.stringify({
      'GET /tokens/v2/mockuser': { status: 200, headers: { 'content-type': 'application/json; charset=utf-8' }, body: '[]' },
    }));
    const samples = { mockList: [] as ChildTimes[], mockCreate: [] as ChildTimes[], bareMsw: [] as ChildTimes[], server: [] as number[], bareServer: [] as number[] };
    for (let run = 0; run < RUNS; run++) {
      samples.mockList.push(await runChild(MOCK_CHILD, ['list']));
      samples.mockCreate.push(await runChild(MOCK_CHILD, ['create']));
      samples.bareMsw.push(await runChild(BARE_MSW_CHILD, []));
      samples.server.push(await serverToFirstAnswer(TOKENS_MOCK_CLI, ['--port', '0', '--json', '--quiet'],
        (info) => `/tokens/v2/${info.username as string}?access_token=${info.token as string}`));
      samples.bareServer.push(await serverToFirstAnswer(BARE_SERVER, [cannedFile], () => '/tokens/v2/mockuser'));
    }
    // Fastest run: other load on a shared box only ever adds time.
    const answered = (times: ChildTimes[]): number => Math.min(...times.map((t) => t.answered));
    const imported = (times: ChildTimes[]): number => Math.min(...times.map((t) => t.imported));
    const importShare = `imports ${Math.round(imported(samples.mockList))} ms of it (bare msw: ${Math.round(imported(samples.bareMsw))} ms)`;
    return {
      name: 'cold start (fresh processes)',
      subjectLabel: 'mapbox-tokens-mock (source .ts run by Node type stripping)',
      baselineLabel: 'bare msw setupServer with one handler / bare node:http script',
      rows: [
        costRow('import + createTokensMock + first list request (msw)', 'ms since process start', answered(samples.mockList), answered(samples.bareMsw), 1.5, importShare),
        costRow('import + createTokensMock + first create request (msw; validates a body)', 'ms since process start', answered(samples.mockCreate), answered(samples.bareMsw), 1.5),
        costRow('spawn tokens-mock to first answered request', 'ms', Math.min(...samples.server), Math.min(...samples.bareServer), 1.5),
      ],
      notes: [`fastest of ${RUNS} alternating runs; each child reports performance.now() (ms since its process started) at its first answer`],
    };
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

if (import.meta.main) await runStandalone(runColdStart);
