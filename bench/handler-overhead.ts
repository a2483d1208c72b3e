// Handler overhead: a request through createTokensMock().handlers under msw's setupServer vs a bare
// msw handler on the same URL answering the same JSON. Goal: at most 2x the bare handler.
// One setupServer; resetHandlers() switches between the two handler sets. Each round measures the
// mock and the bare handler back to back (order alternating); the ratio is the median of the
// per-round ratios, as msw's own per-request cost drifts by up to 2x within a run on a shared box.
import { http, HttpResponse, type HttpHandler } from 'msw';
import { setupServer } from 'msw/node';
import { createTokensMock } from '../src/index.ts';
import { alternate, costRow, runStandalone, timePerOp, type BenchResult, type BenchRow } from './support.ts';

const LIMITS = { maxOps: 2_000, maxMs: 700 };
const ROUNDS = 7;
const MAX_RATIO = 2;
const LIST_SIZE = 20;

export async function runHandlerOverhead(): Promise<BenchResult> {
  const mock = createTokensMock({ seed: 1, rateLimit: false });
  const account = await mock.defaultAccount();
  for (let i = 0; i < LIST_SIZE; i++) await mock.issueToken(account.username, { note: `bench ${i}`, scopes: ['styles:read'] });
  const base = `${mock.baseUrl}/tokens/v2`;
  const retrieveUrl = `${base}?access_token=${account.publicToken}`;
  const listUrl = `${base}/${account.username}?limit=${LIST_SIZE}&access_token=${account.secretToken}`;
  const createUrl = `${base}/${account.username}?access_token=${account.secretToken}`;
  const createBody = JSON.stringify({ note: 'created', scopes: ['styles:read'] });

  const server = setupServer(...mock.handlers);
  server.listen({ onUnhandledRequest: 'error' } as Parameters<typeof server.listen>[0]);
  try {
    // The bare handlers answer exactly what the mock answered (bodies captured once).
    const retrieveJson = await (await fetch(retrieveUrl)).json();
    const listJson = await (await fetch(listUrl)).json();
    const createJson = await (await fetch(createUrl, { method: 'POST', body: createBody })).json();
    const bareHandlers: HttpHandler[] = [
      http.get(base, () => HttpResponse.json(retrieveJson)),
      http.get(`${base}/:username`, () => HttpResponse.json(listJson)),
      // The bare create reads its body too, as any create handler would.
      http.post(`${base}/:username`, async ({ request }) =>
        HttpResponse.json({ ...createJson, note: ((await request.json()) as { note: string }).note }),
      ),
    ];
    const requests: Record<string, () => Promise<unknown>> = {
      retrieve: async () => (await fetch(retrieveUrl)).json(),
      [`list page (${LIST_SIZE} tokens)`]: async () => (await fetch(listUrl)).json(),
      create: async () => (await fetch(createUrl, { method: 'POST', body: createBody })).json(),
    };
    const rows: BenchRow[] = [];
    for (const [name, request] of Object.entries(requests)) {
      const measure = (handlers: HttpHandler[]) => async () => {
        server.resetHandlers(...handlers);
        for (let i = 0; i < 50; i++) await request(); // warm-up after the switch
        return timePerOp(request, LIMITS);
      };
      const costs = await alternate(ROUNDS, { mock: measure(mock.handlers), bare: measure(bareHandlers) });
      rows.push(costRow(name, 'µs/request', costs.mock, costs.bare, MAX_RATIO));
    }
    return {
      name: 'handler overhead (msw setupServer, in-process fetch)',
      subjectLabel: 'createTokensMock().handlers (rate limit off)',
      baselineLabel: 'a bare msw handler on the same URL returning the same JSON',
      rows,
      notes: [
        `median of ${ROUNDS} rounds' ratios, each round the mock and the bare handler back to back (at most ${LIMITS.maxOps} sequential requests or ${LIMITS.maxMs} ms each, after 50 warm-up requests); subject and baseline are the medians of their rounds`,
        'every create adds a token to the mock, so the account grows during the run (see scale for the cost at size)',
      ],
    };
  } finally {
    server.close();
  }
}

if (import.meta.main) await runStandalone(runHandlerOverhead);
