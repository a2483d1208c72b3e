// Server throughput: `tokens-mock` (rate limit off) vs a bare node:http server replaying the same
// bytes, and vs Prism's mock server on the same document, with autocannon over loopback. Each server
// runs in its own process; autocannon runs in this one. Each round loads every server of a case back
// to back (order alternating); a row's ratio is the median of the per-round rate ratios.
// Goals: >= 0.25x the bare server on retrieve and on a 20-token list page; ahead of Prism.
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BARE_SERVER, TOKENS_MOCK_CLI, spawnNodeServer, spawnPrism, type ChildServer } from './processes.ts';
import { alternate, runStandalone, throughputRow, type BenchResult, type BenchRow } from './support.ts';

interface AutocannonResult {
  requests: { average: number; total: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}
interface AutocannonOptions {
  url: string;
  connections: number;
  duration: number;
  requests?: Array<{ method?: string; path?: string; setupRequest?: (request: { path: string }) => { path: string } }>;
}
const autocannon = createRequire(import.meta.url)('autocannon') as (options: AutocannonOptions) => Promise<AutocannonResult>;

const DURATION_SECONDS = Number(process.env.BENCH_DURATION ?? 3);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = 10;
const LIST_SIZE = 20;

interface Load {
  requestsPerSecond: number;
  failures: number;
}

export async function load(baseUrl: string, path: string | (() => string)): Promise<Load> {
  const result = await autocannon({
    url: baseUrl,
    connections: CONNECTIONS,
    duration: DURATION_SECONDS,
    requests: [
      typeof path === 'string' ? { method: 'GET', path } : { method: 'GET', setupRequest: (request) => ({ ...request, path: path() }) },
    ],
  });
  return { requestsPerSecond: result.requests.average, failures: result.non2xx + result.errors + result.timeouts };
}

/** Creates `count` public tokens on a running mock and returns the string of the first one listed. */
export async function seedTokens(baseUrl: string, username: string, secret: string, count: number): Promise<string> {
  for (let i = 0; i < count; i++) {
    const response = await fetch(`${baseUrl}/tokens/v2/${username}?access_token=${secret}`, {
      method: 'POST',
      body: JSON.stringify({ note: `bench ${i}`, scopes: ['styles:read'] }),
    });
    if (response.status !== 200) throw new Error(`create answered ${response.status}`);
  }
  const list = (await (await fetch(`${baseUrl}/tokens/v2/${username}?limit=1&access_token=${secret}`)).json()) as Array<{ token: string }>;
  return list[0]!.token;
}

/** The mock's own answer to `path`, captured for the bare server. */
async function capture(baseUrl: string, path: string): Promise<{ status: number; headers: Record<string, string>; body: string }> {
  const response = await fetch(`${baseUrl}${path}`);
  const headers: Record<string, string> = {};
  for (const [name, value] of response.headers)
    if (!['content-length', 'date', 'connection', 'keep-alive'].includes(name)) headers[name] = value;
  return { status: response.status, headers, body: await response.text() };
}

/** A pk token with a valid shape and a random (wrong) signature: every one misses the verification cache. */
function forgedToken(publicToken: string): string {
  const [usage, payload] = publicToken.split('.');
  return `${usage}.${payload}.${randomBytes(16).toString('base64url').slice(0, 22)}`;
}

export async function runServerThroughput(): Promise<BenchResult> {
  const servers: ChildServer[] = [];
  const workDir = mkdtempSync(join(tmpdir(), 'tokens-mock-bench-'));
  try {
    const mock = await spawnNodeServer(TOKENS_MOCK_CLI, ['--port', '0', '--json', '--quiet', '--rate-limit', 'off', '--seed', '1']);
    servers.push(mock);
    const username = mock.info.username as string;
    const secret = mock.info.token as string;
    const publicToken = await seedTokens(mock.baseUrl, username, secret, LIST_SIZE);
    const retrievePath = `/tokens/v2?access_token=${publicToken}`;
    const listPath = `/tokens/v2/${username}?limit=${LIST_SIZE}&access_token=${secret}`;

    const cannedFile = join(workDir, 'responses.json');
    writeFileSync(
      cannedFile,
      JSON.stringify({
        [`GET ${retrievePath}`]: await capture(mock.baseUrl, retrievePath),
        [`GET ${listPath}`]: await capture(mock.baseUrl, listPath),
        // Forged tokens vary per request: the bare server answers them all with the same bytes.
        'GET /tokens/v2': await capture(mock.baseUrl, `/tokens/v2?access_token=${forgedToken(publicToken)}`),
      }),
    );
    const bare = await spawnNodeServer(BARE_SERVER, [cannedFile]);
    servers.push(bare);
    const prism = await spawnPrism();
    servers.push(prism);

    const forgedPath = (): string => `/tokens/v2?access_token=${forgedToken(publicToken)}`;
    /** Each case alternates its runs (label -> server and path); rows compare two of them. */
    const cases: Array<{
      name: string;
      runs: Record<string, [ChildServer, string | (() => string)]>;
      rows: Array<[string, string, number, string]>;
    }> = [
      {
        name: 'retrieve',
        runs: { mock: [mock, retrievePath], bare: [bare, retrievePath], prism: [prism, retrievePath] },
        rows: [
          ['mock', 'bare', 0.25, 'vs bare node:http'],
          ['mock', 'prism', 1, 'vs Prism'],
        ],
      },
      {
        name: `list page (${LIST_SIZE} tokens)`,
        runs: { mock: [mock, listPath], bare: [bare, listPath], prism: [prism, listPath] },
        rows: [
          ['mock', 'bare', 0.25, 'vs bare node:http'],
          ['mock', 'prism', 1, 'vs Prism'],
        ],
      },
      {
        // Every forged token is new: each request computes one HMAC (node:crypto's, synchronous,
        // under Node); the same token again is answered from the bounded verification cache.
        name: 'retrieve, a new forged token per request (verification cache miss)',
        runs: { miss: [mock, forgedPath], bare: [bare, forgedPath], hit: [mock, retrievePath] },
        rows: [
          ['miss', 'bare', 0.25, 'vs bare node:http'],
          ['miss', 'hit', 0, 'vs the same server answering one token again (cache hit)'],
        ],
      },
    ];
    const rows: BenchRow[] = [];
    const failures: string[] = [];
    for (const testCase of cases) {
      for (const [server, path] of Object.values(testCase.runs)) await load(server.baseUrl, path); // warm-up
      const samples = await alternate(
        ROUNDS,
        Object.fromEntries(
          Object.entries(testCase.runs).map(([label, [server, path]]) => [
            label,
            async () => {
              const result = await load(server.baseUrl, path);
              if (result.failures > 0 && server !== prism) failures.push(`${testCase.name} (${label}): ${result.failures} non-2xx/errors`);
              return result.requestsPerSecond;
            },
          ]),
        ),
      );
      for (const [subject, baseline, goal, what] of testCase.rows) {
        const row = throughputRow(`${testCase.name} ${what}`, 'req/s', samples[subject]!, samples[baseline]!, goal);
        // A goal of 0 marks a comparison that is recorded, not judged.
        rows.push(goal === 0 ? { ...row, goal: 'recorded' } : row);
      }
    }
    return {
      name: 'server throughput (autocannon, loopback)',
      subjectLabel: 'tokens-mock --rate-limit off, its own process',
      baselineLabel: 'bare node:http replaying the same bytes / prism mock openapi/tokens.yaml (-v silent), each in its own process',
      rows,
      notes: [
        `autocannon ${CONNECTIONS} connections, ${DURATION_SECONDS} s per run; median of ${ROUNDS} rounds' rate ratios, each round every server of the case back to back; req/s columns are the medians of their rounds; autocannon shares the box with the server`,
        ...(failures.length > 0 ? failures : ['every tokens-mock and bare response was 2xx']),
      ],
    };
  } finally {
    for (const server of servers) await server.stop();
    rmSync(workDir, { recursive: true, force: true });
  }
}

if (import.meta.main) await runStandalone(runServerThroughput);
