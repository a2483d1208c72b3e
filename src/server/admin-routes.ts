// The control surface under /__admin/ (described by admin-openapi.ts): reset, accounts, clock,
// state, faults, the request journal and strict-mode violations. It talks to the mock only through
// its public methods, and it never goes through the mock's request handling, so a control request
// never counts against a rate limit and never appears in the journal.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { errorResponse, jsonResponse, noContentResponse } from '../http/responses.ts';
import type { TokensMockCore } from '../mock/tokens-mock-core.ts';
import type { JournalFilter } from '../mock/request-journal.ts';
import { ROUTES, type OperationId } from '../http/routes.ts';
import { API_ERRORS } from '../generated/api-tables.ts';
import { FAULTS, faultNames } from '../faults/catalogue.ts';
import type { PlainResponse } from '../http/plain-http.ts';
import { ADMIN_BASE_PATH, adminOpenapiDocument } from './admin-openapi.ts';
import { isAuthorized } from './admin-access.ts';
import { readBody } from './node-request.ts';
import { writePlainResponse } from './node-response.ts';
import { PayloadTooLargeError } from './server-errors.ts';

/** What the control surface needs of a mock: createTokensMockCore() gives all of it. */
export type AdminMock = Pick<
  TokensMockCore,
  | 'reset'
  | 'createAccount'
  | 'now'
  | 'advanceTime'
  | 'setTime'
  | 'snapshot'
  | 'restore'
  | 'journal'
  | 'violations'
  | 'faults'
  | 'setFaults'
  | 'defaultAccount'
>;

/** Largest control request body (a state snapshot of a big mock can be several MiB). */
const ADMIN_BODY_LIMIT = 64 * 1024 * 1024;

const OPERATION_IDS: ReadonlySet<string> = new Set(ROUTES.flatMap((route) => Object.values(route.operations)));

export function isAdminPath(pathname: string): boolean {
  return pathname === ADMIN_BASE_PATH || pathname.startsWith(`${ADMIN_BASE_PATH}/`);
}

export function isAdminMock(mock: object): mock is AdminMock {
  const candidate = mock as Partial<AdminMock>;
  return (
    typeof candidate.setFaults === 'function' &&
    typeof candidate.journal?.entries === 'function' &&
    typeof candidate.violations?.all === 'function'
  );
}

/** A refused control request: answered with its status and `{"message"}`. */
class AdminRequestError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

const DURATION = /^(-?\d+(?:\.\d+)?)\s*(ms|s|m|h|d)$/;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Milliseconds from a number or `90s`/`15m`/`1h`/`2d`/`500ms`. */
function parseDuration(value: unknown): number {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  const match = typeof value === 'string' ? DURATION.exec(value.trim()) : null;
  if (match === null) throw new AdminRequestError(400, 'advance must be milliseconds or a duration such as 90s, 15m, 1h, 2d');
  return Number(match[1]) * UNIT_MS[match[2]!]!;
}

export interface AdminRoutes {
  /** Answers a request under /__admin/ (authorization included). */
  handle(req: IncomingMessage, res: ServerResponse, method: string, url: URL): Promise<void>;
}

/**
 * `persist` runs after every control request that may change the mock (any method but GET and
 * HEAD), before it is answered: with `--state`, the change is on disk once acknowledged.
 */
