import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DOCS_PATH, isDocsPath, serveDocs } from './docs-route.ts';
import { resolveAdminAccess, type AdminAccess, type AdminAccessOptions } from './admin-access.ts';
import { createAdminRoutes, isAdminMock, isAdminPath } from './admin-routes.ts';
import { isIndexPath, serveIndex } from './index-route.ts';
import { redactedTarget, type RequestLogRecord } from './request-log.ts';
import type { PlainRequest, PlainResponse } from '../http/plain-http.ts';
import type { TokensMockCore } from '../mock/tokens-mock-core.ts';
import type { ServerMockOptions } from './mock-factory.ts';
import { isBodylessMethod, readBody, requestUrl, toFetchRequest, toPlainRequest } from './node-request.ts';
import { writeFetchResponse, writePlainResponse } from './node-response.ts';
import { defaultDocsDir } from './package-paths.ts';
import { BodyBudgetError, BodyTimeoutError, PayloadTooLargeError, SERVER_ERROR_MESSAGES, writeJsonError } from './server-errors.ts';
import type { DurableState, StateSync } from './durable-state.ts';
import { InputFileError, readJsonFile } from './state-file.ts';

// node:http through getBuiltinModule, not `import`: an ES import of a builtin reads every export to
// build its namespace, and node:http's lazy `WebSocket` export then loads undici (with tls, http2,
// zlib, worker_threads...), ~50-70 ms of the server's cold start that nothing here uses.
const { createServer } = process.getBuiltinModule('node:http');

/** Default port of `tokens-mock` (documented in the README and `--help`). */
export const DEFAULT_PORT = 4010;
export const DEFAULT_HOST = '127.0.0.1';
/** Largest request body accepted; larger ones get 413. The API's biggest legal body is far smaller. */
export const DEFAULT_BODY_LIMIT = 1024 * 1024;
/**
 * Bytes of request bodies buffered at once across all requests; past it, 503 JSON (retry later).
 * 32 full-size bodies: far beyond what clients of a mock send together, small beside a server's memory.
 */
export const DEFAULT_TOTAL_BODY_LIMIT = 32 * DEFAULT_BODY_LIMIT;
/** How long a request body may take to arrive; a slower upload gets 408 and its memory back. */
export const DEFAULT_BODY_TIMEOUT_MS = 10_000;
/**
 * With a seed (and neither a clock nor an initialTime), the initial accounts and tokens are created
 * at this instant (2024-01-01T00:00:00Z): the mock's ids and timestamps include the creation time,
 * so a seed alone would not make them repeatable across starts.
 */
export const SEEDED_START_MS = Date.UTC(2024, 0, 1);
/** How long close() lets in-flight requests finish before cutting their connections. */
const CLOSE_GRACE_MS = 5000;
/** How long a refused oversized upload may keep sending (discarded) before its connection is cut. */
const OVERSIZED_BODY_GRACE_MS = 500;

/** What the server needs from a mock: the framework-free request handler plus state and credentials. */
export interface ServableMock {
  /** Answers every request outside /docs, unless the mock has `handle`. */
  fetch(request: Request): Promise<Response>;
  /**
   * Optional: fetch()'s answers without Fetch API objects (TokensMockCore has it). When present,
   * the server uses it instead of fetch(): it passes method, absolute URL and body text and writes
   * the plain answer directly. Building a Request and a Response per request and reading the body
   * back is a large share of the server's time; and the server itself then never uses the Fetch
   * classes, whose first use makes Node load undici (tens of milliseconds).
   */
  handle?(request: PlainRequest): Promise<PlainResponse>;
  snapshot(): unknown;
  restore(state: unknown): Promise<void>;
  defaultAccount(): Promise<{ username: string; secretToken: string }>;
  /** Active fault names, when the mock has any (TokensMockCore lists them). */
  readonly faults?: readonly string[];
}

