// A bare node:http server replaying canned responses (status, headers, body bytes) by path: the
// baseline of server-throughput and cold-start. Usage: node bench/bare-server.mjs <responses.json>
// Prints {"port"} as one JSON line once listening; answers 404 for anything else.
// Plain JavaScript on purpose: a .ts file would pay Node's type stripping (~90 ms at start here),
// which would flatter every cold-start ratio against it.
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';

/** @type {Record<string, { status: number, headers: Record<string, string>, body: string }>} */
const canned = process.argv[2] === undefined ? {} : JSON.parse(readFileSync(process.argv[2], 'utf8'));
const prepared = new Map(Object.entries(canned).map(([path, response]) => [path, { ...response, bytes: Buffer.from(response.body) }]));

const server = createServer((req, res) => {
  const response = prepared.get(`${req.method} ${req.url}`) ?? prepared.get(`${req.method} ${(req.url ?? '').split('?')[0]}`);
  if (response === undefined) {
    res.writeHead(404, { 'content-type': 'application/json; charset=utf-8' }).end('{"message":"Not Found"}');
    return;
  }
  // A request body, if any, is read (and dropped) as the mock would read it.
  req.resume();
  req.on('end', () =>
    res.writeHead(response.status, { ...response.headers, 'content-length': response.bytes.byteLength }).end(response.bytes),
  );
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`${JSON.stringify({ port: typeof address === 'object' && address !== null ? address.port : 0 })}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
