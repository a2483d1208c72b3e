/**
 * Test doubles: wrappers around the mock's fetch that each break ONE documented behaviour, to
 * measure that the suite notices (an early, small version of fault injection).
 */
export type Fetch = (request: Request) => Promise<Response>;

export interface BrokenServer {
  name: string;
  /** Check ids of which at least one must fail. */
  detectedBy: string[];
  /** DELETE does not delete: the run's tokens stay (and cleanup must report them). */
  keepsDeletedTokens?: boolean;
  wrap(fetch: Fetch, masterToken: string): Fetch;
}

async function rewriteJson(response: Response, edit: (body: unknown) => unknown, headers?: (headers: Headers) => void): Promise<Response> {
  const text = await response.text();
  const out = new Headers(response.headers);
  headers?.(out);
  if (text.length === 0) return new Response(null, { status: response.status, headers: out });
  const body = edit(JSON.parse(text));
  return new Response(JSON.stringify(body), { status: response.status, headers: out });
}

function isList(request: Request): boolean {
  return request.method === 'GET' && /\/tokens\/v2\/[^/]+$/.test(new URL(request.url).pathname);
}

function withUrl(request: Request, edit: (url: URL) => void): Request {
  const url = new URL(request.url);
  edit(url);
  return new Request(url, request);
}

export const brokenServers: BrokenServer[] = [
  {
    name: 'lowercase Not found',
    detectedBy: ['list.missing-scope', 'update.token-not-found', 'auth.other-user'],
    wrap: (fetch) => async (request) => {
      const response = await fetch(request);
      if (response.status !== 404) return response;
      return rewriteJson(response, (body) => ((body as { message?: string }).message === 'Not Found' ? { message: 'Not found' } : body));
    },
  },
  {
    name: 'sk strings leak in lists',
    detectedBy: ['list.hides-secret-strings'],
    wrap: (fetch) => async (request) => {
      const response = await fetch(request);
      if (!isList(request) || response.status !== 200) return response;
      return rewriteJson(response, (body) =>
        (body as Record<string, unknown>[]).map((item) =>
          item['usage'] === 'sk' ? { ...item, token: 'sk.eyJ1IjoibGVhayJ9.AAAAAAAAAAAAAAAAAAAAAA' } : item,
        ),
      );
    },
  },
  {
    name: 'Link header dropped',
    detectedBy: ['list.pagination'],
    wrap: (fetch) => async (request) => {
      const response = await fetch(request);
      if (!response.headers.has('link')) return response;
      return rewriteJson(
        response,
        (body) => body,
        (headers) => headers.delete('link'),
      );
    },
  },
  {
    name: 'usage filter ignored',
    detectedBy: ['list.usage-filter'],
    wrap: (fetch) => (request) => fetch(isList(request) ? withUrl(request, (url) => url.searchParams.delete('usage')) : request),
  },
  {
    name: 'sortby ignored',
    detectedBy: ['list.sort-order'],
    wrap: (fetch) => (request) => fetch(isList(request) ? withUrl(request, (url) => url.searchParams.delete('sortby')) : request),
  },
  {
    name: 'retrieve says TokenValid for revoked tokens',
    detectedBy: ['delete.revokes'],
    wrap: (fetch) => async (request) => {
      const response = await fetch(request);
      if (new URL(request.url).pathname !== '/tokens/v2') return response;
      return rewriteJson(response, (body) =>
        (body as { code?: string }).code === 'TokenRevoked' ? { ...(body as object), code: 'TokenValid' } : body,
      );
    },
  },
  {
    name: 'delete answers 204 but keeps the token',
    detectedBy: ['delete.revokes', 'auth.revoked-token'],
    keepsDeletedTokens: true,
    wrap: (fetch) => async (request) => {
      if (request.method !== 'DELETE') return fetch(request);
      const probe = await fetch(withUrl(new Request(request.url, { method: 'PATCH', body: '{}' }), () => undefined));
      if (probe.status !== 200) return probe;
      return new Response(null, { status: 204 });
    },
  },
  {
    name: 'scope escalation accepted (authorizer ignored)',
    detectedBy: ['create.scopes-escalation', 'update.scopes-escalation'],
    wrap: (fetch, master) => (request) => {
      if (request.method === 'GET') return fetch(request);
      const url = new URL(request.url);
      const token = url.searchParams.get('access_token') ?? '';
      // Requests by the escalation actor (an sk with tokens:write) are authorized as the master.
      return token.startsWith('sk.') && token !== master && request.method !== 'DELETE'
        ? fetch(withUrl(request, (edited) => edited.searchParams.set('access_token', master)))
        : fetch(request);
    },
  },
  {
    name: 'errors served as text/plain',
    detectedBy: ['list.bad-usage', 'auth.missing-token'],
    wrap: (fetch) => async (request) => {
      const response = await fetch(request);
      if (response.status < 400) return response;
      return rewriteJson(
        response,
        (body) => body,
        (headers) => headers.set('content-type', 'text/plain'),
      );
    },
  },
  {
    name: 'create answers 201',
    detectedBy: ['create.public-token'],
    wrap: (fetch) => async (request) => {
      const response = await fetch(request);
      if (request.method !== 'POST' || response.status !== 200) return response;
      return new Response(await response.text(), { status: 201, headers: response.headers });
    },
  },
  {
    name: 'limit ignored',
    detectedBy: ['list.pagination', 'list.repeated-query-parameters'],
    wrap: (fetch) => (request) => fetch(isList(request) ? withUrl(request, (url) => url.searchParams.delete('limit')) : request),
  },
  {
    name: 'PATCH ignores note',
    detectedBy: ['update.takes-effect'],
    wrap: (fetch) => async (request) => {
      if (request.method !== 'PATCH') return fetch(request);
      const body = JSON.parse((await request.text()) || '{}') as Record<string, unknown>;
      delete body['note'];
      return fetch(new Request(request.url, { method: 'PATCH', body: JSON.stringify(body), headers: request.headers }));
    },
  },
  {
    name: 'rate-limit headers missing',
    detectedBy: ['headers.rate-limit'],
    wrap: (fetch) => async (request) => {
      const response = await fetch(request);
      return rewriteJson(
        response,
        (body) => body,
        (headers) => {
          headers.delete('x-rate-limit-reset');
        },
      );
    },
  },
  {
    name: 'expires in the past accepted (expires ignored as a tk body check)',
    detectedBy: ['temporary.expires-in-past'],
    wrap: (fetch) => async (request) => {
      if (request.method !== 'POST') return fetch(request);
      const text = await request.text();
      let body: Record<string, unknown>;
      try {
        body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
      } catch {
        return fetch(new Request(request.url, { method: 'POST', body: text, headers: request.headers }));
      }
      if (typeof body['expires'] === 'string' && Date.parse(body['expires']) < Date.now()) {
        body['expires'] = new Date(Date.now() + 60_000).toISOString();
      }
      return fetch(new Request(request.url, { method: 'POST', body: JSON.stringify(body), headers: request.headers }));
    },
  },
  {
    name: 'missing token accepted as the master',
    detectedBy: ['auth.missing-token', 'auth.empty-token'],
    wrap: (fetch, master) => (request) => {
      const url = new URL(request.url);
      if (url.pathname === '/tokens/v2' || url.searchParams.get('access_token')) return fetch(request);
      return fetch(withUrl(request, (edited) => edited.searchParams.set('access_token', master)));
    },
  },
];
