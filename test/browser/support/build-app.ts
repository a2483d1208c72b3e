import { copyFile, mkdtemp, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const APP_ROOT = fileURLToPath(new URL('../app/', import.meta.url));
const PACKAGE_ENTRY = fileURLToPath(new URL('../../../src/index.ts', import.meta.url));
const require = createRequire(import.meta.url);

/** The worker script of the INSTALLED msw, so it always matches the msw the page is bundled with. */
const MSW_WORKER_SCRIPT = require.resolve('msw/mockServiceWorker.js');
export const MSW_VERSION = (require('msw/package.json') as { version: string }).version;

/**
 * Bundles test/browser/app (which runs snippets/main.ts) with Vite into a temporary directory and adds
 * mockServiceWorker.js at its root, as `npx msw init public/` does for an app. Returns the directory.
 */
export async function buildBrowserApp(): Promise<string> {
  const outDir = await mkdtemp(join(tmpdir(), 'tokens-mock-browser-'));
  await build({
    root: APP_ROOT,
    configFile: false,
    publicDir: false,
    logLevel: 'warn',
    // The snippets import the package by name, as users do; here the name is the source tree.
    resolve: { alias: { 'mapbox-tokens-mock': PACKAGE_ENTRY } },
    build: { outDir, emptyOutDir: true, minify: false, reportCompressedSize: false },
  });
  await copyFile(MSW_WORKER_SCRIPT, join(outDir, 'mockServiceWorker.js'));
  return outDir;
}

/** Reads the PACKAGE_VERSION the worker script declares. */
export async function workerScriptVersion(directory: string): Promise<string | undefined> {
  const script = await readFile(join(directory, 'mockServiceWorker.js'), 'utf8');
  return /PACKAGE_VERSION\s*=\s*'([^']+)'/.exec(script)?.[1];
}
