// Child of bench/cold-start.ts, the baseline: a bare msw setupServer with one handler answering
// one request. Prints ms since process start as one JSON line. Plain JavaScript (see cold-start-mock.mjs).
import { performance } from 'node:perf_hooks';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';

const imported = performance.now();
const url = 'https://api.mapbox.com/tokens/v2/mockuser';
const server = setupServer(http.get(url, () => HttpResponse.json([{ id: 'ckbare', usage: 'pk', scopes: ['styles:read'] }])));
server.listen({ onUnhandledRequest: 'error' });
const created = performance.now();
const response = await fetch(`${url}?access_token=x`);
await response.arrayBuffer();
const answered = performance.now();
if (response.status !== 200) throw new Error(`first request answered ${response.status}`);
server.close();
process.stdout.write(`${JSON.stringify({ imported, created, answered })}\n`);
