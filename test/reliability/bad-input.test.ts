// Bad-input table, extending test/http/bad-input.test.ts (which covers: malformed JSON '{"note":',
// JSON null/number bodies, note object, scopes null / [''], allowedUrls null / 10 000 / with a number,
// expires null / without offset / date only / 31 February, unknown "referrers", resources, a
// unicode note, odd path encodings, empty usage). Every row answers its documented error (status +
// exact JSON message) and leaves the token state exactly as it was; nothing answers 5xx except the
// documented invalid `start` cursor. Last, the standalone server's 413 for oversized bodies.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokensMock } from '../../src/index.ts';
import { startServer, type RunningServer } from '../../src/server/index.ts';
import { SERVER_ERROR_MESSAGES } from '../../src/server/server-errors.ts';
import { call, documentProblems, stateOf, type CallResult } from './support.ts';

const T0 = Date.parse('2026-03-01T12:00:00.000Z');
const mock = createTokensMock({ seed: 3, clock: () => T0, rateLimit: false });
const fetcher = (request: Request): Promise<Response> => mock.fetch(request);
/** Stands for the master secret token in the table (resolved per test). */
const SECRET = '<secret>';

interface Row {
  name: string;
  method: string;
  path: string;
  query?: Array<[string, string]>;
  body?: unknown;
  rawBody?: string;
  status: number;
  message: string;
}

const urls = (count: number): string[] => Array.from({ length: count }, (_, i) => `https://site${i}.example`);
const create = (name: string, body: unknown, status: number, message: string): Row => ({
  name: `create: ${name}`,
  method: 'POST',
  path: '/tokens/v2/mockuser',
  query: [['access_token', SECRET]],
  body,
  status,
  message,
});
const createRaw = (name: string, rawBody: string, status: number, message: string): Row => ({
  name: `create: ${name}`,
  method: 'POST',
  path: '/tokens/v2/mockuser',
  query: [['access_token', SECRET]],
  rawBody,
  status,
  message,
});
const list = (name: string, query: Array<[string, string]>, status: number, message: string): Row => ({
  name: `list: ${name}`,
  method: 'GET',
  path: '/tokens/v2/mockuser',
  query,
  status,
  message,
});
const inMinutes = (minutes: number): string => new Date(T0 + minutes * 60_000).toISOString();

const INVALID_JSON = 'Invalid JSON body';
const NOT_OBJECT = 'Invalid request body: body must be an object';

