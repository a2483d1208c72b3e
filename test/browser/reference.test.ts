import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { errorConditions, openapiDocument, operations, type ErrorCondition } from '../../src/generated/openapi.ts';
import { collectPageErrors, guardNetwork, launchChromium, type NetworkLog } from './support/chromium.ts';
import { startServer } from '../../src/server/index.ts';

/**
 * The offline reference (`npm run docs` -> docs/index.html, a Redoc bundle) read in a real browser, as
 * a user opening the file would: every operation and every row of the error table must be reachable,
 * with no console errors and no request leaving the machine.
 */
const REFERENCE_URL = pathToFileURL(fileURLToPath(new URL('../../docs/index.html', import.meta.url))).href;
const ARTIFACTS_DIR = fileURLToPath(new URL('../../.tmp/artifacts/', import.meta.url));
/**
 * Where the screenshots go. docs/screenshots holds committed ones, so a reader of the repository sees
 * the reference as it renders; a test run must not rewrite tracked files (PNG bytes vary a little
 * between runs), so they are refreshed only on request: `UPDATE_SCREENSHOTS=1 npx vitest run
 * test/browser/reference.test.ts` (docs/development.md). Otherwise they are test output.
 */
const SCREENSHOTS_DIR =
  process.env['UPDATE_SCREENSHOTS'] === '1' ? fileURLToPath(new URL('../../docs/screenshots/', import.meta.url)) : ARTIFACTS_DIR;

let browser: Browser;
let context: BrowserContext;
let page: Page;
let network: NetworkLog;
let pageErrors: string[];

beforeAll(async () => {
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  network = await guardNetwork(context);
  pageErrors = collectPageErrors(context);
  page = await context.newPage();
  // A step that cannot find its element fails with playwright's message, well before the test timeout.
  page.setDefaultTimeout(5_000);
  await page.goto(REFERENCE_URL, { waitUntil: 'load' });
  await page.getByRole('heading', { level: 1 }).first().waitFor();
});

