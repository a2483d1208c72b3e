import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const source = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

/**
 * Tests and the README's snippets import the package by its name, as users do; here the name
 * resolves to the sources (the consumer tests in test/package prove the built tarball instead).
 */
export const packageSelfAliases = [
  { find: /^mapbox-tokens-mock$/, replacement: source('./src/index.ts') },
  { find: /^mapbox-tokens-mock\/server$/, replacement: source('./src/server/index.ts') },
  { find: /^mapbox-tokens-mock\/contract$/, replacement: source('./src/contract/index.ts') },
  { find: /^mapbox-tokens-mock\/fixtures$/, replacement: source('./fixtures/index.ts') },
];

export default defineConfig({
  resolve: { alias: packageSelfAliases },
  test: {
    include: ['test/**/*.test.ts'],
    // Vitest's default is one worker per core but one, which on the 2-core CI machine is a single
    // worker; the suite mostly waits (child processes, npm, timers, loopback), so three overlap it.
    maxWorkers: 3,
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
