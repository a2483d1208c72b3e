import { rm } from 'node:fs/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page, Response } from 'playwright-core';
import { errorConditions } from '../../src/generated/openapi.ts';
import { buildBrowserApp, MSW_VERSION, workerScriptVersion } from './support/build-app.ts';
import { collectPageErrors, guardNetwork, launchChromium, type NetworkLog } from './support/chromium.ts';
import { serveDirectory, type StaticServer } from './support/static-server.ts';
import { startServer } from '../../src/server/index.ts';

/**
 * The handlers under msw's setupWorker in headless Chromium: the page is README snippet (b)
 * (snippets/mocks/browser.ts + snippets/main.ts) bundled by Vite, and every request below is a real
 * fetch (or the SDK's XHR) from the page to https://api.mapbox.com, answered by the service worker.
 */
const API_ORIGIN = 'https://api.mapbox.com';

let appDir: string;
let server: StaticServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let network: NetworkLog;
let pageErrors: string[];
const apiResponses: Response[] = [];

beforeAll(async () => {
  appDir = await buildBrowserApp();
  server = await serveDirectory(appDir);
  browser = await launchChromium();
  // Service workers must stay allowed: msw needs one.
  context = await browser.newContext({ serviceWorkers: 'allow' });
  network = await guardNetwork(context);
  pageErrors = collectPageErrors(context);
  context.on('response', (response) => {
    if (response.url().startsWith(API_ORIGIN)) apiResponses.push(response);
  });
  page = await context.newPage();
  page.setDefaultTimeout(10_000);
  await page.goto(`${server.origin}/`);
  await page.waitForFunction(() => window.tokensApp !== undefined);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (appDir) await rm(appDir, { recursive: true, force: true });
});

// One mock per page and one worker.start() per page: tests share them and reset the mock's state.
// Without a seed a reset signs with a new key, so tests after the first ask for fresh credentials.
afterEach(async () => {
  await page.evaluate(() => window.tokensApp!.tokensMock.reset());
});

interface Credentials {
  username: string;
  publicToken: string;
  secretToken: string;
  publicTokenId: string;
  secretTokenId: string;
}

function credentials(): Promise<Credentials> {
  return page.evaluate(() => window.tokensApp!.tokensMock.defaultAccount());
}

interface PageCall {
  token?: string;
  query?: Record<string, string>;
  body?: unknown;
}

interface PageResult {
  status: number;
  /** Response headers as the page's script can read them. */
  headers: Record<string, string>;
  body: any;
}

/** A fetch made by the page's own script; `path` is relative to the API origin, or a full URL. */
async function pageFetch(method: string, path: string, call: PageCall = {}): Promise<PageResult> {
  const url = new URL(path, API_ORIGIN);
  for (const [name, value] of Object.entries(call.query ?? {})) url.searchParams.append(name, value);
  if (call.token !== undefined) url.searchParams.append('access_token', call.token);
  return page.evaluate(
    async ({ method, url, body }) => {
      const init: RequestInit = { method };
      if (body !== undefined) {
        init.body = JSON.stringify(body);
        init.headers = { 'Content-Type': 'application/json' };
      }
      const response = await fetch(url, init);
      const text = await response.text();
      const headers: Record<string, string> = {};
      response.headers.forEach((value, name) => {
        headers[name] = value;
      });
      return { status: response.status, headers, body: text === '' ? null : JSON.parse(text) };
    },
    { method, url: url.href, body: call.body },
  );
}

/** The documented status and body of an error condition (the reference's error table). */
function documented(operationId: string, conditionId: string): { status: number; body: unknown } {
  const condition = errorConditions.find((c) => c.operationId === operationId && c.conditionId === conditionId);
  if (condition === undefined) throw new Error(`no documented condition ${operationId} ${conditionId}`);
  return { status: condition.status, body: condition.body };
}

function expires(secondsFromNow: number): string {
  return new Date(Date.now() + secondsFromNow * 1000).toISOString();
}

function usageOf(token: string): string {
  return token.split('.')[0]!;
}

