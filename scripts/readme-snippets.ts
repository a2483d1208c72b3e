// Keeps README.md's code blocks identical to the files the tests run, so the README cannot drift.
// A block in README.md is included from a file by markers around its fenced code:
//
//   <!-- snippet: test/package/snippets/tokens.test.ts -->
//   ```ts
//   …the file's exact content…
//   ```
//   <!-- /snippet -->
//
// Usage: node scripts/readme-snippets.ts [--check] [--readme <file>]
//   without --check: rewrites every marked block of the file (default README.md) from its source;
//   --check: writes nothing; exits 1 when a block differs from its file, a marker names a missing
//            file, or a snippet of CONSUMER_SNIPPETS (the consumer test runs them all) has no block.
import { existsSync } from 'node:fs';
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

/** Renders the README's marked blocks from their files and lists every difference. */
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

async function main(args: readonly string[]): Promise<number> {
  const check = args.includes('--check');
  const readmeIndex = args.indexOf('--readme');
  const readmePath = readmeIndex >= 0 && args[readmeIndex + 1] ? resolve(args[readmeIndex + 1]!) : join(projectRoot, 'README.md');
  const readme = await readFile(readmePath, 'utf8');
  const result = await syncSnippets(readme, fileReader(), CONSUMER_SNIPPETS.map((snippet) => snippet.path));
  const describe: Record<SnippetProblem['problem'], string> = {
    differs: 'README block differs from the file',
    'missing-file': 'marker names a file that does not exist',
    'not-in-readme': `the consumer test runs this file, but ${relative(projectRoot, readmePath)} has no <!-- snippet: … --> block for it`,
  };
  if (check) {
    for (const { path, problem } of result.problems) process.stderr.write(`readme-snippets: ${path}: ${describe[problem]}\n`);
    if (result.problems.length > 0) {
      process.stderr.write(`readme-snippets: run \`node scripts/readme-snippets.ts\` to update ${relative(projectRoot, readmePath)}\n`);
      return 1;
    }
    process.stdout.write(`readme-snippets: ${result.paths.length} block(s) of ${relative(projectRoot, readmePath)} match their files\n`);
    return 0;
  }
  if (result.text !== readme) await writeFile(readmePath, result.text);
  const unfixable = result.problems.filter((item) => item.problem !== 'differs');
  for (const { path, problem } of unfixable) process.stderr.write(`readme-snippets: ${path}: ${describe[problem]}\n`);
  process.stdout.write(`readme-snippets: ${result.paths.length} block(s) of ${relative(projectRoot, readmePath)} written\n`);
  return unfixable.length > 0 ? 1 : 0;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.exitCode = await main(process.argv.slice(2));
}
