import { defineConfig } from 'vitest/config';

/**
 * The handler suite (test/handlers, and test/http and test/mock, which run through msw too) against msw 2 (installed as the alias package `msw2`, msw@2.15.0): every import
 * of `msw` or `msw/...` in the sources and tests resolves to msw 2 instead of msw 3.
 */
export default defineConfig({
  resolve: {
    alias: [{ find: /^msw(?=\/|$)/, replacement: 'msw2' }],
  },
  test: {
    include: ['test/handlers/**/*.test.ts', 'test/http/**/*.test.ts', 'test/mock/**/*.test.ts'],
    env: { MSW_MAJOR_EXPECTED: '2' },
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