afterAll(async () => {
  await browser?.close();
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A sidebar entry by its label; kind is Redoc's menu item type (`group` for a tag, `operation`). */
function sidebarEntry(kind: 'group' | 'operation', label: string): Locator {
  return page.locator(`.menu-item-type-${kind} [data-text=${JSON.stringify(label)}]`).first();
}

/** Opens an operation from the sidebar (expanding its tag first), as a reader would, and returns its section. */
async function openOperation(summary: string, tag: string): Promise<Locator> {
  const entry = sidebarEntry('operation', summary);
  if (!(await entry.isVisible())) await sidebarEntry('group', tag).click();
  await entry.click();
  const section = page.locator('[data-item-kind="httpItem"]').filter({
    has: page.locator('h2').filter({ hasText: new RegExp(`^${escapeRegExp(summary)}$`) }),
  });
  await section.waitFor();
  return section;
}

/**
 * Label -> text of the example shown, for each example of one response status in the samples panel.
 * Driven inside the page (DOM clicks, one frame apart): playwright's actionability checks cost
 * ~0.4 s per click, and the reference has close to a hundred examples to go through.
 */
async function responseExamples(section: Locator, status: number): Promise<Map<string, string>> {
  const panel = section.locator('.panel-response-samples');
  const pairs = await panel.evaluate(async (panelElement, wantedStatus): Promise<[string, string][]> => {
    const nextFrame = (): Promise<void> => new Promise((resolve) => requestAnimationFrame(() => resolve()));
    const waitFor = async <T>(probe: () => T | null | undefined | false, what: string): Promise<T> => {
      for (let frame = 0; frame < 300; frame += 1) {
        const value = probe();
        if (value) return value;
        await nextFrame();
      }
      throw new Error(`reference page: ${what} did not appear`);
    };
    const statusButton = [...panelElement.querySelectorAll('button')].find((button) => button.textContent?.trim() === wantedStatus);
    if (statusButton === undefined) throw new Error(`reference page: no ${wantedStatus} tab in the response samples`);
    statusButton.click();
    await nextFrame();
    const dropdown = (): HTMLElement | null => panelElement.querySelector('button[aria-label="Example"]');
    const shownExample = (): string => (panelElement.querySelector('[data-testid="source-code"]') as HTMLElement | null)?.innerText ?? '';
    if (dropdown() === null) return [['', shownExample()]];
    // The open menu lives in a portal; the only visible menu items are this dropdown's.
    const visibleItems = (): HTMLElement[] =>
      [...document.querySelectorAll<HTMLElement>('[role="menuitem"]')].filter((item) => item.checkVisibility());
    const openMenu = async (): Promise<HTMLElement[]> => {
      if (visibleItems().length === 0) dropdown()!.click();
      return waitFor(() => (visibleItems().length > 0 ? visibleItems() : null), 'the example menu');
    };
    const labels = (await openMenu()).map((item) => item.innerText.trim());
    const shown: [string, string][] = [];
    for (const [index, label] of labels.entries()) {
      (await openMenu())[index]!.click();
      await waitFor(() => dropdown()!.innerText.includes(label), `example "${label}"`);
      await nextFrame();
      shown.push([label, shownExample()]);
    }
    if (visibleItems().length > 0) dropdown()!.click();
    return shown;
  }, String(status));
  return new Map(pairs);
}

/** Whether the example as displayed carries the condition's message (or retrieve code). */
function showsCondition(exampleText: string, condition: ErrorCondition): boolean {
  // Nested objects may be displayed collapsed (`…`), so read the top-level member as text, not as JSON.
  const [key, value] = condition.message !== undefined ? ['message', condition.message] : ['code', condition.code];
  return exampleText.includes(`"${key}": ${JSON.stringify(value)}`);
}

function tagOf(operationId: string): string {
  for (const pathItem of Object.values(openapiDocument.paths)) {
    for (const operation of Object.values(pathItem) as { operationId?: string; tags?: readonly string[] }[]) {
      if (operation.operationId === operationId) return operation.tags?.[0] ?? '';
    }
  }
  throw new Error(`operation ${operationId} is not in the document`);
}

describe('the API reference (docs/index.html) in Chromium', () => {
  it('shows every operation with every error condition of the error table', async () => {
    expect(operations.length).toBeGreaterThan(0);
    const missing: string[] = [];
    for (const operation of operations) {
      const section = await openOperation(operation.summary, tagOf(operation.operationId));
      expect(await section.getByText(operation.path, { exact: true }).first().isVisible()).toBe(true);
      const conditions = errorConditions.filter((condition) => condition.operationId === operation.operationId);
      for (const status of [...new Set(conditions.map((condition) => condition.status))]) {
        const examples = await responseExamples(section, status);
        for (const condition of conditions.filter((c) => c.status === status)) {
          // A response with a single example shows it without a picker (label '').
          const label = examples.has('') ? '' : [...examples.keys()].find((key) => key === condition.summary);
          const expected = condition.message ?? condition.code;
          if (label === undefined) {
            missing.push(`${operation.operationId} ${status} ${condition.conditionId}: no example "${condition.summary}"`);
          } else if (!showsCondition(examples.get(label)!, condition)) {
            missing.push(`${operation.operationId} ${status} ${condition.conditionId}: shows ${examples.get(label)}, expected ${expected}`);
          }
        }
      }
    }
    expect(missing).toEqual([]);
  }, 60_000); // ~15 s alone: six operations and close to a hundred examples, one click each

  it("shows each operation's error conditions as a visible table: condition, status, message or code", async () => {
    const wrong: string[] = [];
    for (const operation of operations) {
      const conditions = errorConditions.filter((condition) => condition.operationId === operation.operationId);
      if (conditions.length === 0) continue;
      const section = await openOperation(operation.summary, tagOf(operation.operationId));
      const table = section
        .locator('table')
        .filter({ has: page.getByText('Message or code', { exact: true }) })
        .first();
      await table.scrollIntoViewIfNeeded();
      expect(await table.isVisible(), operation.operationId).toBe(true);
      const rows = await table
        .locator('tbody tr')
        .evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.innerText.trim())));
      expect(rows, operation.operationId).toHaveLength(conditions.length);
      for (const condition of conditions) {
        const row = rows.find(([text]) => text!.endsWith(`(${condition.conditionId})`));
        if (row === undefined || row[1] !== String(condition.status) || row[2] !== (condition.message ?? condition.code)) {
          wrong.push(`${operation.operationId} ${condition.conditionId}: row ${JSON.stringify(row)}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  }, 60_000);

  it('describes the rate-limit and CORS headers once, not under every response', async () => {
    const section = await openOperation('List tokens', 'Tokens');
    // The 200 response still shows its own Link header, and names the shared ones instead of repeating them.
    await expect.poll(() => section.getByText('Carries the rate-limit and CORS headers', { exact: false }).first().isVisible()).toBe(true);
    expect(await section.getByText('X-Rate-Limit-Limit', { exact: true }).count()).toBe(0);
    expect(await section.getByText('Link', { exact: true }).first().isVisible()).toBe(true);
    await page.locator('.menu-item-type-section [data-text="Response headers"], [data-text="Response headers"]').first().click();
    const intro = page
      .locator('table')
      .filter({ has: page.getByText('X-Rate-Limit-Limit', { exact: true }) })
      .first();
    await intro.waitFor();
    expect(await intro.locator('tbody tr').count()).toBe(5);
  });

  it('shows no "API docs by" badge', async () => {
    expect(await page.getByText('API docs by').count()).toBeGreaterThan(0); // Redoc still renders it...
    expect(await page.getByText('API docs by').first().isVisible()).toBe(false); // ...hidden by the page's style
  });

  it('spaces the words of search excerpts', async () => {
    await page.keyboard.press('Control+k');
    await page.keyboard.type('revoked');
    const excerpt = page.getByText('(revoked-token) 401 Unauthorized', { exact: false }).first();
    await excerpt.waitFor();
    const text = await page.locator('body').innerText();
    expect(text).toContain('reads TokenRevoked on retrieve');
    expect(text).not.toMatch(/TokenRevokedon|revoked-token\)401|401Unauthorized/);
    await mkdir(SCREENSHOTS_DIR, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS_DIR, 'reference-search.png') });
    await page.keyboard.press('Escape');
    await excerpt.waitFor({ state: 'hidden' });
  });

  it('saves screenshots of the reference: the error table of Create a token', async () => {
    await mkdir(SCREENSHOTS_DIR, { recursive: true });
    const create = operations.find((operation) => operation.operationId === 'createToken')!;
    const section = await openOperation(create.summary, tagOf(create.operationId));
    await section.getByRole('heading', { name: 'Error conditions' }).scrollIntoViewIfNeeded();
    const shot = await page.screenshot({ path: join(SCREENSHOTS_DIR, 'reference-error-table.png') });
    // A rendered page is far larger than a blank one (a blank 1280x900 PNG is a few kB).
    expect(shot.byteLength).toBeGreaterThan(50_000);
  });

  it('served by the mock, lists the local server first', async () => {
    const server = await startServer({ port: 0 });
    try {
      const served = await context.newPage();
      served.setDefaultTimeout(5_000);
      await served.goto(`${server.url}/docs`, { waitUntil: 'load' });
      await served.getByRole('heading', { level: 1 }).first().waitFor();
      // The Servers panel: this server first, then the document's own.
      await served.getByText(server.url, { exact: true }).first().waitFor();
      const panel = await served.locator('body').innerText();
      expect(panel.indexOf(server.url)).toBeGreaterThan(panel.indexOf('Servers'));
      expect(panel.indexOf('https://api.mapbox.com')).toBeGreaterThan(panel.indexOf(server.url));
      // Test output only: the port changes on every run.
      await mkdir(ARTIFACTS_DIR, { recursive: true });
      await served.screenshot({ path: join(ARTIFACTS_DIR, 'reference-served.png') });
      await served.close();
    } finally {
      await server.close();
    }
  });

  // Last: the checks above have driven every part of the page that could fetch or fail.
  it('logs no console errors and sends no request off the machine', () => {
    expect(network.requests.length).toBeGreaterThan(0);
    expect(network.external, 'requests that would leave the machine (aborted)').toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
