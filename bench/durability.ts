// Durability cost: token creation through `tokens-mock --state FILE` (every acknowledged write
// journaled and fsynced before its answer) against the same server without --state, at 1 000 and
// 100 000 tokens, with autocannon over loopback (10 connections). Each round loads both servers of a
// size back to back (order alternating); a row's ratio is the median of the per-round ratios.
// Goals (issue 14): >= 0.5x the throughput without --state, and flat in size (100 000 vs 1 000).
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TOKENS_MOCK_CLI, spawnNodeServer, type ChildServer } from './processes.ts';
import { alternate, compare, runStandalone, throughputRow, type BenchResult, type BenchRow } from './support.ts';

interface AutocannonResult {
  requests: { average: number };
  latency: { p99: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}
const autocannon = createRequire(import.meta.url)('autocannon') as (options: object) => Promise<AutocannonResult>;

const DURATION_SECONDS = Number(process.env.BENCH_DURATION ?? 3);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = 10;
const SIZES = [1_000, 100_000] as const;

interface Load {
  requestsPerSecond: number;
  p99Ms: number;
  failures: number;
}

async function createLoad(server: ChildServer): Promise<Load> {
  const path = `/tokens/v2/${server.info.username as string}?access_token=${server.info.token as string}`;
  const result = await autocannon({
    url: server.baseUrl,
    connections: CONNECTIONS,
    duration: DURATION_SECONDS,
    requests: [{ method: 'POST', path, body: JSON.stringify({ note: 'durability bench', scopes: ['styles:read'] }) }],
  });
  return {
    requestsPerSecond: result.requests.average,
    p99Ms: result.latency.p99,
    failures: result.non2xx + result.errors + result.timeouts,
  };
}

export async function runDurability(): Promise<BenchResult> {
  const workDir = mkdtempSync(join(tmpdir(), 'tokens-mock-durability-'));
  const servers: ChildServer[] = [];
  const rows: BenchRow[] = [];
  const notes: string[] = [];
  const durableRates: Record<number, number[]> = {};
  const writtenRates: Record<number, number[]> = {};
  try {
    for (const size of SIZES) {
      const fixtures = join(workDir, `fixtures-${size}.json`);
      // The account's default and master tokens count towards the size.
      const tokens = Array.from({ length: size - 2 }, (_, i) => ({ note: `bench ${i}`, scopes: ['styles:read'] }));
      writeFileSync(fixtures, JSON.stringify({ accounts: [{ username: 'mockuser', tokens }] }));
      const common = ['--port', '0', '--json', '--quiet', '--rate-limit', 'off', '--seed', '1', '--fixtures', fixtures];
      const memory = await spawnNodeServer(TOKENS_MOCK_CLI, common);
      servers.push(memory);
      const started = performance.now();
      const durable = await spawnNodeServer(TOKENS_MOCK_CLI, [...common, '--state', join(workDir, `state-${size}.json`)]);
      notes.push(
        `${size.toLocaleString('en-US')} tokens: the --state server started (fixtures + first snapshot) in ${Math.round(performance.now() - started)} ms`,
      );
      servers.push(durable);
      const written = await spawnNodeServer(TOKENS_MOCK_CLI, [
        ...common,
        '--state',
        join(workDir, `state-write-${size}.json`),
        '--state-sync',
        'write',
      ]);
      servers.push(written);
      await createLoad(memory); // warm-up
      await createLoad(durable);
      await createLoad(written);
      const p99: Record<string, number[]> = { memory: [], durable: [], written: [] };
      const failures: string[] = [];
      const samples = await alternate(ROUNDS, {
        durable: async () => {
          const result = await createLoad(durable);
          p99.durable!.push(result.p99Ms);
          if (result.failures > 0) failures.push(`--state: ${result.failures}`);
          return result.requestsPerSecond;
        },
        written: async () => {
          const result = await createLoad(written);
          p99.written!.push(result.p99Ms);
          if (result.failures > 0) failures.push(`--state-sync write: ${result.failures}`);
          return result.requestsPerSecond;
        },
        memory: async () => {
          const result = await createLoad(memory);
          p99.memory!.push(result.p99Ms);
          if (result.failures > 0) failures.push(`in memory: ${result.failures}`);
          return result.requestsPerSecond;
        },
      });
      durableRates[size] = samples.durable;
      writtenRates[size] = samples.written;
      const label = `create at ${size.toLocaleString('en-US')} tokens`;
      rows.push(throughputRow(`${label}, --state vs in memory`, 'req/s', samples.durable, samples.memory, 0.5));
      const latency = compare(p99.durable!, p99.memory!);
      rows.push({ case: `${label}, p99 latency --state vs in memory`, unit: 'ms (p99)', ...latency, goal: 'recorded', met: true });
      rows.push(throughputRow(`${label}, --state --state-sync write vs in memory`, 'req/s', samples.written, samples.memory, 0.5));
      const writtenLatency = compare(p99.written!, p99.memory!);
      rows.push({
        case: `${label}, p99 latency --state-sync write vs in memory`,
        unit: 'ms (p99)',
        ...writtenLatency,
        goal: 'recorded',
        met: true,
      });
      notes.push(
        `${size.toLocaleString('en-US')} tokens: ${failures.length === 0 ? 'every response 2xx' : `non-2xx/errors ${failures.join(', ')}`}`,
      );
      for (const server of servers.splice(0)) await server.stop();
    }
    rows.push(
      throughputRow(
        'create with --state, 100,000 vs 1,000 tokens (flat in size)',
        'req/s',
        durableRates[100_000]!,
        durableRates[1_000]!,
        0.5,
      ),
    );
    rows.push(
      throughputRow(
        'create with --state-sync write, 100,000 vs 1,000 tokens (flat in size)',
        'req/s',
        writtenRates[100_000]!,
        writtenRates[1_000]!,
        0.5,
      ),
    );
    return {
      name: 'durability cost (tokens-mock --state, autocannon, loopback)',
      subjectLabel: 'tokens-mock --state FILE --rate-limit off: each create journaled and fsynced before its answer',
      baselineLabel: 'the same server and fixtures without --state (in memory only)',
      rows,
      notes: [
        `autocannon ${CONNECTIONS} connections, POST create, ${DURATION_SECONDS} s per run; median of ${ROUNDS} rounds' ratios, both servers of a size back to back per round; state files in ${tmpdir()}`,
        'group commit: the writes that arrive during one fsync share the next; the snapshot is rewritten when the journal is as large as it (so rarely at 100 000 tokens, ~30 MB, within a run this short)',
        ...notes,
      ],
    };
  } finally {
    for (const server of servers) await server.stop();
    rmSync(workDir, { recursive: true, force: true });
  }
}

if (import.meta.main) await runStandalone(runDurability);
