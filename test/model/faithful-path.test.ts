import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot as root, sourceFiles } from './source-files.ts';

/**
 * The model is the faithful path: it reads as the API and nothing else (issue 15). Faults live in
 * src/faults and reach the model only as replaced rule functions when the mock is built.
 */
const files = sourceFiles(join(root, 'src', 'model')).filter((file) => file.endsWith('.ts'));

describe('src/model', () => {
  it('has sources to check', () => {
    expect(files.length).toBeGreaterThan(20);
  });

  it.each(files.map((file) => [relative(root, file), file]))(
    '%s mentions no fault and imports only the document and the model',
    (_name, file) => {
      const text = readFileSync(file, 'utf8');
      // "default" (a field of the API) contains the letters; any other "fault" is a mention.
      expect(text.match(/(?<!de)fault/gi) ?? []).toEqual([]);
      for (const [, specifier] of text.matchAll(/(?:from|import\()\s*['"]([^'"]+)['"]/g)) {
        expect(specifier, `${relative(root, file)} imports ${specifier}`).not.toMatch(
          /\/(faults|state|http|mock|server|contract|cli)\/|^msw|handlers\//,
        );
      }
    },
  );
});
