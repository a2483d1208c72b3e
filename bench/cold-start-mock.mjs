// Child of bench/cold-start.ts: import the package, createTokensMock(), serve it with msw's
// setupServer and answer one request. Prints ms since process start at each step as one JSON line.
// argv[2]: 'list' (GET list page) or 'create' (POST create: also runs the body validators);
// argv[3]: the module to import (the built dist/src/index.js, or src/index.ts for the sources).
// Plain JavaScript, like the baseline child, so that neither pays Node's type stripping for itself.
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { setupServer } from 'msw/node';

const { createTokensMock } = await import(pathToFileURL(process.argv[3]).href);
const imported = performance.now();
const mock = createTokensMock();
const created = performance.now();
const server = setupServer(...mock.handlers);
server.listen({ onUnhandledRequest: 'error' });
const { username, secretToken } = await mock.defaultAccount();
const url = `${mock.baseUrl}/tokens/v2/${username}?access_token=${secretToken}`;
const response =
  process.argv[2] === 'create'
    ? await fetch(url, { method: 'POST', body: JSON.stringify({ note: 'first', scopes: ['styles:read'] }) })
    : await fetch(url);
await response.arrayBuffer();
const answered = performance.now();
if (response.status !== 200) throw new Error(`first request answered ${response.status}`);
server.close();
process.stdout.write(`${JSON.stringify({ imported, created, answered })}\n`);
