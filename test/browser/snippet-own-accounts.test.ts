// Runs README snippet (c), snippets/own-accounts.ts, exactly as the README prints it.
// The snippet imports the package by its published name; vitest.config.ts maps that name to the sources.
await import('./snippets/own-accounts.ts');
