import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';

/**
 * README-snippets.md quotes the snippet files verbatim (the snippet tests and the worker page run
 * those files), so the text users copy is the code the suite runs.
 */
const SNIPPET_FILES = ['vitest-setup-server.ts', 'mocks/browser.ts', 'main.ts', 'own-accounts.ts'];

async function codeBlocks(): Promise<string[]> {
  const markdown = await readFile(new URL('./README-snippets.md', import.meta.url), 'utf8');
  return [...markdown.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((match) => match[1]!);
}

describe('README-snippets.md', () => {
  it('quotes every snippet file verbatim, each in its own ts block, and nothing else', async () => {
    const blocks = await codeBlocks();
    const files = await Promise.all(SNIPPET_FILES.map((file) => readFile(new URL(`./snippets/${file}`, import.meta.url), 'utf8')));
    expect(blocks).toEqual(files);
  });

  it('tells how to copy the worker script into the served root', async () => {
    const markdown = await readFile(new URL('./README-snippets.md', import.meta.url), 'utf8');
    expect(markdown).toContain('npx msw init public/');
    const main = await readFile(new URL('./snippets/main.ts', import.meta.url), 'utf8');
    expect(main).toContain("serviceWorker: { url: '/mockServiceWorker.js' }");
  });
});
