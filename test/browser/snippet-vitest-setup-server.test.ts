// Runs README snippet (a), snippets/vitest-setup-server.ts, exactly as the README prints it.
// The snippet imports the package by its published name; vitest.config.ts maps that name to the sources.
await import('./snippets/vitest-setup-server.ts');
