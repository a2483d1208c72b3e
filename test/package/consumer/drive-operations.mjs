// Consumer check (a): the installed package's handlers under the project's own msw (2 or 3),
// every operation driven with fetch, plus documented errors. Prints one JSON line; exit 0 = all good.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { setupServer } from 'msw/node';
import { createTokensMock } from 'mapbox-tokens-mock';

const mswVersion = createRequire(import.meta.url)('msw/package.json').version;
const mock = createTokensMock({ seed: 7 });
const server = setupServer(...mock.handlers);
// Both spellings: msw 2 reads onUnhandledRequest, msw 3 reads onUnhandledFrame.
server.listen({ onUnhandledRequest: 'error', onUnhandledFrame: 'error' });

const api = 'https://api.mapbox.com';
const operations = [];
async function call(operationId, method, path, { token, body } = {}) {
  const url = new URL(path, api);
  if (token !== undefined) url.searchParams.set('access_token', token);
  const init = { method, ...(body !== undefined && { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) }) };
  const response = await fetch(url, init);
  operations.push(operationId);
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text === '' ? undefined : JSON.parse(text) };
}

try {
  const { username, secretToken, publicTokenId } = await mock.defaultAccount();
  const base = `/tokens/v2/${username}`;

  const scopes = await call('listScopes', 'GET', `/scopes/v1/${username}`, { token: secretToken });
  assert.equal(scopes.status, 200);
  assert.ok(scopes.body.some((scope) => scope.id === 'styles:tiles' && scope.public === true));

  const created = await call('createToken', 'POST', base, { token: secretToken, body: { note: 'consumer', scopes: ['styles:read'] } });
  assert.equal(created.status, 200);
  assert.match(created.body.token, /^pk\./);

  const temporary = await call('createToken', 'POST', base, {
    token: secretToken,
    body: { scopes: ['styles:read'], expires: new Date(Date.now() + 60_000).toISOString() },
  });
  assert.equal(temporary.status, 200);
  assert.match(temporary.body.token, /^tk\./);

  const listed = await call('listTokens', 'GET', base, { token: secretToken });
  assert.equal(listed.status, 200);
  assert.ok(listed.body.some((token) => token.id === created.body.id));
  assert.ok(listed.body.some((token) => token.id === publicTokenId && token.default === true));

  const updated = await call('updateToken', 'PATCH', `${base}/${created.body.id}`, { token: secretToken, body: { note: 'renamed' } });
  assert.equal(updated.status, 200);
  assert.equal(updated.body.note, 'renamed');

  const retrieved = await call('retrieveToken', 'GET', '/tokens/v2', { token: created.body.token });
  assert.equal(retrieved.status, 200);
  assert.equal(retrieved.body.code, 'TokenValid');

  const deleted = await call('deleteToken', 'DELETE', `${base}/${created.body.id}`, { token: secretToken });
  assert.equal(deleted.status, 204);
  const revoked = await call('retrieveToken', 'GET', '/tokens/v2', { token: created.body.token });
  assert.equal(revoked.body.code, 'TokenRevoked');

  // Documented errors: no token at all, and a scope the account cannot grant.
  const unauthorized = await call('listTokens', 'GET', base);
  assert.equal(unauthorized.status, 401);
  assert.deepEqual(unauthorized.body, { message: 'Unauthorized' });
  const invalidScopes = await call('createToken', 'POST', base, { token: secretToken, body: { scopes: ['no:such-scope'] } });
  assert.equal(invalidScopes.status, 422);
  assert.deepEqual(invalidScopes.body, { message: 'scopes are invalid' });

  console.log(JSON.stringify({ ok: true, msw: mswVersion, operations: [...new Set(operations)].sort() }));
} finally {
  server.close();
}
