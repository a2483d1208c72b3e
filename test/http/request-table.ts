// A sequence of requests covering every operation, its errors and the routing answers (404, 405,
// OPTIONS, HEAD), for tests that send it to two identically seeded mocks through two paths and
// compare the answers. Order matters: requests change the state the later ones see.
import type { AccountCredentials } from '../../src/index.ts';

export interface TableRequest {
  /** What the row provokes (shown when an answer differs). */
  name: string;
  method: string;
  /** Path and query, relative to the mock's base URL. */
  path: string;
  /** Body text (POST and PATCH rows only). */
  body?: string;
}

/**
 * The rows for `account` (the mock's default account) and `deletable`, a token of that account the
 * table deletes (issued by the caller with the same helper call on both mocks); the statuses the
 * faithful mock answers are in `FAITHFUL_STATUSES`.
 */
export function requestTable(account: AccountCredentials, deletable: { id: string; token: string }): TableRequest[] {
  const { username, publicToken, secretToken, publicTokenId } = account;
  const sk = `access_token=${secretToken}`;
  return [
    { name: 'retrieve', method: 'GET', path: `/tokens/v2?access_token=${publicToken}` },
    { name: 'retrieve without token', method: 'GET', path: '/tokens/v2' },
    { name: 'retrieve, forged token', method: 'GET', path: `/tokens/v2?access_token=${publicToken.slice(0, -2)}xx` },
    { name: 'list page with Link', method: 'GET', path: `/tokens/v2/${username}?limit=1&${sk}` },
    { name: 'list, repeated limit', method: 'GET', path: `/tokens/v2/${username}?limit=1&limit=5&${sk}` },
    { name: 'list, bad usage', method: 'GET', path: `/tokens/v2/${username}?usage=xx&${sk}` },
    { name: 'list without token', method: 'GET', path: `/tokens/v2/${username}` },
    { name: 'list, other user', method: 'GET', path: `/tokens/v2/nobody?${sk}` },
    { name: 'create', method: 'POST', path: `/tokens/v2/${username}?${sk}`, body: '{"note":"héllo ✓","scopes":["styles:read"]}' },
    { name: 'create, invalid JSON', method: 'POST', path: `/tokens/v2/${username}?${sk}`, body: '{"note":' },
    { name: 'create, unknown scope', method: 'POST', path: `/tokens/v2/${username}?${sk}`, body: '{"scopes":["nope:read"]}' },
    { name: 'create, empty body (defaults)', method: 'POST', path: `/tokens/v2/${username}?${sk}`, body: '' },
    { name: 'update', method: 'PATCH', path: `/tokens/v2/${username}/${publicTokenId}?${sk}`, body: '{"note":"renamed"}' },
    { name: 'update, unknown token', method: 'PATCH', path: `/tokens/v2/${username}/cknotthere?${sk}`, body: '{"note":"x"}' },
    { name: 'list scopes', method: 'GET', path: `/scopes/v1/${username}?${sk}` },
    { name: 'delete the default token', method: 'DELETE', path: `/tokens/v2/${username}/${publicTokenId}?${sk}` },
    { name: 'delete', method: 'DELETE', path: `/tokens/v2/${username}/${deletable.id}?${sk}` },
    { name: 'delete again', method: 'DELETE', path: `/tokens/v2/${username}/${deletable.id}?${sk}` },
    { name: 'retrieve a revoked token', method: 'GET', path: `/tokens/v2?access_token=${deletable.token}` },
    { name: 'unknown route (404)', method: 'GET', path: `/styles/v1/${username}?${sk}` },
    { name: 'malformed path parameter (404)', method: 'GET', path: '/tokens/v2/%E0%A4%A' },
    { name: 'wrong method (405)', method: 'PUT', path: '/tokens/v2' },
    { name: 'HEAD (answers like GET)', method: 'HEAD', path: `/tokens/v2/${username}?${sk}` },
    { name: 'CORS preflight', method: 'OPTIONS', path: `/tokens/v2/${username}` },
  ];
}

/** What the faithful mock (rate limit on) answers to each row, so a table that stops provoking a condition fails. */
export const FAITHFUL_STATUSES = [
  200, 422, 200, 200, 200, 422, 401, 404, 200, 400, 422, 200, 200, 404, 200, 422, 204, 404, 200, 404, 404, 405, 200, 204,
];

/** Index of the row that deletes `deletable` (204 from the faithful mock). */
export const DELETE_ROW = 16;
