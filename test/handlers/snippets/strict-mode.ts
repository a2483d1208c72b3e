// strict.test.ts: this test FAILS, by design: the app sends a property the Tokens API does not have.
import { afterAll, beforeAll, test } from 'vitest';
import { setupServer } from 'msw/node';
import { createTokensMock } from 'mapbox-tokens-mock';

// onViolation: 'error' (the default) throws from the handler: msw answers 500 with the message.
// 'warn' prints it instead; a function receives each violation. The answer is otherwise the API's.
const tokensMock = createTokensMock({ strict: true });
const server = setupServer(...tokensMock.handlers);

beforeAll(() => server.listen());
afterAll(() => server.close());

// The app's client, with a bug: `ttl` is not a property of the create-token body.
async function createAppToken(username: string, accessToken: string): Promise<{ token: string }> {
  const response = await fetch(`https://api.mapbox.com/tokens/v2/${username}?access_token=${accessToken}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ note: 'my app', scopes: ['styles:read'], ttl: 3600 }),
  });
  if (!response.ok) throw new Error((await response.json()).message);
  return response.json();
}

test('the app creates its token', async () => {
  const { username, secretToken } = await tokensMock.defaultAccount();
  await createAppToken(username, secretToken);
});
