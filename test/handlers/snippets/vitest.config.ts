// Runs the README's strict-mode snippet on its own (it is meant to fail): see strict-mode-snippet.test.ts.
import { defineConfig } from 'vitest/config';
import { packageSelfAliases } from '../../../vitest.config.ts';

const mswAlias = process.env.SNIPPET_MSW === '2' ? [{ find: /^msw(?=\/|$)/, replacement: 'msw2' }] : [];

export default defineConfig({
  resolve: { alias: [...packageSelfAliases, ...mswAlias] },
  test: { include: ['test/handlers/snippets/strict-mode.ts'], testTimeout: 30_000 },
});
