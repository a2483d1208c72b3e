// README.md stays short, and every relative link of README.md and docs/*.md reaches a file that
// exists and, for a Markdown page, an anchor the page has (a heading's GitHub slug or an id).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const README_MAX_LINES = 250;

/** The page without its fenced code blocks (their brackets and `#` lines are code, not Markdown). */
function withoutFences(markdown: string): string {
  let fenced = false;
  return markdown
    .split('\n')
    .map((line) => {
      if (/^\s*(```|~~~)/.test(line)) {
        fenced = !fenced;
        return '';
      }
      return fenced ? '' : line;
    })
    .join('\n');
}

/** GitHub's heading anchor: lower case, punctuation dropped, spaces to hyphens (as github-slugger). */
function slug(heading: string): string {
  const text = heading
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/<[^>]+>/g, '')
    .trim()
    .toLowerCase();
  return text.replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '').replace(/ /g, '-');
}

/** Every anchor a page offers: heading slugs (repeats get -1, -2, ...) and explicit ids. */
function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  const text = withoutFences(markdown);
  for (const [, heading] of text.matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const base = slug(heading!);
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count === 0 ? base : `${base}-${count}`);
  }
  for (const [, id] of text.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) anchors.add(id!);
  return anchors;
}

/** The relative link targets of a page (inline links and images), outside code fences and code spans. */
function relativeLinks(markdown: string): string[] {
  const text = withoutFences(markdown).replace(/`[^`\n]*`/g, '``');
  return [...text.matchAll(/\]\(\s*<?([^()\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)]
    .map((match) => match[1]!)
    .filter((target) => !/^[a-z][a-z0-9+.-]*:/i.test(target));
}

type ReadPage = (path: string) => string | undefined;

/** Broken links of one page (`page` is repo-relative): missing files, and anchors a Markdown target lacks. */
function brokenLinks(page: string, markdown: string, read: ReadPage, exists: (path: string) => boolean): string[] {
  const problems: string[] = [];
  for (const link of relativeLinks(markdown)) {
    const [pathPart, anchor] = link.split('#', 2) as [string, string | undefined];
    const target = pathPart === '' ? page : posix.normalize(posix.join(posix.dirname(page), decodeURIComponent(pathPart)));
    if (target.startsWith('../') || !exists(target)) {
      problems.push(`${page}: ${link}: no file ${target}`);
      continue;
    }
    if (anchor === undefined || anchor === '' || !target.endsWith('.md')) continue;
    const content = read(target);
    if (content === undefined || !anchorsOf(content).has(decodeURIComponent(anchor)))
      problems.push(`${page}: ${link}: ${target} has no anchor #${anchor}`);
  }
  return problems;
}

const readProjectFile: ReadPage = (path) => {
  const absolute = join(root, path);
  return existsSync(absolute) && statSync(absolute).isFile() ? readFileSync(absolute, 'utf8') : undefined;
};
const existsInProject = (path: string): boolean => existsSync(join(root, path));

function projectPages(): string[] {
  const docs = readdirSync(join(root, 'docs')).filter((name) => name.endsWith('.md'));
  return ['README.md', ...docs.map((name) => `docs/${name}`)];
}

describe('the link checker', () => {
  const pages: Record<string, string> = {
    'README.md': '# Title\n\n## The server: `tokens-mock`\n\n## Repeated\n\n## Repeated\n',
    'docs/a.md': '# A page\n\n<a id="s3-2"></a>\n\n```md\n## Not a heading\n```\n',
  };
  const read: ReadPage = (path) => pages[path];
  const exists = (path: string) => path in pages || path === 'openapi/tokens.yaml';

  test('makes GitHub anchors of headings, repeats numbered, and reads explicit ids', () => {
    expect(slug('The standalone server: `tokens-mock`')).toBe('the-standalone-server-tokens-mock');
    expect(slug('Control surface: `/__admin/`')).toBe('control-surface-__admin');
    expect([...anchorsOf(pages['README.md']!)]).toEqual(['title', 'the-server-tokens-mock', 'repeated', 'repeated-1']);
    expect(anchorsOf(pages['docs/a.md']!)).toEqual(new Set(['a-page', 's3-2']));
  });

  test('accepts links that reach a file and its anchor, from where the page lives', () => {
    const markdown =
      '[a](../README.md#repeated-1) [b](a.md#s3-2) [c](../openapi/tokens.yaml) [d](#a-page) [e](https://x.test/y.md#z) `[f](gone.md)`';
    expect(brokenLinks('docs/a.md', markdown, read, exists)).toEqual([]);
  });

  test('reports a missing file, a link written for another folder, and a missing anchor', () => {
    const markdown = '[a](gone.md) [b](docs/a.md) [c](../README.md#nowhere) [d](#not-here) [e](../../outside.md)';
    expect(brokenLinks('docs/a.md', markdown, read, exists)).toEqual([
      'docs/a.md: gone.md: no file docs/gone.md',
      'docs/a.md: docs/a.md: no file docs/docs/a.md',
      'docs/a.md: ../README.md#nowhere: README.md has no anchor #nowhere',
      'docs/a.md: #not-here: docs/a.md has no anchor #not-here',
      'docs/a.md: ../../outside.md: no file ../outside.md',
    ]);
  });
});

describe("this project's README.md and docs/*.md", () => {
  test(`README.md has at most ${README_MAX_LINES} lines`, () => {
    const lines = readProjectFile('README.md')!.split('\n').length;
    expect(lines, 'README.md is too long: move a section to a docs/ page and link it').toBeLessThanOrEqual(README_MAX_LINES);
  });

  test('every relative link reaches an existing file and anchor', () => {
    const pages = projectPages();
    expect(pages).toEqual(expect.arrayContaining(['README.md', 'docs/decisions.md', 'docs/faults.md']));
    const problems = pages.flatMap((page) => brokenLinks(page, readProjectFile(page)!, readProjectFile, existsInProject));
    expect(problems).toEqual([]);
  });

  test('the README links every docs page, so each moved section is reachable', () => {
    const linked = new Set(relativeLinks(readProjectFile('README.md')!).map((link) => link.split('#')[0]));
    const unlinked = projectPages().filter((page) => page !== 'README.md' && !linked.has(page));
    expect(unlinked).toEqual([]);
  });
});
