import { describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import { buildFixtures } from '../../fixtures/index.ts';
import { decodePayload, useMockServer } from './support.ts';

/**
 * The official @mapbox/mapbox-sdk tokens service, a real client, against the msw handlers.
 * Its Node layer (got over node:http) is intercepted by msw like any other request.
 */
const require = createRequire(import.meta.url);
const mbxTokens = require('@mapbox/mapbox-sdk/services/tokens') as (config: { accessToken: string; origin?: string }) => any;

const BASE_URL = 'http://sdk-mock.test:8080';
// 130 tokens beyond the default and master tokens: the SDK cannot set `limit`, so a real second page needs > 100.
const fixtures = buildFixtures({ seed: 5, accounts: ['mockuser'], tokensPerAccount: 130 });
const { mock } = useMockServer({ baseUrl: BASE_URL, fixtures, clock: Date.now });

async function client(token?: string): Promise<any> {
  return mbxTokens({ accessToken: token ?? (await mock.defaultAccount()).secretToken, origin: BASE_URL });
}

function eachPage(request: any): Promise<any[][]> {
  return new Promise((resolve, reject) => {
    const pages: any[][] = [];
    request.eachPage((error: unknown, response: any, next: () => void) => {
      if (error) return reject(error);
      pages.push(response.body);
      if (response.hasNextPage()) next();
      else resolve(pages);
    });
  });
}

describe('@mapbox/mapbox-sdk tokens service against the handlers', () => {
  it('listTokens pages through every token with eachPage (Link + repeated query parameters)', async () => {
    const pages = await eachPage((await client()).listTokens());
    expect(pages.map((page) => page.length)).toEqual([100, 32]);
    const ids = pages.flat().map((token) => token.id);
    expect(new Set(ids).size).toBe(132);
  });

  it('createToken, updateToken, getToken and deleteToken', async () => {
    const tokens = await client();
    const created = (await tokens.createToken({ note: 'sdk', scopes: ['styles:read', 'fonts:read'], allowedUrls: ['example.com'] }).send())
      .body;
    expect(created).toMatchObject({ note: 'sdk', usage: 'pk', scopes: ['styles:read', 'fonts:read'], allowedUrls: ['example.com'] });
    expect(decodePayload(created.token)).toEqual({ u: 'mockuser', a: created.id });

    const updated = await tokens.updateToken({ tokenId: created.id, note: 'renamed', allowedUrls: null }).send();
    expect(updated.statusCode).toBe(200);
    expect(updated.body.note).toBe('renamed');
    expect(updated.body).not.toHaveProperty('allowedUrls');

    const own = await (await client(created.token)).getToken().send();
    expect(own.body).toEqual({ code: 'TokenValid', token: { usage: 'pk', user: 'mockuser', authorization: created.id } });

    const deleted = await tokens.deleteToken({ tokenId: created.id }).send();
    expect(deleted.statusCode).toBe(204);
    expect((await (await client(created.token)).getToken().send()).body.code).toBe('TokenRevoked');
  });

  it('createTemporaryToken issues a tk that the SDK parses and that authorizes', async () => {
    const tokens = await client();
    const expires = new Date(mock.now() + 30 * 60_000);
    const response = await tokens.createTemporaryToken({ expires: expires.toISOString(), scopes: ['scopes:list', 'styles:read'] }).send();
    const { token, expires_in: expiresIn } = response.body;
    expect(token).toMatch(/^tk\./);
    expect(expiresIn).toBeGreaterThan(29 * 60);
    expect(decodePayload(token)).toMatchObject({ u: 'mockuser', scopes: ['scopes:list', 'styles:read'], client: 'api' });
    // The SDK takes :ownerId from the tk payload: listing scopes with the tk works.
    const scopes = await (await client(token)).listScopes().send();
    expect(scopes.body.length).toBeGreaterThan(5);
  });

  it('listScopes lists public scopes with public: true only', async () => {
    const scopes = (await (await client()).listScopes().send()).body as Array<{ id: string; public?: boolean }>;
    expect(scopes.find((scope) => scope.id === 'styles:read')).toMatchObject({ public: true });
    expect(scopes.find((scope) => scope.id === 'tokens:write')).not.toHaveProperty('public');
  });

  it('rejects with a MapiError carrying the status and the message', async () => {
    const tokens = await client();
    const escalation = await tokens
      .createToken({ scopes: ['not:a:valid:scope'] })
      .send()
      .catch((error: unknown) => error);
    expect(escalation).toMatchObject({ type: 'HttpError', statusCode: 422, message: 'scopes are invalid' });
    const notFound = await tokens
      .deleteToken({ tokenId: 'cnosuchtoken0000abcd1234x' })
      .send()
      .catch((error: unknown) => error);
    expect(notFound).toMatchObject({ statusCode: 404, message: 'Not Found' });
    const publicClient = await client((await mock.defaultAccount()).publicToken);
    const missingScope = await publicClient
      .listTokens()
      .send()
      .catch((error: unknown) => error);
    expect(missingScope).toMatchObject({ statusCode: 404, message: 'Not Found' });
  });
});
