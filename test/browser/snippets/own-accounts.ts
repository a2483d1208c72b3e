// accounts.test.ts
import { afterAll, beforeAll, expect, test } from 'vitest';
import { setupServer } from 'msw/node';
import { createTokensMock } from 'mapbox-tokens-mock';

// A seed and a fixed clock make ids and token strings the same on every run.
const tokensMock = createTokensMock({ seed: 42, clock: () => Date.parse('2026-01-01T00:00:00Z') });
const server = setupServer(...tokensMock.handlers);

beforeAll(() => server.listen());
afterAll(() => server.close());

test('a token without tokens:read cannot list tokens', async () => {
  await tokensMock.createAccount({ username: 'team-a', scopes: ['styles:read', 'tokens:read'] });
  const stylesOnly = await tokensMock.issueToken('team-a', { note: 'styles only', scopes: ['styles:read'] });

  const response = await fetch(`https://api.mapbox.com/tokens/v2/team-a?access_token=${stylesOnly.token}`);
  expect(response.status).toBe(404);
  expect(await response.json()).toEqual({ message: 'Not Found' });
});

test("an account's token cannot read another account", async () => {
  const teamB = await tokensMock.createAccount({ username: 'team-b' });
  const response = await fetch(`https://api.mapbox.com/tokens/v2/team-a?access_token=${teamB.secretToken}`);
  expect(response.status).toBe(404);
});

test('a temporary token works until it expires', async () => {
  // Expires one hour after the mock's current time unless `expires` says otherwise.
  // Like issueToken(), it answers what the API's create call does: here { token, issued_at, expires, expires_in }.
  const temporary = await tokensMock.issueTemporaryToken('team-b', { scopes: ['tokens:read'] });
  const listTokens = () => fetch(`https://api.mapbox.com/tokens/v2/team-b?access_token=${temporary.token}`);

  expect((await listTokens()).status).toBe(200);
  tokensMock.advanceTime(60 * 60 * 1000);
  expect((await listTokens()).status).toBe(401);
});
