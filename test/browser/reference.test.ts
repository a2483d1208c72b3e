import { mkdir } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { errorConditions, openapiDocument, operations, type ErrorCondition } from '../../src/generated/openapi.ts';
import { collectPageErrors, guardNetwork, launchChromium, type NetworkLog } from './support/chromium.ts';

/**
 * The offline reference (`npm run docs` -> docs/index.html, a Redoc bundle) read in a real browser, as
 * a user opening the file would: every operation and every row of the error table must be reachable,
 * with no console errors and no request leaving the machine.
 */
const REFERENCE_URL = pathToFileURL(fileURLToPath(new URL('../../docs/index.html', import.meta.url))).href;
const ARTIFACTS_DIR = fileURLToPath(new URL('../../.tmp/artifacts/', import.meta.url));

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

  it('saves a full-page screenshot as a test artifact', async () => {
    await mkdir(ARTIFACTS_DIR, { recursive: true });
    await page.goto(REFERENCE_URL, { waitUntil: 'load' });
    await page.getByRole('heading', { level: 1 }).first().waitFor();
    const overview = await page.screenshot({ path: `${ARTIFACTS_DIR}reference.png`, fullPage: true });
    await openOperation(operations[0]!.summary, tagOf(operations[0]!.operationId));
    const operationShot = await page.screenshot({ path: `${ARTIFACTS_DIR}reference-${operations[0]!.operationId}.png`, fullPage: true });
    // A rendered page is far larger than a blank one (a blank 1280x900 PNG is a few kB).
    expect(overview.byteLength).toBeGreaterThan(50_000);
    expect(operationShot.byteLength).toBeGreaterThan(50_000);
  });

  // Last: the checks above have driven every part of the page that could fetch or fail.
  it('logs no console errors and sends no request off the machine', () => {
    expect(network.requests.length).toBeGreaterThan(0);
    expect(network.external, 'requests that would leave the machine (aborted)').toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
