// Runs the snippet snippets/own-accounts.ts exactly as docs/use-in-tests.md prints it.
// The snippet imports the package by its published name; vitest.config.ts maps that name to the sources.
await import('./snippets/own-accounts.ts');
