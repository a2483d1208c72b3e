#!/usr/bin/env node
// `tokens-mock`: the standalone Tokens API mock server. All logic lives in src/server/.
import { runTokensMock } from './tokens-mock-command.ts';
import { exitQuietlyWhenStdoutCloses } from './closed-stdout.ts';

exitQuietlyWhenStdoutCloses();

try {
  const result = await runTokensMock(process.argv.slice(2));
  if (typeof result === 'number') process.exitCode = result;
} catch (error) {
  process.stderr.write(`tokens-mock: ${(error as Error)?.message ?? String(error)}\n`);
  process.exitCode = 1;
}