export interface StartServerOptions<M extends ServableMock = TokensMockCore> {
  /** The mock to serve. When absent, one is built with createTokensMockCore(mockOptions). */
  mock?: M;
  /** Options for the mock built when `mock` is absent (`fixtures` is filled from `fixturesPath`). */
  mockOptions?: ServerMockOptions;
  /** JSON file in the fixtures shape, read before the mock is built (only when `mock` is absent). */
  fixturesPath?: string;
  /**
   * JSON state file: restored on start when it exists (with its journal), locked while the server
   * runs, and every write is journaled to disk before its response is sent (docs/state-file.md).
   */
  statePath?: string;
  /** When a write to the state file is acknowledged: `fsync` (default) or `write` (see StateSync). */
  stateSync?: StateSync;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** Maximum request body in bytes. */
  bodyLimit?: number;
  /** Maximum bytes of all request bodies buffered at once (default DEFAULT_TOTAL_BODY_LIMIT). */
  totalBodyLimit?: number;
  /** Milliseconds a request body may take to arrive (default DEFAULT_BODY_TIMEOUT_MS). */
  bodyTimeoutMs?: number;
  /** Folder served at /docs; `false` turns the docs route off. Default: the package's docs/. */
  docsDir?: string | false;
  /** Called with every exception that became a 500 (the server keeps serving). */
  onRequestError?: (error: unknown, request: { method: string; path: string }) => void;
  /**
   * The control surface under /__admin/: on by default only on a loopback host; elsewhere only
   * with `token`; `disabled` turns it off. Needs a mock with the control methods (createTokensMockCore's).
   */
  admin?: AdminAccessOptions;
  /** Called once per answered request, tokens redacted (`tokens-mock --log`). */
  onRequestLog?: (record: RequestLogRecord) => void;
}

export interface RunningServer<M extends ServableMock = TokensMockCore> {
  /** Base URL clients use, e.g. http://127.0.0.1:4010 (give it to the SDK as `origin`). */
  readonly url: string;
  readonly port: number;
  readonly host: string;
  /** Where the API reference is served, or undefined when the docs route is off. */
  readonly docsUrl: string | undefined;
  readonly mock: M;
  readonly server: Server;
  /** Whether the control surface (/__admin/) is on, and why not when it is off. */
  readonly admin: AdminAccess;
  /** Stops accepting, lets in-flight requests finish, saves the state file. Idempotent. */
  close(): Promise<void>;
  /**
   * Makes every state change so far durable (with a state file; otherwise resolves at once). The
   * server calls it after each write request; call it after changing the mock another way (its
   * helpers, reset(), restore()) before acknowledging that change to anyone.
   */
  saveState(): Promise<void>;
}

/** The server could not start (port in use, bad address, unusable input file): a one-line reason. */
export class ServerStartError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ServerStartError';
  }
}

/**
 * Serves a Tokens API mock over node:http. Every request except /docs goes to `mock.handle` (or
 * `mock.fetch` for a mock without it), the same route table the msw handlers use, so routes are
 * declared once; msw's generic matching stays off the hot path, and the mock built here is the
 * msw-free core, so msw is never even loaded.
 */
