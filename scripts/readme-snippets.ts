// Keeps the code blocks of README.md and docs/*.md identical to the files the tests run, so the
// docs cannot drift. A block in a page is included from a file by markers around its fenced code:
//
//   <!-- snippet: test/package/snippets/tokens.test.ts -->
//   ```ts
//   …the file's exact content…
//   ```
//   <!-- /snippet -->
//
// Usage: node scripts/readme-snippets.ts [--check] [--readme <file>]
//   without --check: rewrites every marked block of the pages (README.md and docs/*.md, or only
//                    the file given with --readme) from its source;
//   --check: writes nothing; exits 1 when a block differs from its file, a marker names a missing
//            file, or a snippet of CONSUMER_SNIPPETS (the consumer test runs them all) has no block
//            in any of the pages.
import { existsSync, readdirSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { extname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const projectRoot = fileURLToPath(new URL('..', import.meta.url));

export interface ConsumerSnippet {
  /** Repo-relative path: the README marker names it. */
  path: string;
  /** File name the consumer test gives it in the scratch project (what the user would call it). */
  runAs: string;
  /** How the consumer test uses it. */
  use: 'vitest' | 'bash';
}

/**
 * The README's "Use in your tests" code that test/package/consumer.test.ts runs against the
 * installed tarball (the browser snippets are run by test/browser/ and type-checked there too).
 */
export const CONSUMER_SNIPPETS: readonly ConsumerSnippet[] = [
  { path: 'test/browser/snippets/vitest-setup-server.ts', runAs: 'tokens.test.ts', use: 'vitest' },
  { path: 'test/browser/snippets/own-accounts.ts', runAs: 'accounts.test.ts', use: 'vitest' },
  { path: 'test/package/snippets/contract-ci.sh', runAs: 'contract-ci.sh', use: 'bash' },
];

const SNIPPET_BLOCK = /<!-- snippet: (\S+) -->\n([\s\S]*?)<!-- \/snippet -->/g;

const FENCE_LANGUAGES: Record<string, string> = {
  '.ts': 'ts',
  '.mts': 'ts',
  '.js': 'js',
  '.mjs': 'js',
  '.sh': 'sh',
  '.json': 'json',
  '.html': 'html',
  '.yaml': 'yaml',
};

/**
 * The block a snippet file becomes in the README: code in a fence; Markdown (a generated table
 * such as docs/decisions.md) as it is, so it renders as part of the page.
 */
export function renderBlock(path: string, content: string): string {
  const body = content.endsWith('\n') ? content : `${content}\n`;
  if (extname(path) === '.md') return body;
  const language = FENCE_LANGUAGES[extname(path)] ?? '';
  return `\`\`\`${language}\n${body}\`\`\`\n`;
}

export interface SnippetProblem {
  path: string;
  problem: 'differs' | 'missing-file' | 'not-in-readme';
}

export type ReadSnippet = (path: string) => Promise<string | undefined>;

export interface SyncResult {
  /** The README with every marked block rendered from its file. */
  text: string;
  problems: SnippetProblem[];
  /** Paths named by markers, in README order. */
  paths: string[];
}

/** Renders a page's marked blocks from their files and lists every difference. */
export async function syncSnippets(readme: string, readSnippet: ReadSnippet, requiredPaths: readonly string[] = []): Promise<SyncResult> {
  const problems: SnippetProblem[] = [];
  const paths: string[] = [];
  const replacements: string[] = [];
  for (const match of readme.matchAll(SNIPPET_BLOCK)) {
    const path = match[1]!;
    paths.push(path);
    const content = await readSnippet(path);
    if (content === undefined) {
      problems.push({ path, problem: 'missing-file' });
      replacements.push(match[0]);
      continue;
    }
    const block = renderBlock(path, content);
    if (match[2] !== block) problems.push({ path, problem: 'differs' });
    replacements.push(`<!-- snippet: ${path} -->\n${block}<!-- /snippet -->`);
  }
  let index = 0;
  const text = readme.replace(SNIPPET_BLOCK, () => replacements[index++]!);
  for (const path of requiredPaths) if (!paths.includes(path)) problems.push({ path, problem: 'not-in-readme' });
  return { text, problems, paths };
}

export function fileReader(root: string = projectRoot): ReadSnippet {
  return async (path) => {
    const absolute = join(root, path);
    // Markers may only name files inside the project.
    if (relative(root, absolute).startsWith('..') || !existsSync(absolute)) return undefined;
    return readFile(absolute, 'utf8');
  };
}

/** The pages whose marked blocks are kept equal to their files: README.md and docs/*.md (repo-relative). */
export function snippetPages(root: string = projectRoot): string[] {
  const docs = readdirSync(join(root, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .sort();
  return ['README.md', ...docs.map((name) => `docs/${name}`)];
}

export interface PageResult extends SyncResult {
  /** Repo-relative path of the page. */
  page: string;
  /** The page as it is on disk. */
  original: string;
}

export interface PagesResult {
  pages: PageResult[];
  /** Problems of every page, each with the page it was found in; required files found in no page. */
  problems: (SnippetProblem & { page: string })[];
}

/**
 * Syncs the marked blocks of several pages; each of `requiredPaths` must have a block in one of
 * them (a block moved from the README to a docs page stays checked).
 */
export async function syncPages(
  pages: readonly string[],
  readSnippet: ReadSnippet,
  requiredPaths: readonly string[] = [],
): Promise<PagesResult> {
  const results: PageResult[] = [];
  const problems: PagesResult['problems'] = [];
  for (const page of pages) {
    const original = await readSnippet(page);
    if (original === undefined) {
      problems.push({ page, path: page, problem: 'missing-file' });
      continue;
    }
    const result = await syncSnippets(original, readSnippet);
    results.push({ ...result, page, original });
    problems.push(...result.problems.map((problem) => ({ ...problem, page })));
  }
  const covered = new Set(results.flatMap((result) => result.paths));
  for (const path of requiredPaths) if (!covered.has(path)) problems.push({ page: pages.join(', '), path, problem: 'not-in-readme' });
  return { pages: results, problems };
}

async function main(args: readonly string[]): Promise<number> {
  const check = args.includes('--check');
  const readmeIndex = args.indexOf('--readme');
  const pages = readmeIndex >= 0 && args[readmeIndex + 1] ? [relative(projectRoot, resolve(args[readmeIndex + 1]!))] : snippetPages();
  const result = await syncPages(
    pages,
    fileReader(),
    CONSUMER_SNIPPETS.map((snippet) => snippet.path),
  );
  const describe: Record<SnippetProblem['problem'], string> = {
    differs: 'block differs from the file',
    'missing-file': 'marker names a file that does not exist',
    'not-in-readme': 'the consumer test runs this file, but no page has a <!-- snippet: … --> block for it',
  };
  const blocks = result.pages.reduce((sum, page) => sum + page.paths.length, 0);
  if (check) {
    for (const { page, path, problem } of result.problems)
      process.stderr.write(`readme-snippets: ${page}: ${path}: ${describe[problem]}\n`);
    if (result.problems.length > 0) {
      process.stderr.write('readme-snippets: run `node scripts/readme-snippets.ts` to update the pages\n');
      return 1;
    }
    process.stdout.write(`readme-snippets: ${blocks} block(s) of ${pages.length} page(s) match their files\n`);
    return 0;
  }
  for (const page of result.pages) if (page.text !== page.original) await writeFile(join(projectRoot, page.page), page.text);
  const unfixable = result.problems.filter((item) => item.problem !== 'differs');
  for (const { page, path, problem } of unfixable) process.stderr.write(`readme-snippets: ${page}: ${path}: ${describe[problem]}\n`);
  process.stdout.write(`readme-snippets: ${blocks} block(s) of ${pages.length} page(s) written\n`);
  return unfixable.length > 0 ? 1 : 0;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.exitCode = await main(process.argv.slice(2));
}
