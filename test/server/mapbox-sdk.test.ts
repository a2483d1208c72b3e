// The official Mapbox JS SDK (@mapbox/mapbox-sdk) pointed at a spawned tokens-mock with `origin`.
import mbxTokens, { type MapiError, type MapiResponse } from '@mapbox/mapbox-sdk/services/tokens.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killLeftovers, spawnMock, type SpawnedMock } from './spawn-cli.ts';

interface TokenMetadata {
  id: string;
  usage: 'pk' | 'sk';
  note: string | null;
  scopes: string[];
  allowedUrls?: string[];
  default: boolean;
  token?: string;
}

let server: SpawnedMock;

beforeAll(async () => {
  server = await spawnMock(['--rate-limit', 'off', '--seed', '11']);
});

afterAll(async () => {
  expect((await server.stop()).code).toBe(0);
  killLeftovers();
});

function client(token = server.token): ReturnType<typeof mbxTokens> {
  return mbxTokens({ accessToken: token, origin: server.baseUrl });
}

async function sendExpectingError(request: { send(): Promise<unknown> }): Promise<MapiError> {
  try {
    await request.send();
  } catch (error) {
    return error as MapiError;
  }
  throw new Error('the request succeeded');
}

describe('@mapbox/mapbox-sdk tokens service against tokens-mock', () => {
  it('listScopes lists the account scopes, public ones marked', async () => {
    const response = (await client().listScopes().send()) as MapiResponse<{ id: string; description: string; public?: boolean }[]>;
    expect(response.statusCode).toBe(200);
    const ids = response.body.map((scope) => scope.id);
    expect(ids).toEqual(expect.arrayContaining(['styles:read', 'fonts:read', 'tokens:read', 'tokens:write', 'scopes:list']));
    expect(response.body.find((scope) => scope.id === 'styles:read')?.public).toBe(true);
    expect(response.body.find((scope) => scope.id === 'tokens:write')?.public).toBeUndefined();
  });

  it('createToken, updateToken, listTokens, getToken and deleteToken work end to end', async () => {
    const created = (await client()
      .createToken({ note: 'sdk pk', scopes: ['styles:read', 'fonts:read'], allowedUrls: ['https://example.com'] })
      .send()) as MapiResponse<TokenMetadata>;
    expect(created.statusCode).toBe(200);
    expect(created.body).toMatchObject({
      usage: 'pk',
      note: 'sdk pk',
      scopes: ['styles:read', 'fonts:read'],
      allowedUrls: ['https://example.com'],
    });
    expect(created.body.token).toMatch(/^pk\./);

    const secret = (await client()
      .createToken({ note: 'sdk sk', scopes: ['tokens:read'] })
      .send()) as MapiResponse<TokenMetadata>;
    expect(secret.body.usage).toBe('sk');
    expect(secret.body.token).toMatch(/^sk\./);

    const updated = (await client()
      .updateToken({ tokenId: created.body.id, note: 'renamed', scopes: ['styles:read'], allowedUrls: null })
      .send()) as MapiResponse<TokenMetadata>;
    expect(updated.statusCode).toBe(200);
    expect(updated.body).toMatchObject({ id: created.body.id, note: 'renamed', scopes: ['styles:read'] });
    expect(updated.body.allowedUrls).toBeUndefined();

    const listed = (await client().listTokens().send()) as MapiResponse<TokenMetadata[]>;
    expect(listed.statusCode).toBe(200);
    expect(listed.body.find((token) => token.id === created.body.id)?.note).toBe('renamed');
    // Secret token strings are never listed.
    expect(listed.body.filter((token) => token.usage === 'sk' && 'token' in token)).toEqual([]);

    const own = (await client(secret.body.token).getToken().send()) as MapiResponse<{
      code: string;
      token: { usage: string; user: string };
    }>;
    expect(own.body.code).toBe('TokenValid');
    expect(own.body.token).toMatchObject({ usage: 'sk', user: server.username });

    const deleted = await client().deleteToken({ tokenId: secret.body.id }).send();
    expect(deleted.statusCode).toBe(204);
    const revoked = (await client(secret.body.token).getToken().send()) as MapiResponse<{ code: string }>;
    expect(revoked.body.code).toBe('TokenRevoked');
  });

  it('createTemporaryToken issues a tk that retrieves as valid', async () => {
    const expires = new Date(Date.now() + 30 * 60 * 1000);
    const temporary = (await client()
      .createTemporaryToken({ expires, scopes: ['styles:read'] })
      .send()) as MapiResponse<{ token: string }>;
    expect(temporary.statusCode).toBe(200);
    expect(temporary.body.token).toMatch(/^tk\./);
    const retrieved = (await client(temporary.body.token).getToken().send()) as MapiResponse<{
      code: string;
      token: { usage: string; scopes: string[] };
    }>;
    expect(retrieved.body.code).toBe('TokenValid');
    expect(retrieved.body.token).toMatchObject({ usage: 'tk', scopes: ['styles:read'] });
  });

  it('errors reach the SDK as MapiError with status and message', async () => {
    const created = (await client()
      .createToken({ scopes: ['styles:read'] })
      .send()) as MapiResponse<TokenMetadata>;
    // A pk lacks tokens:read: the API answers 404 Not Found.
    const missingScope = await sendExpectingError(client(created.body.token!).listTokens());
    expect([missingScope.statusCode, missingScope.message]).toEqual([404, 'Not Found']);
    const escalation = await sendExpectingError(client(created.body.token!).createToken({ scopes: ['styles:read'] }));
    expect(escalation.statusCode).toBe(404);
    const badScope = await sendExpectingError(client().createToken({ scopes: ['no:such-scope'] }));
    expect([badScope.statusCode, badScope.message]).toEqual([422, 'scopes are invalid']);
    const missing = await sendExpectingError(client().deleteToken({ tokenId: 'cnosuchtoken0000000000000' }));
    expect([missing.statusCode, missing.message]).toEqual([404, 'Not Found']);
  });

  it('eachPage follows the Link header across several pages, visiting every token once', async () => {
    // The SDK cannot set `limit`, so the default page (100) needs more than 200 tokens for three pages.
    for (let batch = 0; batch < 5; batch += 1) {
      await Promise.all(
        Array.from({ length: 50 }, (_, index) =>
          client()
            .createToken({ note: `page filler ${batch}-${index}`, scopes: ['styles:read'] })
            .send(),
        ),
      );
    }
    const pages: TokenMetadata[][] = [];
    await new Promise<void>((resolve, reject) => {
      client()
        .listTokens()
        .eachPage((error, response, next) => {
          if (error !== null || response === null) {
            reject(error ?? new Error('no response'));
            return;
          }
          pages.push(response.body as TokenMetadata[]);
          if (response.hasNextPage()) next();
          else resolve();
        });
    });
    const ids = pages.flat().map((token) => token.id);
    const direct = (await fetch(`${server.baseUrl}/tokens/v2/${server.username}?limit=1000&access_token=${server.token}`).then(
      async (response) => {
        // limit is capped at 100: collect by following Link with fetch as a cross-check of the total.
        let all = (await response.json()) as TokenMetadata[];
        let link = response.headers.get('link');
        while (link !== null) {
          const next = /<([^>]+)>;\s*rel="next"/.exec(link)?.[1];
          if (next === undefined) break;
          const page = await fetch(`${next}&access_token=${server.token}`);
          all = all.concat((await page.json()) as TokenMetadata[]);
          link = page.headers.get('link');
        }
        return all;
      },
    )) as TokenMetadata[];
    expect(pages.length).toBeGreaterThanOrEqual(3);
    expect(pages.slice(0, -1).every((page) => page.length === 100)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe(direct.length);
    expect(ids.length).toBeGreaterThan(250);
  });
});