export async function startServer<M extends ServableMock = TokensMockCore>(options: StartServerOptions<M> = {}): Promise<RunningServer<M>> {
  const host = options.host ?? DEFAULT_HOST;
  const bodyLimit = options.bodyLimit ?? DEFAULT_BODY_LIMIT;
  const bodyBudget = { used: 0, limit: options.totalBodyLimit ?? DEFAULT_TOTAL_BODY_LIMIT };
  const bodyTimeoutMs = options.bodyTimeoutMs ?? DEFAULT_BODY_TIMEOUT_MS;
  const docsDir = options.docsDir === undefined ? defaultDocsDir() : options.docsDir;
  const mock = options.mock ?? ((await buildMock(options)) as unknown as M);
  // Loaded only with a state file: the journal and Ajv's state schema cost the plain start nothing.
  const durable: DurableState | undefined =
    options.statePath === undefined
      ? undefined
      : await (await import('./durable-state.ts')).DurableState.open(options.statePath, mock, options.stateSync);

  let admin = resolveAdminAccess(host, options.admin);
  if (admin.enabled && !isAdminMock(mock)) admin = { enabled: false, reason: 'the served mock has no control methods' };
  const adminRoutes = admin.enabled && isAdminMock(mock) ? createAdminRoutes(mock, admin, async () => durable?.commit()) : undefined;

  let fallbackOrigin = `http://${hostForUrl(host)}`;
  const server = createServer((req, res) => {
    // Last resort: handleRequest answers its own errors, so this only fires if even that failed.
    handleRequest(req, res).catch(() => res.destroy());
  });
  // Idle keep-alive connections outlive the clients' own idle timeouts (undici's 4 s, Node's agent
  // 5 s): were the server first to close, a client reusing that socket for a POST at the same moment
  // would see ECONNRESET, and a POST cannot safely be retried. Stopping closes idle ones at once.
  server.keepAliveTimeout = 65_000;

  /**
   * With a state file, a write is answered only once it is on disk (false: it could not be saved,
   * and a 503 was answered instead; the change stays in memory and the next save includes it).
   */
  async function persisted(method: string, res: ServerResponse): Promise<boolean> {
    if (durable === undefined || isBodylessMethod(method) || method === 'OPTIONS') return true;
    try {
      await durable.commit();
      return true;
    } catch (error) {
      try {
        options.onRequestError?.(error, { method, path: 'state file' });
      } catch {
        // A failing log hook must not stop the answer.
      }
      await writeJsonError(res, 503, SERVER_ERROR_MESSAGES.stateNotSaved);
      return false;
    }
  }

  async function handleRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    let path = '?';
    if (options.onRequestLog !== undefined) logWhenFinished(req, res, method, options.onRequestLog);
    try {
      const url = requestUrl(req, fallbackOrigin);
      path = url.pathname;
      if (docsDir !== false && isDocsPath(url.pathname)) {
        await serveDocs(res, method, url.pathname, docsDir, url.origin);
        return;
      }
      if (adminRoutes !== undefined && isAdminPath(url.pathname)) {
        await adminRoutes.handle(req, res, method, url);
        return;
      }
      if (isIndexPath(url.pathname)) {
        await serveIndex(res, method, url.pathname, req.headers.accept, async () => ({
          baseUrl: fallbackOrigin,
          username: (await mock.defaultAccount()).username,
          links: {
            ...(docsDir !== false && { docs: `${fallbackOrigin}${DOCS_PATH}` }),
            openapiJson: `${fallbackOrigin}/openapi.json`,
            openapiYaml: `${fallbackOrigin}/openapi.yaml`,
            ...(adminRoutes !== undefined && { admin: `${fallbackOrigin}/__admin/openapi.json` }),
          },
          faults: isAdminMock(mock) ? mock.faults : [],
        }));
        return;
      }
      let body: Buffer | undefined;
      // A GET that declares a body has it read too: strict mode reports it (the API ignores it).
      if (!isBodylessMethod(method) || declaresBody(req)) {
        try {
          body = await readBody(req, bodyLimit, bodyBudget, bodyTimeoutMs);
        } catch (error) {
          const refusal = BODY_REFUSALS.find(([type]) => error instanceof type);
          if (refusal === undefined) {
            // The client is gone (closed mid-body): nobody is left to answer.
            if (req.destroyed || res.destroyed) return;
            throw error;
          }
          await refuseBody(req, res, refusal[1], refusal[2]);
          return;
        }
      }
      if (mock.handle !== undefined) {
        // Called as a method: an embedder's mock may be a class instance that needs its `this`.
        const answer = await mock.handle(toPlainRequest(method, url, body));
        if (await persisted(method, res)) writePlainResponse(res, answer, method === 'HEAD');
      } else {
        const response = await mock.fetch(toFetchRequest(req, url, body));
        if (await persisted(method, res)) await writeFetchResponse(res, response, method === 'HEAD');
      }
    } catch (error) {
      // A client that went away mid-request is not a server error: nobody is left to answer.
      if (res.destroyed) return;
      try {
        // The path only: the query holds the caller's access token, which must not reach any log.
        options.onRequestError?.(error, { method, path });
      } catch {
        // A failing log hook must not stop the answer.
      }
      await writeJsonError(res, 500, SERVER_ERROR_MESSAGES.internal);
    }
  }

  try {
    await listen(server, host, options.port ?? DEFAULT_PORT);
  } catch (error) {
    await durable?.close();
    throw error;
  }
  const port = (server.address() as AddressInfo).port;
  const url = `http://${hostForUrl(host)}:${port}`;
  fallbackOrigin = url;

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= closeServer(server).then(() => durable?.close());
    return closing;
  };

  return {
    url,
    port,
    host,
    docsUrl: docsDir === false ? undefined : `${url}${DOCS_PATH}`,
    mock,
    server,
    admin,
    close,
    saveState: async () => {
      await durable?.commit();
    },
  };
}

function declaresBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return (length !== undefined && length !== '0') || req.headers['transfer-encoding'] !== undefined;
}

