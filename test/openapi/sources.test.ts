// The document, the code and the docs cite docs/sources.md by section (`docs/sources.md §3.2`, or in
// Markdown a link to `sources.md#s3-2`). Every such citation must name a section the page has, and
// nothing may cite the project's unpublished research notes, which users never have.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, posix, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SOURCES_PAGE = 'docs/sources.md';

/** The anchors docs/sources.md declares (`<a id="s3-2"></a>`). */
function anchorsOf(page: string): Set<string> {
  return new Set([...page.matchAll(/<a id="([a-z0-9-]+)"><\/a>/g)].map((match) => match[1]!));
}

const SECTION = String.raw`\d+(?:\.\d+)?`;
const plainCitation = new RegExp(String.raw`docs/sources\.md §(${SECTION})((?:(?: \([^()\n]*\))?(?:, | and )§${SECTION})*)`, 'g');
const markdownLink = /\]\(([^()\s]*sources\.md)(?:#([^()\s]*))?\)/g;

/**
 * Problems with the citations of one file: unknown sections, and Markdown links that do not reach
 * docs/sources.md from `linkBase` (the folder the file's links are read from).
 */
function citationProblems(path: string, text: string, anchors: Set<string>, linkBase: string): string[] {
  const problems: string[] = [];
  for (const match of text.matchAll(plainCitation)) {
    const sections = [match[1]!, ...[...match[2]!.matchAll(new RegExp(`§(${SECTION})`, 'g'))].map((tail) => tail[1]!)];
    for (const section of sections) {
      if (!anchors.has(`s${section.replaceAll('.', '-')}`)) problems.push(`${path}: §${section} is not a section of ${SOURCES_PAGE}`);
    }
  }
  if (path.endsWith('.md')) {
    for (const [link, target, anchor] of text.matchAll(markdownLink)) {
      const reached = posix.normalize(posix.join(linkBase, target!));
      if (reached !== SOURCES_PAGE) problems.push(`${path}: ${link} leads to ${reached}`);
      else if (anchor !== undefined && !anchors.has(anchor)) problems.push(`${path}: ${link} names no anchor of ${SOURCES_PAGE}`);
    }
  }
  return problems;
}

/** The project's own text files: the document, code, tests, scripts, benchmarks and Markdown docs. */
function projectFiles(): string[] {
  const dirs = ['openapi', 'src', 'handlers', 'fixtures', 'scripts', 'test', 'bench'];
  const files = dirs.flatMap((dir) =>
    readdirSync(join(root, dir), { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile() && /\.(?:[cm]?[jt]s|ya?ml|json|md|sh)$/.test(entry.name))
      .map((entry) => relative(root, join(entry.parentPath, entry.name)).split('\\').join('/')),
  );
  const docs = readdirSync(join(root, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`);
  return [...files, ...docs, 'README.md', 'CHANGELOG.md', 'BENCHMARKS.md'].filter((path) => !path.includes('node_modules/'));
}

const read = (path: string) => readFileSync(join(root, path), 'utf8');
const anchors = anchorsOf(read(SOURCES_PAGE));
const readme = read('README.md');
/** Markdown files README.md includes verbatim: their links are written for the project root. */
const includedInReadme = new Set([...readme.matchAll(/<!-- snippet: (\S+\.md) -->/g)].map((match) => match[1]!));

describe('citations of docs/sources.md', () => {
  it('has a numbered anchor for every section, and the gaps', () => {
    expect(anchors).toContain('s3-2');
    expect(anchors).toContain('s10-15');
    expect(anchors).toContain('gaps');
    expect(anchors.size).toBeGreaterThan(40);
  });

  it('all name an existing section, and every Markdown link reaches the page', () => {
    const problems = projectFiles().flatMap((path) =>
      citationProblems(path, read(path), anchors, includedInReadme.has(path) ? '.' : posix.dirname(path)),
    );
    expect(problems).toEqual([]);
  });

  it('are counted where the document, the code and the README cite the page (the scan reads them)', () => {
    const cited = (path: string) => [...read(path).matchAll(plainCitation)].length + [...read(path).matchAll(markdownLink)].length;
    expect(cited('openapi/tokens.yaml')).toBeGreaterThan(30);
    expect(cited('docs/api.md')).toBeGreaterThan(30);
    expect(cited('docs/decisions.md')).toBeGreaterThan(10);
  });

  it('reports an unknown section and a link that misses the page (the check can fail)', () => {
    // Built from parts, so that the scan of the project does not read these examples as citations.
    expect(citationProblems('src/x.ts', `// ${SOURCES_PAGE} §3.2 (observed) and §99.1`, anchors, 'src')).toEqual([
      `src/x.ts: §99.1 is not a section of ${SOURCES_PAGE}`,
    ]);
    const page = 'sources.md';
    expect(citationProblems('docs/x.md', `[a](docs/${page}#s2) [b](${page}#s42) [c](${page}#s2)`, anchors, 'docs')).toEqual([
      'docs/x.md: ](docs/sources.md#s2) leads to docs/docs/sources.md',
      `docs/x.md: ](sources.md#s42) names no anchor of ${SOURCES_PAGE}`,
    ]);
  });
});

describe('the unpublished research notes', () => {
  // Spelled in parts so that this file does not match the search it performs.
  const notesName = ['FAC', 'TS'].join('');
  const cite = new RegExp(String.raw`\b${notesName}\b(?:\s*§|\.md|\s*\(gaps)|\.\./shared/`);

  it('are cited nowhere: users only have docs/sources.md', () => {
    const citing = projectFiles().filter((path) => cite.test(read(path)));
    expect(citing).toEqual([]);
  });

  it('would be found (the check can fail)', () => {
    expect(cite.test(`see ${notesName} §3.2`)).toBe(true);
    expect(cite.test('see docs/sources.md §3.2')).toBe(false);
  });
});
