// A Tokens API server over node:http that counts the requests it receives (and when), backed by
// the in-process mock; it can call back on the nth request (to interrupt a run there).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTokensMockCore, type TokensMockCore } from '../../../src/index.ts';

export interface CountingServer {
  baseUrl: string;
  username: string;
  token: string;
  mock: TokensMockCore;
  /** Arrival times (ms) of every request. */
  arrivals: number[];
  /** Method and status of every answer. */
  answers: string[];
  /** Method and path of every request. */
  requests: string[];
  /** Ids of the account's tokens now (read in-process, not counted). */
  tokenIds(): Promise<string[]>;
  onRequest?: (count: number) => void;
  close(): Promise<void>;
}

/**
 * `rateLimit` raises the server's limit (default: the documented 100 a minute); `clockOffsetMs`
 * puts the server's clock (its mock time and its Date header) that far from the local one.
 */
export async function startCountingServer(rateLimit?: number, clockOffsetMs = 0): Promise<CountingServer> {
  const mock = createTokensMockCore({
    seed: 11,
    clock: () => Date.now() + clockOffsetMs,
    ...(rateLimit === undefined ? {} : { rateLimit: { limit: rateLimit } }),
  });
  const account = await mock.defaultAccount();
  let server: Server;
  const counting: CountingServer = {
    baseUrl: '',
    username: account.username,
    token: account.secretToken,
    mock,
    arrivals: [],
    answers: [],
    requests: [],
    async tokenIds() {
      const answer = await mock.handle({
        method: 'GET',
        url: `http://in-process/tokens/v2/${account.username}?limit=100&access_token=${account.secretToken}`,
        text: async () => '',
      });
      return (JSON.parse(answer.body!) as { id: string }[]).map((item) => item.id).sort();
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  server = createServer((request, response) => {
    counting.arrivals.push(Date.now());
    counting.requests.push(`${request.method} ${new URL(request.url ?? '/', 'http://server').pathname}`);
    counting.onRequest?.(counting.arrivals.length);
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      void mock
        .handle({ method: request.method ?? 'GET', url: `${counting.baseUrl}${request.url ?? '/'}`, text: async () => body })
        .then((answer) => {
          counting.answers.push(`${request.method} ${answer.status}`);
          response.writeHead(answer.status, { ...answer.headers, Date: new Date(Date.now() + clockOffsetMs).toUTCString() });
          response.end(answer.body ?? undefined);
        });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  counting.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return counting;
}
