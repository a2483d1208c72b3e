// Runs the Playwright snippet of docs/use-in-tests.md (snippets/playwright-route.ts) in Chromium: a page on a local
// origin calls https://api.mapbox.com, and page.route answers from createTokensMockCore().
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { routeTokensApi, tokensMock } from './snippets/playwright-route.ts';
import { collectPageErrors, guardNetwork, launchChromium, type NetworkLog } from './support/chromium.ts';
import { serveDirectory, type StaticServer } from './support/static-server.ts';

let dir: string;
let server: StaticServer;
let browser: Browser;
let page: Page;
let network: NetworkLog;
let pageErrors: string[];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tokens-mock-playwright-'));
  await writeFile(join(dir, 'index.html'), '<!doctype html><link rel="icon" href="data:,"><title>app</title>');
  server = await serveDirectory(dir);
  browser = await launchChromium();
  const context = await browser.newContext();
  network = await guardNetwork(context);
  pageErrors = collectPageErrors(context);
  page = await context.newPage();
  page.setDefaultTimeout(10_000);
  await routeTokensApi(page);
  await page.goto(`${server.origin}/`);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** A fetch by the page's own script (cross-origin: the page is on 127.0.0.1). */
function pageFetch(url: string, init: { method?: string; body?: string } = {}) {
  return page.evaluate(
    async ({ url, init }) => {
      const response = await fetch(url, { ...init, ...(init.body !== undefined && { headers: { 'Content-Type': 'application/json' } }) });
      return { status: response.status, link: response.headers.get('Link'), body: response.status === 204 ? null : await response.json() };
    },
    { url, init },
  );
}

describe('the Playwright snippet of docs/use-in-tests.md: page.route answered by createTokensMockCore()', () => {
  it('creates, lists, updates and deletes tokens from the page, nothing leaving the machine', async () => {
    const { username, secretToken } = await tokensMock.defaultAccount();
    const base = `https://api.mapbox.com/tokens/v2/${username}`;
    const created = await pageFetch(`${base}?access_token=${secretToken}`, {
      method: 'POST',
      body: JSON.stringify({ note: 'from the page', scopes: ['styles:read'] }),
    });
    expect(created).toMatchObject({ status: 200, body: { usage: 'pk', note: 'from the page', scopes: ['styles:read'] } });

    const listed = await pageFetch(`${base}?access_token=${secretToken}&limit=1`);
    expect(listed.status).toBe(200);
    expect(listed.body).toHaveLength(1);
    // Link is exposed to the page's script, and carries the page's view of the API origin.
    expect(listed.link).toMatch(/^<https:\/\/api\.mapbox\.com\/tokens\/v2\/mockuser\?.*start=/);

    const updated = await pageFetch(`${base}/${created.body.id}?access_token=${secretToken}`, {
      method: 'PATCH',
      body: JSON.stringify({ note: 'renamed' }),
    });
    expect(updated).toMatchObject({ status: 200, body: { note: 'renamed' } });
    const deleted = await pageFetch(`${base}/${created.body.id}?access_token=${secretToken}`, { method: 'DELETE' });
    expect(deleted).toEqual({ status: 204, link: null, body: null });

    expect(network.external).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  it('answers the API errors as the API does', async () => {
    const { username } = await tokensMock.defaultAccount();
    expect(await pageFetch(`https://api.mapbox.com/tokens/v2/${username}`)).toMatchObject({
      status: 401,
      body: { message: 'Unauthorized' },
    });
    expect(await pageFetch('https://api.mapbox.com/tokens/v2?access_token=pk.abc.123')).toMatchObject({
      status: 200,
      body: { code: 'TokenInvalid' },
    });
  });
});
