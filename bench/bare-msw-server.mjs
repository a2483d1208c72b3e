// A bare msw server: node:http handing every request to one msw handler through msw's
// getResponse (the generic msw matching path, as an http middleware for msw would do), answering
// the canned body. The baseline of "tokens-mock to its first answered request" against a bare msw
// setup (issue 7). Usage: node bench/bare-msw-server.mjs. Prints {"port"} once listening.
// Plain JavaScript (see bare-server.mjs).
import { createServer } from 'node:http';
import { getResponse, http, HttpResponse } from 'msw';

const handlers = [http.get('http://127.0.0.1:*/tokens/v2/mockuser', () => HttpResponse.json([]))];

const server = createServer(async (req, res) => {
  const request = new Request(`http://${req.headers.host}${req.url}`, { method: req.method, headers: req.headers });
  const response = (await getResponse(handlers, request)) ?? HttpResponse.json({ message: 'Not Found' }, { status: 404 });
  const body = Buffer.from(await response.arrayBuffer());
  res.writeHead(response.status, { ...Object.fromEntries(response.headers), 'content-length': body.byteLength }).end(body);
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`${JSON.stringify({ port: typeof address === 'object' && address !== null ? address.port : 0 })}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
