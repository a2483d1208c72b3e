import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Request } from 'playwright-core';

/**
 * The browser the tests drive. By default the Chromium that the `@sparticuz/chromium` dev dependency
 * ships inside its npm package (installed through the lockfile like every other dependency: no apt,
 * no root, nothing downloaded at run time), even when the machine also has a system Chromium, so every
 * machine runs the same browser. `CHROMIUM_PATH=/path/to/chromium` explicitly picks another binary.
 */
/** The package's folder (its `exports` do not list package.json, so go up from its entry). */
const PACKAGE_DIR = fileURLToPath(new URL('../', import.meta.resolve('@sparticuz/chromium')));
/** The installed @sparticuz/chromium version; its major is the Chromium major it ships. */
export const PACKAGE_VERSION: string = JSON.parse(readFileSync(join(PACKAGE_DIR, 'package.json'), 'utf8')).version;
/** Unpacked once per installed version, beside the dependencies (`npm ci` starts it afresh). */
const CACHE_DIR = resolve(
  fileURLToPath(new URL('../../../node_modules/.cache/', import.meta.url)),
  `sparticuz-chromium-${PACKAGE_VERSION}`,
);

/**
 * Unpacks the packaged Chromium (brotli archives of the binary, its fonts and SwiftShader) into the
 * project's cache and returns the binary's path. The package unpacks into the OS temp dir and trusts
 * whatever `chromium` it finds there, which parallel test files (or another project) could be writing
 * at that moment; so the unpacking runs in a child whose temp dir is a fresh folder of ours, and the
 * finished folder is renamed into place in one step: a reader sees a complete copy or none.
 */
export function packagedChromium(): string {
  const binary = join(CACHE_DIR, 'chromium');
  if (existsSync(binary)) return binary;
  mkdirSync(dirname(CACHE_DIR), { recursive: true });
  const staging = mkdtempSync(`${CACHE_DIR}.unpacking-`);
  try {
    execFileSync(process.execPath, ['--input-type=module', '-e', "import c from '@sparticuz/chromium'; await c.executablePath();"], {
      cwd: PACKAGE_DIR,
      env: { ...process.env, TMPDIR: staging },
      stdio: ['ignore', 'ignore', 'inherit'],
      timeout: 120_000,
    });
    if (!existsSync(join(staging, 'chromium'))) throw new Error(`@sparticuz/chromium did not unpack a binary into ${staging}`);
    try {
      renameSync(staging, CACHE_DIR);
    } catch (error) {
      // Another test file finished first: its copy is complete, so use it.
      if (!existsSync(binary)) throw error;
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return binary;
}

/** The binary to launch: the explicit `CHROMIUM_PATH` override, else the packaged Chromium. */
export function chromiumExecutable(env: NodeJS.ProcessEnv = process.env): string {
  const override = env.CHROMIUM_PATH;
  if (!override) return packagedChromium();
  // A missing browser must fail the run, never skip it: the browser tests are part of `npm test`.
  if (!existsSync(override)) {
    throw new Error(`CHROMIUM_PATH=${override} does not exist. Unset it to use the Chromium of the @sparticuz/chromium dev dependency.`);
  }
  return override;
}

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
export async function launchChromium(executablePath = chromiumExecutable()): Promise<Browser> {
  return chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS });
}

/** URLs that stay on this machine. */
function isLocalUrl(url: string): boolean {
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