/** Reports the request once its answer is written (or its connection closed), with the tokens redacted. */
function logWhenFinished(req: IncomingMessage, res: ServerResponse, method: string, log: (record: RequestLogRecord) => void): void {
  const started = performance.now();
  res.once('close', () => {
    let target = '?';
    try {
      target = redactedTarget(new URL(req.url ?? '/', 'http://log.invalid'));
    } catch {
      // An unparsable target is logged as '?'.
    }
    try {
      log({ method, path: target, status: res.statusCode, ms: Math.round((performance.now() - started) * 10) / 10 });
    } catch {
      // A failing log hook must not affect serving.
    }
  });
}

async function buildMock(options: StartServerOptions<ServableMock>): Promise<TokensMockCore> {
  const mockOptions: ServerMockOptions = { ...options.mockOptions };
  if (options.fixturesPath !== undefined) {
    mockOptions.fixtures = (await readJsonFile(options.fixturesPath, 'fixtures')) as ServerMockOptions['fixtures'];
  }
  // A seeded start is repeatable: initial state at a fixed instant, then the real clock.
  if (mockOptions.seed !== undefined && mockOptions.clock === undefined && mockOptions.initialTime === undefined) {
    mockOptions.initialTime = SEEDED_START_MS;
  }
  const { createServerMock } = await import('./mock-factory.ts');
  // A refused option (an unknown fault, a bad initialTime) throws here, with its own message.
  const mock = createServerMock(mockOptions);
  try {
    // The mock initialises asynchronously and reports bad fixtures on first use: surface them before listening.
    await mock.defaultAccount();
    return mock;
  } catch (error) {
    // Fixtures are user input: a shape the mock rejects is reported like any other bad input file.
    if (options.fixturesPath !== undefined) {
      throw new InputFileError(`fixtures file ${options.fixturesPath} was refused: ${(error as Error).message}`);
    }
    throw error;
  }
}

/** Bodies the server refuses before the mock sees them: the error, its status and its message. */
const BODY_REFUSALS: ReadonlyArray<readonly [new (...args: never[]) => Error, number, string]> = [
  [PayloadTooLargeError, 413, SERVER_ERROR_MESSAGES.payloadTooLarge],
  [BodyBudgetError, 503, SERVER_ERROR_MESSAGES.busy],
  [BodyTimeoutError, 408, SERVER_ERROR_MESSAGES.requestTimeout],
];

/**
 * Answers a refused body (413, 503, 408) and closes the connection. Node would otherwise keep
 * reading and discarding the rest of the body for as long as the client sends it; a short grace
 * period lets well-behaved clients read the answer first.
 */
async function refuseBody(req: IncomingMessage, res: ServerResponse, status: number, message: string): Promise<void> {
  req.resume();
  res.once('finish', () => {
    setTimeout(() => req.socket.destroy(), OVERSIZED_BODY_GRACE_MS).unref();
  });
  await writeJsonError(res, status, message, { Connection: 'close' });
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      server.off('listening', onListening);
      reject(new ServerStartError(describeListenError(error, host, port)));
    };
    const onListening = (): void => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen({ host, port });
  });
}

function describeListenError(error: NodeJS.ErrnoException, host: string, port: number): string {
  switch (error.code) {
    case 'EADDRINUSE':
      return `port ${port} is already in use on ${host} (choose another with --port, or 0 for a free one)`;
    case 'EACCES':
      return `permission denied to listen on ${host}:${port}`;
    case 'EADDRNOTAVAIL':
      return `address ${host} is not available on this machine`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `cannot resolve host ${host}`;
    default:
      return `cannot listen on ${host}:${port}: ${error.message}`;
  }
}

/** server.close() waits for every connection; idle keep-alive ones are closed so it does not hang. */
function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    if (!server.listening) {
      resolve();
      return;
    }
    const idleSweep = setInterval(() => server.closeIdleConnections(), 50);
    const deadline = setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS);
    server.close((error) => {
      clearInterval(idleSweep);
      clearTimeout(deadline);
      if (error) reject(error);
      else resolve();
    });
    server.closeIdleConnections();
  });
}

/** Host as it appears in a URL: brackets for IPv6; unspecified addresses become loopback. */
function hostForUrl(host: string): string {
  if (host === '0.0.0.0' || host === '') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}