const ROWS: Row[] = [
  // malformed JSON and non-object JSON
  createRaw('truncated array', '[1,', 400, INVALID_JSON),
  createRaw('trailing comma', '{"note":"a",}', 400, INVALID_JSON),
  createRaw('single quotes', "{'note':'a'}", 400, INVALID_JSON),
  createRaw('two JSON documents', '{}{}', 400, INVALID_JSON),
  createRaw('JSON array', '[]', 422, NOT_OBJECT),
  createRaw('JSON string', '"note"', 422, NOT_OBJECT),
  createRaw('JSON true', 'true', 422, NOT_OBJECT),
  // wrong types and null where not allowed
  create('scopes as a string', { scopes: 'styles:read' }, 422, 'scopes are invalid'),
  create('scopes with a number', { scopes: [1] }, 422, 'scopes are invalid'),
  create('scopes with null', { scopes: [null] }, 422, 'scopes are invalid'),
  create('unknown scope', { scopes: ['styles:read', 'styles:fly'] }, 422, 'scopes are invalid'),
  create('note as a number', { note: 5 }, 422, 'note is invalid'),
  create('note as an array', { note: ['a'] }, 422, 'note is invalid'),
  create('note as a boolean', { note: false }, 422, 'note is invalid'),
  create('allowedUrls as a string', { allowedUrls: 'https://a.example' }, 422, 'allowedUrls are invalid'),
  create('allowedUrls with an empty string', { allowedUrls: [''] }, 422, 'allowedUrls are invalid'),
  create('allowedUrls with null', { allowedUrls: [null] }, 422, 'allowedUrls are invalid'),
  create('101 allowedUrls', { allowedUrls: urls(101) }, 422, 'allowedUrls are invalid'),
  // unknown and missing fields
  create('unknown property', { note: 'x', foo: 1 }, 422, 'Invalid request body: unknown property "foo"'),
  create('read-only property id', { id: 'cabc' }, 422, 'Invalid request body: unknown property "id"'),
  create('read-only property usage', { usage: 'sk' }, 422, 'Invalid request body: unknown property "usage"'),
  createRaw(
    'own __proto__ property',
    '{"__proto__":{"scopes":["tokens:write"]}}',
    422,
    'Invalid request body: unknown property "__proto__"',
  ),
  create('temporary without scopes', { expires: inMinutes(10) }, 422, 'scopes are invalid'),
  create('temporary with scopes null', { expires: inMinutes(10), scopes: null }, 422, 'scopes are invalid'),
  create(
    'temporary with allowedUrls',
    { expires: inMinutes(10), scopes: ['styles:read'], allowedUrls: ['https://a.example'] },
    422,
    'allowedUrls are invalid',
  ),
  create(
    'temporary with an unknown property',
    { expires: inMinutes(10), scopes: [], usage: 'tk' },
    422,
    'Invalid request body: unknown property "usage"',
  ),
  // invalid dates and offsets
  create('expires as a number', { expires: T0 + 600_000, scopes: [] }, 422, 'expires is invalid'),
  create('expires empty', { expires: '', scopes: [] }, 422, 'expires is invalid'),
  create('expires not a date', { expires: 'tomorrow', scopes: [] }, 422, 'expires is invalid'),
  create('expires month 13', { expires: '2026-13-01T12:30:00Z', scopes: [] }, 422, 'expires is invalid'),
  create('expires hour 25', { expires: '2026-03-01T25:30:00Z', scopes: [] }, 422, 'expires is invalid'),
  create('expires offset +25:00', { expires: '2026-03-01T12:30:00+25:00', scopes: [] }, 422, 'expires is invalid'),
  create(
    'expires in the past once its offset applies',
    { expires: '2026-03-01T13:30:00+02:00', scopes: [] },
    422,
    'expires is in the past',
  ),
  create(
    'expires beyond one hour once its offset applies',
    { expires: '2026-03-01T12:30:00-01:00', scopes: [] },
    422,
    'expires is more than one hour in the future',
  ),
  create('expires exactly now', { expires: inMinutes(0), scopes: [] }, 422, 'expires is in the past'),
  // query parameters: repeated (the first value wins) and empty
  list(
    'usage repeated, first invalid',
    [
      ['usage', 'tk'],
      ['usage', 'pk'],
      ['access_token', SECRET],
    ],
    422,
    'usage must be pk or sk',
  ),
  list(
    'limit empty',
    [
      ['limit', ''],
      ['access_token', SECRET],
    ],
    422,
    'limit must be a positive integer',
  ),
  list(
    'limit zero',
    [
      ['limit', '0'],
      ['access_token', SECRET],
    ],
    422,
    'limit must be a positive integer',
  ),
  list(
    'limit negative',
    [
      ['limit', '-1'],
      ['access_token', SECRET],
    ],
    422,
    'limit must be a positive integer',
  ),
  list(
    'limit fractional',
    [
      ['limit', '1.5'],
      ['access_token', SECRET],
    ],
    422,
    'limit must be a positive integer',
  ),
  list(
    'limit repeated, first invalid',
    [
      ['limit', 'x'],
      ['limit', '5'],
      ['access_token', SECRET],
    ],
    422,
    'limit must be a positive integer',
  ),
  list(
    'default empty',
    [
      ['default', ''],
      ['access_token', SECRET],
    ],
    422,
    'default must be true or false',
  ),
  list(
    'default in capitals',
    [
      ['default', 'TRUE'],
      ['access_token', SECRET],
    ],
    422,
    'default must be true or false',
  ),
  list(
    'sortby empty',
    [
      ['sortby', ''],
      ['access_token', SECRET],
    ],
    422,
    'sortby must be created or modified',
  ),
  list(
    'start empty (documented 500)',
    [
      ['start', ''],
      ['access_token', SECRET],
    ],
    500,
    'Internal Server Error',
  ),
  list(
    'start garbage (documented 500)',
    [
      ['start', '!!!'],
      ['access_token', SECRET],
    ],
    500,
    'Internal Server Error',
  ),
  list('access_token empty', [['access_token', '']], 401, 'Unauthorized'),
  list(
    'access_token repeated, first bad',
    [
      ['access_token', 'pk.bad.sig'],
      ['access_token', SECRET],
    ],
    401,
    'Unauthorized',
  ),
  {
    name: 'retrieve: access_token empty',
    method: 'GET',
    path: '/tokens/v2',
    query: [['access_token', '']],
    status: 422,
    message: 'access token is required',
  },
  { name: 'retrieve: no access_token', method: 'GET', path: '/tokens/v2', status: 422, message: 'access token is required' },
  // unknown methods and paths
  {
    name: 'PUT on the list path',
    method: 'PUT',
    path: '/tokens/v2/mockuser',
    query: [['access_token', SECRET]],
    body: {},
    status: 405,
    message: 'Method Not Allowed',
  },
  {
    name: 'PATCH on retrieve',
    method: 'PATCH',
    path: '/tokens/v2',
    query: [['access_token', SECRET]],
    body: {},
    status: 405,
    message: 'Method Not Allowed',
  },
  {
    name: 'DELETE on scopes',
    method: 'DELETE',
    path: '/scopes/v1/mockuser',
    query: [['access_token', SECRET]],
    status: 405,
    message: 'Method Not Allowed',
  },
  {
    name: 'PROPFIND on a token path',
    method: 'PROPFIND',
    path: '/tokens/v2/mockuser/cabc',
    query: [['access_token', SECRET]],
    status: 405,
    message: 'Method Not Allowed',
  },
  {
    name: 'unknown version',
    method: 'GET',
    path: '/tokens/v3/mockuser',
    query: [['access_token', SECRET]],
    status: 404,
    message: 'Not Found',
  },
  {
    name: 'extra path segment',
    method: 'DELETE',
    path: '/tokens/v2/mockuser/cabc/extra',
    query: [['access_token', SECRET]],
    status: 404,
    message: 'Not Found',
  },
  { name: 'trailing slash', method: 'GET', path: '/tokens/v2/', query: [['access_token', SECRET]], status: 404, message: 'Not Found' },
  // update and delete targets
  {
    name: 'update: unknown token id',
    method: 'PATCH',
    path: '/tokens/v2/mockuser/cnotatoken0000000000000000',
    query: [['access_token', SECRET]],
    body: { note: 'x' },
    status: 404,
    message: 'Not Found',
  },
  {
    name: 'update: body an array',
    method: 'PATCH',
    path: '/tokens/v2/mockuser/<default>',
    query: [['access_token', SECRET]],
    body: [],
    status: 422,
    message: NOT_OBJECT,
  },
  {
    name: 'update: allowedUrls on the default token',
    method: 'PATCH',
    path: '/tokens/v2/mockuser/<default>',
    query: [['access_token', SECRET]],
    body: { allowedUrls: ['https://a.example'] },
    status: 422,
    message: 'allowedUrls are invalid',
  },
  {
    name: 'update: note null and an unknown property',
    method: 'PATCH',
    path: '/tokens/v2/mockuser/<default>',
    query: [['access_token', SECRET]],
    body: { note: null, bogus: true },
    status: 422,
    message: 'Invalid request body: unknown property "bogus"',
  },
  {
    name: 'delete: the default token',
    method: 'DELETE',
    path: '/tokens/v2/mockuser/<default>',
    query: [['access_token', SECRET]],
    status: 422,
    message: 'the default token cannot be deleted',
  },
];

