// scripts/readme-snippets.ts: blocks between snippet markers in README.md and docs/*.md must equal
// the files the tests run.
import { describe, expect, test } from 'vitest';
import {
  CONSUMER_SNIPPETS,
  fileReader,
  renderBlock,
  snippetPages,
  syncPages,
  syncSnippets,
  type ReadSnippet,
} from '../../scripts/readme-snippets.ts';

const files: Record<string, string> = {
  'snippets/a.ts': 'export const a = 1;\n',
  'snippets/run.sh': 'echo hi', // no trailing newline: the block still ends its code with one
};
const readFromMap: ReadSnippet = async (path) => files[path];

function readmeWith(blockA: string, blockSh: string = renderBlock('snippets/run.sh', files['snippets/run.sh']!)): string {
  return [
    '# Title',
    '',
    '<!-- snippet: snippets/a.ts -->',
    `${blockA}<!-- /snippet -->`,
    'text between',
    '<!-- snippet: snippets/run.sh -->',
    `${blockSh}<!-- /snippet -->`,
    '',
  ].join('\n');
}

describe('readme snippets', () => {
  test('renders a fenced block whose language follows the file extension', () => {
    expect(renderBlock('x/a.ts', 'let a;\n')).toBe('```ts\nlet a;\n```\n');
    expect(renderBlock('x/b.sh', 'echo')).toBe('```sh\necho\n```\n');
  });

  test('a Markdown file is included as it is, to render as part of the page', () => {
    expect(renderBlock('docs/decisions.md', '| a | b |\n')).toBe('| a | b |\n');
  });

  test('a README whose blocks equal their files has no problems and is left as it is', async () => {
    const readme = readmeWith(renderBlock('snippets/a.ts', files['snippets/a.ts']!));
    const result = await syncSnippets(readme, readFromMap, ['snippets/a.ts', 'snippets/run.sh']);
    expect(result.problems).toEqual([]);
    expect(result.paths).toEqual(['snippets/a.ts', 'snippets/run.sh']);
    expect(result.text).toBe(readme);
  });

  test('a drifted block is reported, and the rewrite restores the file content', async () => {
    const drifted = readmeWith('```ts\nexport const a = 2;\n```\n');
    const result = await syncSnippets(drifted, readFromMap);
    expect(result.problems).toEqual([{ path: 'snippets/a.ts', problem: 'differs' }]);
    expect(result.text).toBe(readmeWith(renderBlock('snippets/a.ts', files['snippets/a.ts']!)));
    expect((await syncSnippets(result.text, readFromMap)).problems).toEqual([]);
  });

  test('a marker naming a missing file, and a required file without a block, are reported', async () => {
    const readme = '<!-- snippet: snippets/gone.ts -->\n```ts\n```\n<!-- /snippet -->\n';
    const result = await syncSnippets(readme, readFromMap, ['snippets/a.ts']);
    expect(result.problems).toEqual([
      { path: 'snippets/gone.ts', problem: 'missing-file' },
      { path: 'snippets/a.ts', problem: 'not-in-readme' },
    ]);
  });

  test('every consumer snippet exists, and markers cannot name files outside the project', async () => {
    const read = fileReader();
    for (const snippet of CONSUMER_SNIPPETS) expect(await read(snippet.path), snippet.path).toEqual(expect.any(String));
    expect(await read('../outside.txt')).toBeUndefined();
    expect(await read('test/package/snippets/contract-ci.sh')).toMatch(/npx contract-test/);
  });

  test('a required file may have its block in any of the pages, but must have one in some page', async () => {
    const pages: Record<string, string> = {
      'README.md': readmeWith(renderBlock('snippets/a.ts', files['snippets/a.ts']!)),
      'docs/more.md': '# More\n\n<!-- snippet: snippets/a.ts -->\n```ts\nstale\n```\n<!-- /snippet -->\n',
    };
    const read: ReadSnippet = async (path) => pages[path] ?? files[path];
    const result = await syncPages(['README.md', 'docs/more.md'], read, ['snippets/run.sh', 'snippets/a.ts', 'snippets/none.ts']);
    expect(result.problems).toEqual([
      { page: 'docs/more.md', path: 'snippets/a.ts', problem: 'differs' },
      { page: 'README.md, docs/more.md', path: 'snippets/none.ts', problem: 'not-in-readme' },
    ]);
    expect(result.pages.map((page) => page.paths)).toEqual([['snippets/a.ts', 'snippets/run.sh'], ['snippets/a.ts']]);
    expect(result.pages[1]!.text).toContain(renderBlock('snippets/a.ts', files['snippets/a.ts']!));
  });

  test("this project's README.md and docs pages match their files; the README tells how to copy the worker script", async () => {
    const pages = snippetPages();
    expect(pages).toEqual(expect.arrayContaining(['README.md', 'docs/use-in-tests.md', 'docs/server.md']));
    const result = await syncPages(
      pages,
      fileReader(),
      CONSUMER_SNIPPETS.map((snippet) => snippet.path),
    );
    expect(result.problems).toEqual([]);
    const readme = result.pages.find((page) => page.page === 'README.md')!;
    expect(readme.paths).toEqual(
      expect.arrayContaining(['test/browser/snippets/mocks/browser.ts', 'test/browser/snippets/vitest-setup-server.ts']),
    );
    expect(readme.original).toContain('npx msw init public/');
    // The decisions are linked, not included: docs/decisions.md is a page of its own.
    expect(readme.paths).not.toContain('docs/decisions.md');
    expect(readme.original).toContain('](docs/decisions.md)');
  });
});
