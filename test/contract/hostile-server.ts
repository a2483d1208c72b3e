/**
 * A lying server for the contract suite: a loopback proxy in front of a real tokens-mock server
 * (startServer) that bends one kind of answer at a time. The backend also holds a token the
 * suite did not create (`foreign`), which must stay untouched whatever the proxy answers.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startServer, type RunningServer, type ServerMockOptions } from '../../src/server/index.ts';

interface Forwarded {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface ProxyRequest {
  method: string;
  /** Path and query as received. */
  url: string;
  body: string;
  forward(override?: { method?: string; url?: string; body?: string }): Promise<Forwarded>;
}

/** Returns an answer to send, or undefined to forward unchanged; may also write to `res` itself and return 'handled'. */
export type Bend = (request: ProxyRequest, res: ServerResponse) => Promise<Forwarded | 'handled' | undefined>;

export interface HostileTarget {
  proxyUrl: string;
  backendUrl: string;
  username: string;
  masterToken: string;
  foreign: { id: string; token: string; note: string };
  defaultTokenId: string;
  /** Every request the proxy received: method and path. */
  seen: { method: string; path: string }[];
  /** A new secret token of the account with these scopes (on the backend, before the run). */
  issue(scopes: string[]): Promise<string>;
  /** The account's tokens as the backend (the truth) lists them. */
  backendTokens(): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}

const open: { close(): Promise<void> }[] = [];

export async function closeAllTargets(): Promise<void> {
  await Promise.all(open.splice(0).map((target) => target.close()));
}

export async function listen(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ server: Server; url: string }> {
  const server = createServer(handler);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

export async function hostileTarget(bend: Bend, seed = 1, backendOptions: ServerMockOptions = {}): Promise<HostileTarget> {
  const backend: RunningServer = await startServer({ port: 0, docsDir: false, mockOptions: { seed, rateLimit: false, ...backendOptions } });
  const account = await backend.mock.defaultAccount();
  const foreignToken = await backend.mock.issueToken(account.username, { note: 'not created by contract-test', scopes: ['styles:read'] });
  const seen: { method: string; path: string }[] = [];
  const backendTokens = async (): Promise<Record<string, unknown>[]> => {
    const response = await fetch(`${backend.url}/tokens/v2/${account.username}?limit=100&access_token=${account.secretToken}`);
    return (await response.json()) as Record<string, unknown>[];
  };
  const defaultTokenId = String((await backendTokens()).find((item) => item['default'] === true)?.['id']);
  const { server, url } = await listen((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      seen.push({ method: req.method!, path: new URL(req.url!, 'http://x').pathname });
      const forward = async (override: { method?: string; url?: string; body?: string } = {}): Promise<Forwarded> => {
        const method = override.method ?? req.method!;
        const sent = override.body ?? body;
        const response = await fetch(`${backend.url}${override.url ?? req.url}`, {
          method,
          headers: { 'content-type': 'application/json' },
          ...(method === 'GET' || method === 'HEAD' || sent.length === 0 ? {} : { body: sent }),
          redirect: 'manual',
        });
        const headers = Object.fromEntries(response.headers.entries());
        delete headers['content-length'];
        delete headers['transfer-encoding'];
        return { status: response.status, headers, body: await response.text() };
      };
      const request: ProxyRequest = { method: req.method!, url: req.url!, body, forward };
      bend(request, res)
        .then(async (answer) => {
          if (answer === 'handled') return;
          const out = answer ?? (await forward());
          res.writeHead(out.status, out.headers);
          res.end(out.body);
        })
        .catch(() => {
          if (!res.headersSent) res.writeHead(502).end();
          else res.destroy();
        });
    });
  });
  const target: HostileTarget = {
    proxyUrl: url,
    backendUrl: backend.url,
    username: account.username,
    masterToken: account.secretToken,
    foreign: { id: foreignToken.id, token: foreignToken.token, note: String(foreignToken.note ?? '') },
    defaultTokenId,
    seen,
    issue: async (scopes) => (await backend.mock.issueToken(account.username, { note: 'issued by the test', scopes })).token,
    backendTokens,
    close: async () => {
      server.closeAllConnections();
      server.close();
      await backend.close();
    },
  };
  open.push(target);
  return target;
}

/** The backend's view of the foreign token (undefined when it is gone). */
export async function foreignState(target: HostileTarget): Promise<unknown> {
  const item = (await target.backendTokens()).find((token) => token['id'] === target.foreign.id);
  return item ? { note: item['note'], scopes: item['scopes'], allowedUrls: item['allowedUrls'], modified: item['modified'] } : undefined;
}

export function isCreate(request: ProxyRequest): boolean {
  return request.method === 'POST' && /^\/tokens\/v2\/[^/?]+(\?|$)/.test(request.url);
}

export function isList(request: ProxyRequest): boolean {
  return request.method === 'GET' && /^\/tokens\/v2\/[^/?]+(\?|$)/.test(request.url);
}
