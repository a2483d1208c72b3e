// Scale: the cost of one request at 1 000, 10 000 and 100 000 tokens in the account, as a ratio to
// the 1 000-token cost (goal: within 3x at 100 000 — no full scans per request). In-process through
// mock.fetch, so the figures are the model's and the request core's, without msw or HTTP. Each round
// measures every size back to back (order alternating); a row's ratio is the median of the
// per-round ratios (that round's size over that round's 1 000-token cost).
import { performance } from 'node:perf_hooks';
import { createTokensMock, type TokensMock } from '../src/index.ts';
import { encodeCursor } from '../src/model/cursor.ts';
import { alternate, costRow, runStandalone, timePerOp, type BenchResult, type BenchRow } from './support.ts';

const BASE = 'https://api.mapbox.com';
const SIZES = [1_000, 10_000, 100_000] as const;
const LIMITS = { maxOps: 400, maxMs: 600 };
const ROUNDS = 5;
const MAX_RATIO = 3;

interface SizedMock {
  size: number;
  mock: TokensMock;
  secret: string;
  publicToken: string;
  middleCursor: string;
  loadMs: number;
  /** Ids created by the create measurement, consumed by the delete measurement. */
  created: string[];
  updateTarget: string;
}

async function loadMock(size: number): Promise<SizedMock> {
  const started = performance.now();
  // The account's default and master tokens count towards the size.
  const tokens = Array.from({ length: size - 2 }, (_, i) => ({
    note: `bench ${i}`,
    scopes: i % 2 === 0 ? ['styles:read'] : ['styles:read', 'tokens:read'],
  }));
  const mock = createTokensMock({ seed: 1, rateLimit: false, fixtures: { accounts: [{ username: 'mockuser', tokens }] } });
  const account = await mock.defaultAccount();
  const loadMs = performance.now() - started;
  const records = mock.snapshot().tokens;
  const middle = records[Math.floor(records.length / 2)]!;
  return {
    size,
    mock,
    loadMs,
    secret: account.secretToken,
    publicToken: account.publicToken,
    middleCursor: encodeCursor({ key: middle.created, id: middle.id }),
    created: [],
    updateTarget: records[Math.floor(records.length / 3)]!.id,
  };
}

async function call(sized: SizedMock, method: string, path: string, body?: unknown): Promise<Response> {
  const response = await sized.mock.fetch(
    new Request(`${BASE}${path}`, {
      method,
      ...(body !== undefined && { body: JSON.stringify(body) }),
    }),
  );
  if (response.status >= 300) throw new Error(`${method} ${path} answered ${response.status}: ${await response.text()}`);
  return response;
}

type Operation = (sized: SizedMock) => Promise<unknown>;

const OPERATIONS: Record<string, Operation> = {
  'list page (limit 100), first page': (s) =>
    call(s, 'GET', `/tokens/v2/mockuser?limit=100&access_token=${s.secret}`).then((r) => r.json()),
  'list page (limit 100), from the middle': (s) =>
    call(s, 'GET', `/tokens/v2/mockuser?limit=100&start=${s.middleCursor}&access_token=${s.secret}`).then((r) => r.json()),
  'list page (limit 100, usage=sk)': (s) =>
    call(s, 'GET', `/tokens/v2/mockuser?limit=100&usage=sk&access_token=${s.secret}`).then((r) => r.json()),
  retrieve: (s) => call(s, 'GET', `/tokens/v2?access_token=${s.publicToken}`).then((r) => r.json()),
  create: async (s) => {
    const body = (await (
      await call(s, 'POST', `/tokens/v2/mockuser?access_token=${s.secret}`, { note: 'created', scopes: ['styles:read'] })
    ).json()) as { id: string };
    s.created.push(body.id);
  },
  update: (s) =>
    call(s, 'PATCH', `/tokens/v2/mockuser/${s.updateTarget}?access_token=${s.secret}`, { note: `n${performance.now()}` }).then((r) =>
      r.json(),
    ),
  delete: async (s) => {
    // Deletes the newest tokens first: they sit at the end of the store, the worst case for a scan.
    const id = s.created.pop();
    if (id === undefined) return;
    await call(s, 'DELETE', `/tokens/v2/mockuser/${id}?access_token=${s.secret}`);
  },
};

export async function runScale(): Promise<BenchResult> {
  const mocks: SizedMock[] = [];
  for (const size of SIZES) mocks.push(await loadMock(size));
  const rows: BenchRow[] = [];
  const perOperation: Record<string, Record<number, number[]>> = {};
  for (const [name, operation] of Object.entries(OPERATIONS)) {
    for (const sized of mocks) for (let i = 0; i < 20; i++) await operation(sized); // warm-up
    const variants = Object.fromEntries(mocks.map((sized) => [String(sized.size), () => timePerOp(() => operation(sized), LIMITS)]));
    perOperation[name] = (await alternate(ROUNDS, variants)) as unknown as Record<number, number[]>;
  }
  for (const [name, costs] of Object.entries(perOperation)) {
    for (const size of SIZES.slice(1)) {
      rows.push(costRow(`${name} at ${size.toLocaleString('en-US')}`, 'µs/request', costs[size]!, costs[SIZES[0]]!, MAX_RATIO));
    }
  }
  const loadTimes = mocks.map((sized) => `${sized.size.toLocaleString('en-US')}: ${(sized.loadMs / 1000).toFixed(2)} s`).join(', ');
  return {
    name: 'scale',
    subjectLabel: 'mock.fetch at 10 000 / 100 000 tokens in the account',
    baselineLabel: 'the same request at 1 000 tokens',
    rows,
    notes: [
      `load time (createTokensMock with fixtures + first defaultAccount()): ${loadTimes}`,
      `median of ${ROUNDS} rounds' ratios, each round every size back to back (at most ${LIMITS.maxOps} requests or ${LIMITS.maxMs} ms each); subject and baseline are the medians of their rounds`,
    ],
  };
}

if (import.meta.main) await runStandalone(runScale);
