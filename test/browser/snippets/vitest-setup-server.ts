// tokens.test.ts
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import { setupServer } from 'msw/node';
import { createTokensMock } from 'mapbox-tokens-mock';

const tokensMock = createTokensMock();
const server = setupServer(...tokensMock.handlers);

beforeAll(() => server.listen());
// Every test starts from the initial accounts and tokens (ask defaultAccount() for them again).
afterEach(() => tokensMock.reset());
afterAll(() => server.close());

test('creates a public token with the master token', async () => {
  const { username, secretToken } = await tokensMock.defaultAccount();
  const response = await fetch(`https://api.mapbox.com/tokens/v2/${username}?access_token=${secretToken}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ note: 'my app', scopes: ['styles:read'] }),
  });
  expect(response.status).toBe(200);
  expect(await response.json()).toMatchObject({ usage: 'pk', note: 'my app', scopes: ['styles:read'] });
});

test('lists the account tokens, the master token without its secret', async () => {
  const { username, secretToken } = await tokensMock.defaultAccount();
  const response = await fetch(`https://api.mapbox.com/tokens/v2/${username}?access_token=${secretToken}`);
  const tokens = await response.json();
  expect(tokens.map((token: { note: string }) => token.note)).toEqual(['Default public token', 'Master token']);
  expect(tokens[1].token).toBeUndefined();
});
