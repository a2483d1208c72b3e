import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot as root, sourceFiles } from './source-files.ts';

/**
 * Every mutant left out of the Stryker score is left out with its reason (docs/mutation-testing.md):
 * each `Stryker disable` comment in the model names its mutators (or `all`) and gives a reason that
 * starts with its class, and a `disable all` block is closed again.
 */
const CLASSES = ['unreachable', 'equivalent', 'conforming'];
const DIRECTIVE = /\/\/\s*Stryker (disable|restore)\b(.*)$/;

const files = sourceFiles(join(root, 'src', 'model')).filter((file) => file.endsWith('.ts'));

describe('Stryker directives in src/model', () => {
  it.each(files.map((file) => [relative(root, file), file]))('%s: each names its mutators and a classed reason', (_name, file) => {
    let openBlocks = 0;
    for (const [index, line] of readFileSync(file, 'utf8').split('\n').entries()) {
      const match = DIRECTIVE.exec(line);
      if (match === null) continue;
      const where = `${relative(root, file)}:${index + 1}`;
      const [, verb, rest] = match as unknown as [string, string, string];
      if (verb === 'restore') {
        expect(rest.trim(), where).toBe('all');
        openBlocks -= 1;
        continue;
      }
      const directive = /^( next-line)? (all|[A-Z][A-Za-z]+(?:,[A-Z][A-Za-z]+)*): \[([a-z]+)\] \S/.exec(rest);
      expect(directive, `${where}: ${line.trim()}`).not.toBeNull();
      expect(CLASSES, where).toContain(directive![3]);
      if (directive![1] === undefined) openBlocks += 1;
    }
    expect(openBlocks, 'every `Stryker disable` block is restored').toBe(0);
  });
});
