import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot as root, sourceFiles } from './source-files.ts';

/** src/model, src/state, src/http, src/mock, src/faults, handlers, fixtures and src/index.ts run in browsers: no Node built-ins, no CommonJS require. */
const BROWSER_SAFE = ['src/model', 'src/state', 'src/http', 'src/mock', 'src/faults', 'handlers', 'fixtures', 'src/index.ts'];

describe('browser-safe folders', () => {
  const files = BROWSER_SAFE.flatMap((entry) => sourceFiles(join(root, entry)));

  it('has sources to check', () => {
    expect(files.length).toBeGreaterThan(15);
  });

  it.each(files.map((file) => [relative(root, file), file]))('%s imports nothing from node: and uses no require()', (_name, file) => {
    const text = readFileSync(file, 'utf8');
    expect(text).not.toMatch(/from\s+['"]node:/);
    expect(text).not.toMatch(/import\(\s*['"]node:/);
    expect(text).not.toMatch(/\brequire\(/);
    // Node's globals are absent in browsers. Reading `process` off globalThis is feature detection
    // (src/state/signer.ts looks for node:crypto that way) and stays allowed; the bare global is not.
    expect(text).not.toMatch(/(?<![.\w$])process\??\.|\bBuffer\b/);
  });
});