describe('bad input: the documented error, and no state change', () => {
  let secret = '';
  let defaultId = '';
  beforeAll(async () => {
    const account = await mock.defaultAccount();
    secret = account.secretToken;
    defaultId = account.publicTokenId;
  });

  async function send(row: Row): Promise<CallResult> {
    const query = row.query?.map(([name, value]): [string, string] => [name, value === SECRET ? secret : value]);
    return call(fetcher, mock.baseUrl, row.method, row.path.replace('<default>', defaultId), {
      ...(query && { query }),
      ...(row.body !== undefined && { body: row.body }),
      ...(row.rawBody !== undefined && { rawBody: row.rawBody }),
    });
  }

  it.each(ROWS.map((row) => [row.name, row] as const))('%s', async (_name, row) => {
    const before = stateOf(mock);
    const result = await send(row);
    expect({ status: result.status, body: result.body }).toEqual({ status: row.status, body: { message: row.message } });
    expect(result.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(stateOf(mock)).toEqual(before);
    // Where the path is documented (and the method too), the error is a documented response.
    const pathname = row.path.split('?')[0]!.replace('<default>', defaultId);
    if (row.status !== 405 && row.status !== 404) expect(documentProblems(row.method, pathname, result.status, result.text)).toEqual([]);
  });

  it('refuses 10 000 allowedUrls on update without changing the token', async () => {
    const issued = await mock.issueToken('mockuser', { scopes: ['styles:read'] });
    const before = stateOf(mock);
    const result = await call(fetcher, mock.baseUrl, 'PATCH', `/tokens/v2/mockuser/${issued.id}`, {
      token: secret,
      body: { allowedUrls: urls(10_000) },
    });
    expect({ status: result.status, body: result.body }).toEqual({ status: 422, body: { message: 'allowedUrls are invalid' } });
    expect(stateOf(mock)).toEqual(before);
  });

  it('answers a 5 MB body in-process: an invalid one is refused with its error and no change', async () => {
    const before = stateOf(mock);
    const result = await call(fetcher, mock.baseUrl, 'POST', '/tokens/v2/mockuser', {
      token: secret,
      body: { padding: 'x'.repeat(5 * 1024 * 1024) },
    });
    expect({ status: result.status, body: result.body }).toEqual({
      status: 422,
      body: { message: 'Invalid request body: unknown property "padding"' },
    });
    expect(stateOf(mock)).toEqual(before);
  });

  it('accepts a 5 MB note in-process (no documented note limit) and returns it intact', async () => {
    const note = 'n'.repeat(5 * 1024 * 1024);
    const result = await call(fetcher, mock.baseUrl, 'POST', '/tokens/v2/mockuser', { token: secret, body: { note } });
    expect(result.status).toBe(200);
    expect(result.body.note.length).toBe(note.length);
  });

  it('keeps notes with emoji, RTL marks, NUL and lone surrogates exactly', async () => {
    const notes = ['🗺️👩🏽‍💻', '\u202Eevil\u202C שלום مرحبا', 'nul\u0000inside', 'lone \uD800 surrogate', '\uFEFFbom', 'a'.repeat(10_000)];
    for (const note of notes) {
      const created = await call(fetcher, mock.baseUrl, 'POST', '/tokens/v2/mockuser', { token: secret, body: { note } });
      expect(created.status).toBe(200);
      const listed = await call(fetcher, mock.baseUrl, 'GET', '/tokens/v2/mockuser', {
        token: secret,
        query: [
          ['sortby', 'created'],
          ['limit', '100'],
        ],
      });
      expect(listed.body.find((item: { id: string }) => item.id === created.body.id).note).toBe(note);
    }
  });
});

describe('the standalone server refuses oversized bodies with 413', () => {
  let running: RunningServer;
  beforeAll(async () => {
    running = await startServer({ mockOptions: { seed: 3, rateLimit: false }, port: 0, docsDir: false });
  });
  afterAll(() => running.close());

  it.each([
    ['2 MB', 2],
    ['5 MB', 5],
  ])('a %s body: 413 JSON, no state change, and the server keeps answering', async (_name, megabytes) => {
    const { secretToken } = await running.mock.defaultAccount();
    const before = stateOf(running.mock);
    const result = await call(fetch, running.url, 'POST', '/tokens/v2/mockuser', {
      token: secretToken,
      body: { note: 'x'.repeat(megabytes * 1024 * 1024) },
    });
    expect({ status: result.status, body: result.body }).toEqual({ status: 413, body: { message: SERVER_ERROR_MESSAGES.payloadTooLarge } });
    expect(stateOf(running.mock)).toEqual(before);
    const after = await call(fetch, running.url, 'GET', '/tokens/v2', { token: secretToken });
    expect(after.body.code).toBe('TokenValid');
  });
});