export function createAdminRoutes(
  mock: AdminMock,
  access: { token: string | undefined },
  persist: () => Promise<void> = async () => {},
): AdminRoutes {
  let accountCounter = 0;

  async function readJson(req: IncomingMessage): Promise<unknown> {
    let text: string;
    try {
      text = (await readBody(req, ADMIN_BODY_LIMIT)).toString('utf8');
    } catch (error) {
      if (error instanceof PayloadTooLargeError) throw new AdminRequestError(413, 'Payload Too Large');
      throw error;
    }
    if (text.trim() === '') return undefined;
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new AdminRequestError(400, 'the body is not JSON');
    }
  }

  const objectBody = (body: unknown, allowed: readonly string[]): Record<string, unknown> => {
    if (body === undefined) return {};
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      throw new AdminRequestError(400, 'the body must be a JSON object');
    const unknown = Object.keys(body).find((key) => !allowed.includes(key));
    if (unknown !== undefined) throw new AdminRequestError(400, `unknown property "${unknown}" (allowed: ${allowed.join(', ')})`);
    return body as Record<string, unknown>;
  };

  const clock = () => {
    const now = mock.now();
    return { now: new Date(now).toISOString(), offsetMs: now - Date.now() };
  };

  const faults = () => ({
    active: mock.faults,
    available: faultNames.map((name) => ({ name, operation: FAULTS[name].operation, description: FAULTS[name].description })),
  });

  const journalFilter = (params: URLSearchParams): JournalFilter => {
    const filter: JournalFilter = {};
    for (const name of params.keys()) {
      if (!['account', 'operation', 'status', 'since'].includes(name))
        throw new AdminRequestError(400, `unknown filter "${name}" (account, operation, status, since)`);
    }
    const account = params.get('account');
    if (account !== null) filter.account = account;
    const operation = params.get('operation');
    if (operation !== null) {
      if (!OPERATION_IDS.has(operation)) throw new AdminRequestError(400, `operation must be one of ${[...OPERATION_IDS].join(', ')}`);
      filter.operation = operation as OperationId;
    }
    const status = params.get('status');
    if (status !== null) {
      if (!/^\d{3}$/.test(status)) throw new AdminRequestError(400, 'status must be a 3-digit HTTP status');
      filter.status = Number(status);
    }
    const since = params.get('since');
    if (since !== null) {
      if (!Number.isFinite(Date.parse(since))) throw new AdminRequestError(400, 'since must be an ISO 8601 date-time');
      filter.since = since;
    }
    return filter;
  };

  type Route = (req: IncomingMessage, url: URL) => Promise<PlainResponse>;
  const routes: Record<string, Partial<Record<string, Route>>> = {
    '/openapi.json': { GET: async () => jsonResponse(200, adminOpenapiDocument) },
    '/reset': {
      POST: async () => {
        // Also the initial faults, an empty journal and no violations (see TokensMockCore.reset).
        await mock.reset();
        return noContentResponse();
      },
    },
    '/accounts': {
      POST: async (req) => {
        const body = objectBody(await readJson(req), ['username', 'scopes']);
        if (body.username !== undefined && typeof body.username !== 'string') throw new AdminRequestError(400, 'username must be a string');
        if (body.scopes !== undefined && (!Array.isArray(body.scopes) || body.scopes.some((scope) => typeof scope !== 'string'))) {
          throw new AdminRequestError(400, 'scopes must be an array of strings');
        }
        const username = (body.username as string | undefined) ?? `job-${++accountCounter}-${Math.random().toString(36).slice(2, 8)}`;
        try {
          const account = await mock.createAccount({ username, ...(body.scopes !== undefined && { scopes: body.scopes as string[] }) });
          return jsonResponse(201, account);
        } catch (error) {
          const text = (error as Error).message;
          throw new AdminRequestError(/already exists/.test(text) ? 409 : 400, text);
        }
      },
    },
    '/clock': {
      GET: async () => jsonResponse(200, clock()),
      POST: async (req) => {
        const body = objectBody(await readJson(req), ['advance', 'at']);
        if ((body.advance === undefined) === (body.at === undefined))
          throw new AdminRequestError(400, 'give exactly one of advance and at');
        const at = body.at === undefined ? undefined : typeof body.at === 'string' ? Date.parse(body.at) : Number.NaN;
        if (at !== undefined && !Number.isFinite(at)) throw new AdminRequestError(400, 'at must be an ISO 8601 date-time');
        const advance = body.advance === undefined ? undefined : parseDuration(body.advance);
        try {
          if (advance !== undefined) mock.advanceTime(advance);
          else mock.setTime(at!);
        } catch (error) {
          // Outside what a Date can hold: refused, and the clock is unchanged.
          if (error instanceof RangeError) throw new AdminRequestError(400, error.message);
          throw error;
        }
        return jsonResponse(200, clock());
      },
    },
    '/state': {
      GET: async () => {
        await mock.defaultAccount(); // settles a pending initialisation or reset first
        return jsonResponse(200, mock.snapshot());
      },
      PUT: async (req) => {
        const body = await readJson(req);
        try {
          await mock.restore(body as Parameters<AdminMock['restore']>[0]);
        } catch (error) {
          throw new AdminRequestError(400, (error as Error).message);
        }
        return noContentResponse();
      },
    },
    '/faults': {
      GET: async () => jsonResponse(200, faults()),
      PUT: async (req) => {
        const body = objectBody(await readJson(req), ['active']);
        if (!Array.isArray(body.active)) throw new AdminRequestError(400, 'active must be an array of fault names');
        try {
          mock.setFaults(body.active as string[]);
        } catch (error) {
          throw new AdminRequestError(400, (error as Error).message);
        }
        return jsonResponse(200, faults());
      },
    },
    '/requests': {
      GET: async (_req, url) => {
        const requests = mock.journal.entries(journalFilter(url.searchParams));
        return jsonResponse(200, { count: requests.length, requests });
      },
      DELETE: async () => {
        mock.journal.clear();
        return noContentResponse();
      },
    },
    '/violations': {
      GET: async () => {
        const violations = mock.violations.all();
        return jsonResponse(200, { count: violations.length, violations });
      },
      DELETE: async () => {
        mock.violations.clear();
        return noContentResponse();
      },
    },
  };

  return {
    async handle(req, res, method, url) {
      let answer: PlainResponse;
      try {
        if (!isAuthorized(access, req.headers.authorization)) {
          // The API's own answer to a missing token, with the admin realm to authenticate against.
          const { status, message } = API_ERRORS['missing-token'];
          answer = errorResponse(status, message, { 'WWW-Authenticate': 'Bearer realm="tokens-mock admin"' });
        } else {
          const route = routes[url.pathname.slice(ADMIN_BASE_PATH.length)];
          const handler = route?.[method];
          if (route === undefined) answer = errorResponse(API_ERRORS['route-not-found'].status, API_ERRORS['route-not-found'].message);
          else if (handler === undefined) {
            const { status, message } = API_ERRORS['method-not-allowed'];
            answer = errorResponse(status, message, { Allow: Object.keys(route).join(', ') });
          } else {
            answer = await handler(req, url);
            if (method !== 'GET' && method !== 'HEAD') await persist();
          }
        }
      } catch (error) {
        if (!(error instanceof AdminRequestError)) throw error;
        answer = errorResponse(error.status, error.message);
      }
      // Unread request bodies (a 401, a 404) must not stall a keep-alive connection.
      req.resume();
      writePlainResponse(res, answer, method === 'HEAD');
    },
  };
}
