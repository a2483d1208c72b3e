import { describe, expect, it } from 'vitest';
import {
  createTokensMock,
  createTokensMockCore,
  type PlainRequest,
  type PlainResponse,
  type TokensMockCore,
  type TokensMockOptions,
} from '../../src/index.ts';
import { DELETE_ROW, FAITHFUL_STATUSES, requestTable, type TableRequest } from './request-table.ts';
import { T0 } from '../handlers/support.ts';

/**
 * mock.handle() is mock.fetch() without Fetch objects: for the same request it must answer the same
 * status, the same headers (every one, nothing more) and the same body. Two identically seeded mocks
 * get the same request sequence, one through each method, and every answer is compared.
 */

interface Answer {
  status: number;
  /** Lowercased names, sorted: how a Fetch `Headers` lists them. */
  headers: [string, string][];
  body: string | null;
}

function fromPlain(answer: PlainResponse): Answer {
  const headers = Object.entries(answer.headers).map(([name, value]): [string, string] => [name.toLowerCase(), value]);
  return { status: answer.status, headers: headers.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)), body: answer.body };
}

async function fromFetch(response: Response): Promise<Answer> {
  return { status: response.status, headers: [...response.headers], body: response.body === null ? null : await response.text() };
}

function plainRequest(mock: TokensMockCore, row: TableRequest): PlainRequest {
  return { method: row.method, url: `${mock.baseUrl}${row.path}`, text: async () => row.body ?? '' };
}

function fetchRequest(mock: TokensMockCore, row: TableRequest): Request {
  return new Request(`${mock.baseUrl}${row.path}`, { method: row.method, ...(row.body !== undefined && { body: row.body }) });
}

/** Sends the table through handle() to one mock and through fetch() to its twin; returns both answer lists. */
async function answersOfBoth(options: TokensMockOptions): Promise<{ handled: Answer[]; fetched: Answer[]; rows: TableRequest[] }> {
  const viaHandle = createTokensMockCore({ seed: 11, clock: () => T0, ...options });
  const viaFetch = createTokensMockCore({ seed: 11, clock: () => T0, ...options });
  const account = await viaHandle.defaultAccount();
  expect(await viaFetch.defaultAccount()).toEqual(account);
  const deletable = await viaHandle.issueToken(account.username, { note: 'to delete' });
  expect(await viaFetch.issueToken(account.username, { note: 'to delete' })).toEqual(deletable);
  const rows = requestTable(account, deletable);
  const handled: Answer[] = [];
  const fetched: Answer[] = [];
  for (const row of rows) {
    handled.push(fromPlain(await viaHandle.handle(plainRequest(viaHandle, row))));
    fetched.push(await fromFetch(await viaFetch.fetch(fetchRequest(viaFetch, row))));
  }
  return { handled, fetched, rows };
}

function expectSameAnswers({ handled, fetched, rows }: { handled: Answer[]; fetched: Answer[]; rows: TableRequest[] }): void {
  for (const [index, row] of rows.entries()) expect(handled[index], row.name).toEqual(fetched[index]);
}

describe('mock.handle()', () => {
  it('answers exactly what fetch() answers: every operation, errors, 404, 405, HEAD, OPTIONS, invalid JSON', async () => {
    const both = await answersOfBoth({});
    expectSameAnswers(both);
    // The table provokes what it says it does (a row that stopped doing so would compare nothing new).
    expect(both.handled.map((answer) => answer.status)).toEqual(FAITHFUL_STATUSES);
    const link = both.handled[3]!.headers.find(([name]) => name === 'link');
    expect(link?.[1]).toMatch(/^<https:\/\/api\.mapbox\.com\/tokens\/v2\/mockuser\?.*>; rel="next"$/);
    expect(both.handled[DELETE_ROW]!.body).toBeNull();
  });

  it.each([
    [
      'error and header faults',
      { faults: ['errors-not-json', 'cors-headers-missing', 'rate-limit-headers-missing', 'not-found-lowercase'] },
    ],
    ['status and Link faults', { faults: ['create-answers-201', 'delete-answers-200', 'list-link-wrong-origin'] }],
    ['a rate limit of 3 requests (429 after)', { rateLimit: { limit: 3 } }],
    ['a base URL with a path prefix', { baseUrl: 'http://localhost:8080/mapbox' }],
  ] as [string, TokensMockOptions][])('answers exactly what fetch() answers with %s', async (_label, options) => {
    const both = await answersOfBoth(options);
    expectSameAnswers(both);
    if (options.faults?.includes('errors-not-json')) {
      expect(both.handled[1]!.headers).toContainEqual(['content-type', 'text/plain; charset=utf-8']);
    }
    if (options.faults?.includes('delete-answers-200')) expect(both.handled[DELETE_ROW]!.status).toBe(200);
    if (options.rateLimit) expect(both.handled.map((answer) => answer.status)).toContain(429);
  });

  it('takes a Fetch Request as it is, and is offered by createTokensMock() too', async () => {
    const mock = createTokensMock({ seed: 11, clock: () => T0 });
    const twin = createTokensMock({ seed: 11, clock: () => T0 });
    const { username, secretToken } = await mock.defaultAccount();
    await twin.defaultAccount();
    const row: TableRequest = {
      name: 'create',
      method: 'POST',
      path: `/tokens/v2/${username}?access_token=${secretToken}`,
      body: '{"note":"n"}',
    };
    const handled = fromPlain(await mock.handle(fetchRequest(mock, row)));
    expect(handled.status).toBe(200);
    expect(handled).toEqual(await fromFetch(await twin.fetch(fetchRequest(twin, row))));
  });

  it('answers 404 JSON for paths outside the route table, like fetch()', async () => {
    const mock = createTokensMockCore({ seed: 1, baseUrl: 'http://localhost/mapbox' });
    const answer = await mock.handle({ method: 'GET', url: 'http://localhost/other/tokens/v2', text: async () => '' });
    expect(answer.status).toBe(404);
    expect(JSON.parse(answer.body!)).toEqual({ message: 'Not Found' });
    expect(answer.headers['Content-Type']).toBe('application/json; charset=utf-8');
  });

  it('treats a body that cannot be read like an unparsable one', async () => {
    const mock = createTokensMockCore({ seed: 1 });
    const { username, secretToken } = await mock.defaultAccount();
    const url = `${mock.baseUrl}/tokens/v2/${username}?access_token=${secretToken}`;
    const failing = await mock.handle({ method: 'POST', url, text: () => Promise.reject(new Error('stream broke')) });
    const invalid = await mock.handle({ method: 'POST', url, text: async () => '{' });
    expect([failing.status, failing.body]).toEqual([invalid.status, invalid.body]);
    expect(failing.status).toBe(400);
  });
});
