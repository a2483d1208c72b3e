import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Request } from 'playwright-core';

/**
 * Debian's Chromium (`apt-get install chromium`); never a browser downloaded by a test tool.
 * CHROMIUM_PATH overrides it for other machines.
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Flags for this closed network (see the workplace notes): root needs --no-sandbox, and the background
 * networking flags stop Chromium's own calls home, which would otherwise be refused or show up as leaks.
 */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Launches headless Chromium with a fresh profile (playwright creates a new --user-data-dir per launch). */
export async function launchChromium(): Promise<Browser> {
  // A missing browser must fail the run, never skip it: the browser tests are part of `npm test`.
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM_PATH}. The browser tests need Debian's chromium package ` +
        '(`apt-get install chromium`, as .ci/run does) or CHROMIUM_PATH pointing at a Chromium binary.',
    );
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
}

/** URLs that stay on this machine. */
export function isLocalUrl(url: string): boolean {
  const parsed = new URL(url);
  if (['file:', 'data:', 'blob:', 'about:', 'chrome-extension:'].includes(parsed.protocol)) return true;
  return ['127.0.0.1', 'localhost', '[::1]'].includes(parsed.hostname);
}

export interface NetworkLog {
  /** Every request the context saw (pages and service workers), in order. */
  readonly requests: Request[];
  /** Requests that would have left the machine; each was aborted before it went out. */
  readonly external: string[];
}

/**
 * Records every request of the context and aborts any that would leave the machine, so a test can
 * assert that none was attempted. Requests a service worker answers never reach the route; what such a
 * worker itself fetches from the network does, in Chromium.
 */
export async function guardNetwork(context: BrowserContext): Promise<NetworkLog> {
  const log: NetworkLog = { requests: [], external: [] };
  context.on('request', (request) => log.requests.push(request));
  await context.route('**/*', async (route) => {
    const url = route.request().url();
    if (isLocalUrl(url)) return route.fallback();
    log.external.push(`${route.request().method()} ${url}`);
    return route.abort('blockedbyclient');
  });
  return log;
}

/** Console errors and uncaught page errors, which a healthy page has none of. */
export function collectPageErrors(context: BrowserContext): string[] {
  const errors: string[] = [];
  const watch = (page: import('playwright-core').Page): void => {
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(`console.error: ${message.text()} (${message.location().url})`);
    });
    page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`));
  };
  context.pages().forEach(watch);
  context.on('page', watch);
  return errors;
}
