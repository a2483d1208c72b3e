import { defineConfig } from 'vitest/config';
import { packageSelfAliases } from './vitest.config.ts';

/** The test StrykerJS runs for every mutant (stryker.config.json): the contract suite against the mock. */
export default defineConfig({
  resolve: { alias: packageSelfAliases },
  test: {
    include: ['test/mutation/*.mutation.ts'],
    testTimeout: 60_000,
  },
});
