// A bare node:http server replaying canned responses (status, headers, body bytes) by path: the
// baseline of server-throughput and cold-start. Usage: node bench/bare-server.ts <responses.json>
// Prints {"port"} as one JSON line once listening; answers 404 for anything else.
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';

export interface CannedResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const file = process.argv[2];
const canned: Record<string, CannedResponse> = file === undefined ? {} : JSON.parse(readFileSync(file, 'utf8'));
const prepared = new Map(Object.entries(canned).map(([path, response]) => [path, { ...response, bytes: Buffer.from(response.body) }]));

const server = createServer((req, res) => {
  const response = prepared.get(`${req.method} ${req.url}`) ?? prepared.get(`${req.method} ${(req.url ?? '').split('?')[0]}`);
  if (response === undefined) {
    res.writeHead(404, { 'content-type': 'application/json; charset=utf-8' }).end('{"message":"Not Found"}');
    return;
  }
  // A request body, if any, is read (and dropped) as the mock would read it.
  req.resume();
  req.on('end', () => res.writeHead(response.status, { ...response.headers, 'content-length': response.bytes.byteLength }).end(response.bytes));
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`${JSON.stringify({ port: typeof address === 'object' && address !== null ? address.port : 0 })}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
