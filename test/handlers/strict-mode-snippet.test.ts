// The README's strict-mode snippet makes a vitest test fail with a message that names the request
// and the schema path. It runs in a child vitest (a failing test cannot run inside this one), under
// the msw major this suite runs with.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const vitestBin = fileURLToPath(new URL('../../node_modules/vitest/vitest.mjs', import.meta.url));

test('the strict-mode snippet fails, naming the request and the schema path', { timeout: 120_000 }, async () => {
  const result = await new Promise<{ code: number | null; output: string }>((resolve) => {
    execFile(
      process.execPath,
      [vitestBin, 'run', '--config', 'test/handlers/snippets/vitest.config.ts', '--color=false'],
      {
        cwd: root,
        env: { ...process.env, SNIPPET_MSW: process.env.MSW_MAJOR_EXPECTED ?? '3', NO_COLOR: '1', FORCE_COLOR: '0' },
        timeout: 110_000,
      },
      (error, stdout, stderr) => resolve({ code: error ? ((error as { code?: number }).code ?? -1) : 0, output: `${stdout}\n${stderr}` }),
    );
  });
  expect(result.code).toBe(1);
  expect(result.output).toMatch(/FAIL .*strict-mode\.ts > the app creates its token/);
  expect(result.output).toContain(
    '[mapbox-tokens-mock] strict mode: POST /tokens/v2/mockuser?access_token=sk.… is not described by the API document:',
  );
  expect(result.output).toContain(
    'body: unknown property "ttl" (CreateTokenRequest) (rule additionalProperties, #/components/schemas/CreateTokenRequest/additionalProperties)',
  );
  expect(result.output).toContain('Tests  1 failed');
});
