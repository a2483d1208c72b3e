// The control surface's cost on API throughput: tokens-mock as started by default on loopback
// (control surface on, request journal of 1000 entries) vs `--no-admin` (no surface, no journal),
// both with the rate limit off, each in its own process, loaded at the same time in every round.
// Goal: with the surface, at least 0.95x the throughput without it.
import { TOKENS_MOCK_CLI, spawnNodeServer, type ChildServer } from './processes.ts';
import { load, seedTokens } from './server-throughput.ts';
import { createTokensMockCore } from '../src/index.ts';
import { alternate, costRow, runStandalone, throughputRow, timePerOp, type BenchResult, type BenchRow } from './support.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const LIST_SIZE = 20;
const COMMON = ['--port', '0', '--json', '--quiet', '--rate-limit', 'off', '--seed', '1'];

async function prepare(server: ChildServer): Promise<{ retrievePath: string; listPath: string }> {
  const username = server.info.username as string;
  const secret = server.info.token as string;
  const publicToken = await seedTokens(server.baseUrl, username, secret, LIST_SIZE);
  return {
    retrievePath: `/tokens/v2?access_token=${publicToken}`,
    listPath: `/tokens/v2/${username}?limit=${LIST_SIZE}&access_token=${secret}`,
  };
}

export async function runAdminOverhead(): Promise<BenchResult> {
  const servers: ChildServer[] = [];
  try {
    const withAdmin = await spawnNodeServer(TOKENS_MOCK_CLI, COMMON);
    servers.push(withAdmin);
    const without = await spawnNodeServer(TOKENS_MOCK_CLI, [...COMMON, '--no-admin']);
    servers.push(without);
    const paths = { admin: await prepare(withAdmin), none: await prepare(without) };
    // The journal must really be recording in the subject, and absent from the baseline.
    const journal = (await (await fetch(`${withAdmin.baseUrl}/__admin/requests`)).json()) as { count: number };
    if (journal.count < LIST_SIZE) throw new Error(`the journal holds ${journal.count} entries, expected >= ${LIST_SIZE}`);
    if ((await fetch(`${without.baseUrl}/__admin/requests`)).status !== 404) throw new Error('--no-admin still serves /__admin/');

    const rows: BenchRow[] = [];
    const failures: string[] = [];
    for (const [name, pick] of [
      ['retrieve', 'retrievePath'],
      [`list page (${LIST_SIZE} tokens)`, 'listPath'],
    ] as const) {
      await load(withAdmin.baseUrl, paths.admin[pick]);
      await load(without.baseUrl, paths.none[pick]);
      // Both servers are loaded at the same time in each round, so the box's other load (it is
      // shared) hits both alike; a per-round ratio compares two rates measured over the same seconds.
      const samples = { admin: [] as number[], none: [] as number[] };
      for (let round = 0; round < ROUNDS; round++) {
        const [admin, none] = await Promise.all([load(withAdmin.baseUrl, paths.admin[pick]), load(without.baseUrl, paths.none[pick])]);
        if (admin.failures + none.failures > 0)
          failures.push(`${name} round ${round}: ${admin.failures} + ${none.failures} non-2xx/errors`);
        samples.admin.push(admin.requestsPerSecond);
        samples.none.push(none.requestsPerSecond);
      }
      rows.push(throughputRow(`${name}, control surface and journal on vs --no-admin`, 'req/s', samples.admin, samples.none, 0.95));
    }
    // In-process, without HTTP and autocannon sharing the box: the per-request cost of journalling
    // in mock.handle() (what the server adds when the surface is on), retrieve and create.
    const inProcess = async (journalSize: number, operation: 'retrieve' | 'create') => {
      const mock = createTokensMockCore({ seed: 1, rateLimit: false, journalSize });
      const { username, publicToken, secretToken } = await mock.defaultAccount();
      const request =
        operation === 'retrieve'
          ? { method: 'GET', url: `http://127.0.0.1/tokens/v2?access_token=${publicToken}`, text: async () => '' }
          : {
              method: 'POST',
              url: `http://127.0.0.1/tokens/v2/${username}?access_token=${secretToken}`,
              text: async () => '{"note":"bench","scopes":["styles:read"]}',
            };
      await timePerOp(() => mock.handle(request), { maxOps: 2000, maxMs: 500 });
      return timePerOp(() => mock.handle(request), { maxOps: 50_000, maxMs: 1500 });
    };
    for (const operation of ['retrieve', 'create'] as const) {
      const samples = await alternate(ROUNDS, { journal: () => inProcess(1000, operation), none: () => inProcess(0, operation) });
      rows.push(costRow(`mock.handle() ${operation}, journal of 1000 vs none (in-process)`, 'µs/req', samples.journal, samples.none, 1.05));
    }
    return {
      name: 'control surface overhead (autocannon, loopback)',
      subjectLabel: 'tokens-mock (loopback default: /__admin/ on, journal of 1000), its own process',
      baselineLabel: 'tokens-mock --no-admin (no surface, no journal), its own process',
      rows,
      notes: [
        `HTTP rows: autocannon as in server-throughput, both servers loaded at the same time in each round; in-process rows: back to back; median of ${ROUNDS} rounds' ratios`,
        ...(failures.length > 0 ? failures : ['every response was 2xx']),
      ],
    };
  } finally {
    for (const server of servers) await server.stop();
  }
}

if (import.meta.main) await runStandalone(runAdminOverhead);