describe('the handlers under setupWorker in Chromium (README snippet b)', () => {
  it('answers the app with the token main.ts handed it', async () => {
    const { username, accessToken } = await page.evaluate(() => window.tokensApp!.config);
    const listed = await pageFetch('GET', `/tokens/v2/${username}`, { token: accessToken });
    expect(listed.status).toBe(200);
    expect(listed.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(listed.body.map((token: { note: string }) => token.note).sort()).toEqual(['Default public token', 'Master token']);
  });

  it('serves the installed msw worker script and the worker controls the page', async () => {
    expect(await workerScriptVersion(appDir)).toBe(MSW_VERSION);
    const controller = await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL);
    expect(controller).toBe(`${server.origin}/mockServiceWorker.js`);
  });

  it('creates pk, sk and tk tokens that retrieve as valid', async () => {
    const { username, secretToken } = await credentials();
    const pk = await pageFetch('POST', `/tokens/v2/${username}`, {
      token: secretToken,
      body: { note: 'browser pk', scopes: ['styles:read', 'fonts:read'], allowedUrls: ['http://127.0.0.1'] },
    });
    expect(pk.status).toBe(200);
    expect(pk.body).toMatchObject({
      usage: 'pk',
      note: 'browser pk',
      scopes: ['styles:read', 'fonts:read'],
      allowedUrls: ['http://127.0.0.1'],
    });
    expect(usageOf(pk.body.token)).toBe('pk');

    const sk = await pageFetch('POST', `/tokens/v2/${username}`, {
      token: secretToken,
      body: { note: 'browser sk', scopes: ['styles:read', 'tokens:read'] },
    });
    expect(sk.status).toBe(200);
    expect(sk.body).toMatchObject({ usage: 'sk', note: 'browser sk' });
    expect(usageOf(sk.body.token)).toBe('sk');

    const tk = await pageFetch('POST', `/tokens/v2/${username}`, {
      token: secretToken,
      body: { expires: expires(600), scopes: ['tokens:read'] },
    });
    expect(tk.status).toBe(200);
    expect(usageOf(tk.body.token)).toBe('tk');
    expect(tk.body.expires_in).toBeGreaterThan(590);

    for (const [usage, token] of [
      ['pk', pk.body.token],
      ['sk', sk.body.token],
      ['tk', tk.body.token],
    ] as const) {
      const retrieved = await pageFetch('GET', '/tokens/v2', { token });
      expect(retrieved.status).toBe(200);
      expect(retrieved.body).toMatchObject({ code: 'TokenValid', token: { usage, user: username } });
    }
    // The tk holds tokens:read: it lists the account's stored tokens (temporary ones are never listed).
    const listedWithTk = await pageFetch('GET', `/tokens/v2/${username}`, { token: tk.body.token });
    expect(listedWithTk.status).toBe(200);
    expect(listedWithTk.body.map((token: { id: string }) => token.id)).toEqual(expect.arrayContaining([pk.body.id, sk.body.id]));
    expect(listedWithTk.body).toHaveLength(4);
  });

  it('pages through the list with limit, following the Link header the page can read', async () => {
    const { username, secretToken } = await credentials();
    await page.evaluate(async (user) => {
      for (let index = 0; index < 5; index += 1) await window.tokensApp!.tokensMock.issueToken(user, { note: `page ${index}` });
    }, username);

    const pages: string[][] = [];
    let next: string | undefined = `/tokens/v2/${username}?limit=2&access_token=${secretToken}`;
    while (next !== undefined) {
      const result = await pageFetch('GET', next);
      expect(result.status).toBe(200);
      expect(result.headers['access-control-expose-headers']).toContain('Link');
      pages.push(result.body.map((token: { id: string }) => token.id));
      const link: string | undefined = result.headers.link;
      // The Link never carries the access token: the client adds its own again.
      next = link === undefined ? undefined : `${/<([^>]+)>;\s*rel="next"/.exec(link)![1]}&access_token=${secretToken}`;
      if (link !== undefined) expect(link.startsWith(`<${API_ORIGIN}/tokens/v2/${username}?`)).toBe(true);
      expect(pages.length).toBeLessThan(10);
    }
    expect(pages.map((ids) => ids.length)).toEqual([2, 2, 2, 1]);
    expect(new Set(pages.flat()).size).toBe(7);
  });

  it('deletes a token: 204, then it retrieves as TokenRevoked and no longer authenticates', async () => {
    const { username, secretToken } = await credentials();
    const created = await pageFetch('POST', `/tokens/v2/${username}`, {
      token: secretToken,
      body: { note: 'short-lived', scopes: ['tokens:read'] },
    });
    const deleted = await pageFetch('DELETE', `/tokens/v2/${username}/${created.body.id}`, { token: secretToken });
    expect(deleted).toMatchObject({ status: 204, body: null });

    const retrieved = await pageFetch('GET', '/tokens/v2', { token: created.body.token });
    expect(retrieved.body.code).toBe('TokenRevoked');
    const usedAfterDelete = await pageFetch('GET', `/tokens/v2/${username}`, { token: created.body.token });
    expect(usedAfterDelete).toMatchObject(documented('listTokens', 'revoked-token'));
    const listed = await pageFetch('GET', `/tokens/v2/${username}`, { token: secretToken });
    expect(listed.body.map((token: { id: string }) => token.id)).not.toContain(created.body.id);
  });

  it('answers the documented errors', async () => {
    const { username, secretToken, publicToken, publicTokenId } = await credentials();
    // The default pk holds only public scopes, so it lacks tokens:read.
    expect(await pageFetch('GET', `/tokens/v2/${username}`, { token: publicToken })).toMatchObject(
      documented('listTokens', 'missing-scope'),
    );
    expect(await pageFetch('GET', `/tokens/v2/${username}`, { token: secretToken, query: { usage: 'tk' } })).toMatchObject(
      documented('listTokens', 'bad-usage'),
    );
    expect(await pageFetch('GET', `/tokens/v2/${username}`)).toMatchObject(documented('listTokens', 'missing-token'));
    expect(await pageFetch('GET', '/tokens/v2/nobody-here', { token: secretToken })).toMatchObject(
      documented('listTokens', 'no-such-user'),
    );
    expect(await pageFetch('GET', '/tokens/v2')).toMatchObject(documented('retrieveToken', 'access-token-required'));
    expect(await pageFetch('DELETE', `/tokens/v2/${username}/${publicTokenId}`, { token: secretToken })).toMatchObject(
      documented('deleteToken', 'delete-default'),
    );
    expect(
      await pageFetch('POST', `/tokens/v2/${username}`, { token: secretToken, body: { scopes: ['styles:read'], colour: 'red' } }),
    ).toMatchObject({ status: 422, body: { message: 'Invalid request body: unknown property "colour"' } });
  });

  it('works with the official @mapbox/mapbox-sdk browser client', async () => {
    const result = await page.evaluate(async (origin) => {
      const { tokensMock, createTokensClient } = window.tokensApp!;
      const { username, secretToken } = await tokensMock.defaultAccount();
      // More than one page of 100, so the SDK has to follow the Link header.
      for (let index = 0; index < 100; index += 1) await tokensMock.issueToken(username, { note: `bulk ${index}` });
      const client = createTokensClient({ accessToken: secretToken, origin });
      const created = (await client.createToken({ note: 'from the sdk', scopes: ['styles:read'] }).send()).body as {
        id: string;
        token: string;
        usage: string;
      };
      const pageSizes = await new Promise<number[]>((resolve, reject) => {
        const sizes: number[] = [];
        client.listTokens().eachPage((error, response, next) => {
          if (error) return reject(new Error(`${error.statusCode} ${error.message}`));
          sizes.push((response!.body as unknown[]).length);
          if (response!.hasNextPage()) next();
          else resolve(sizes);
        });
      });
      const retrieved = (await createTokensClient({ accessToken: created.token, origin }).getToken().send()).body;
      const scopes = (await client.listScopes().send()).body as { id: string; public?: boolean }[];
      return { username, created, pageSizes, retrieved, scopes };
    }, API_ORIGIN);

    expect(result.created.usage).toBe('pk');
    expect(result.pageSizes).toEqual([100, 3]);
    expect(result.retrieved).toMatchObject({
      code: 'TokenValid',
      token: { usage: 'pk', user: result.username, authorization: result.created.id },
    });
    expect(result.scopes.find((scope) => scope.id === 'styles:tiles')?.public).toBe(true);
    expect(result.scopes.find((scope) => scope.id === 'tokens:write')?.public).toBeUndefined();
  });

  // Last: everything above went through the worker.
  it('answered every API request from the service worker: nothing left the machine, no page errors', () => {
    expect(apiResponses.length).toBeGreaterThan(20);
    expect(apiResponses.filter((response) => !response.fromServiceWorker()).map((response) => response.url())).toEqual([]);
    expect(network.external).toEqual([]);
    // Chromium logs every 4xx/5xx response as "Failed to load resource"; the error tests asked for those.
    const expectedErrorStatus =
      /^console\.error: Failed to load resource: the server responded with a status of \d{3} \(\) \(https:\/\/api\.mapbox\.com\//;
    expect(pageErrors.filter((error) => !expectedErrorStatus.test(error))).toEqual([]);
  });
});

// Through the worker every header is readable: a response the worker makes up is not CORS-filtered.
// Whether the CORS headers really expose `Link` shows only against a real server on another origin.
describe('CORS from a browser page on another origin (the standalone server, no worker)', () => {
  it('a cross-origin page reads Link and the rate-limit headers, and its preflighted POST succeeds', async () => {
    const mockServer = await startServer({ host: '127.0.0.1', port: 0, docsDir: false });
    const otherContext = await browser.newContext();
    try {
      const { username, secretToken } = await mockServer.mock.defaultAccount();
      const otherPage = await otherContext.newPage();
      // Any document of the static server's origin (127.0.0.1:<port A>) will do; the API is on port B.
      await otherPage.goto(`${server.origin}/no-such-page`);
      const seen = await otherPage.evaluate(
        async ({ api, username, token }) => {
          const created = await fetch(`${api}/tokens/v2/${username}?access_token=${token}`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify({ note: 'cross-origin', scopes: ['styles:read'] }),
          });
          const listed = await fetch(`${api}/tokens/v2/${username}?limit=1&access_token=${token}`);
          return {
            createdStatus: created.status,
            createdType: created.type,
            listedStatus: listed.status,
            link: listed.headers.get('Link'),
            rateLimit: listed.headers.get('X-Rate-Limit-Limit'),
            // Not in Access-Control-Expose-Headers, so a CORS-filtered response must hide it.
            allowOrigin: listed.headers.get('Access-Control-Allow-Origin'),
          };
        },
        { api: mockServer.url, username, token: secretToken },
      );
      expect(seen).toMatchObject({ createdStatus: 200, createdType: 'cors', listedStatus: 200, rateLimit: '100', allowOrigin: null });
      expect(seen.link).toMatch(new RegExp(`^<${mockServer.url}/tokens/v2/${username}\\?[^>]*start=[^>]*>; rel="next"$`));
    } finally {
      await otherContext.close();
      await mockServer.close();
    }
  });
});
