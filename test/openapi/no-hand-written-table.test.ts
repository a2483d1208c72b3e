// What the document states is written once, in the document: no TypeScript source of the mock
// spells a message of the error table or a route path by hand. They read src/generated/api-tables.ts
// instead, so adding a route or an error row takes one edit to openapi/tokens.yaml.
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../scripts/build-openapi.ts';
import { API_ERRORS, ROUTES } from '../../src/generated/api-tables.ts';

/** The folders of the mock's TypeScript sources (src/generated is the generated copy). */
const scannedFolders = ['src', 'handlers', 'fixtures'];
// The contract suite is scanned too: it builds every request path with operationPath() from the table.
const exempt = new Set(['src/generated']);

async function sourceFiles(folder: string): Promise<string[]> {
  const files: string[] = [];
  for (const entry of await readdir(join(projectRoot, folder), { withFileTypes: true })) {
    const path = `${folder}/${entry.name}`;
    if (exempt.has(path)) continue;
    if (entry.isDirectory()) files.push(...(await sourceFiles(path)));
    else if (entry.name.endsWith('.ts')) files.push(path);
  }
  return files;
}

interface LiteralText {
  text: string;
  line: number;
  /** A template part right after a `${...}` (its text continues whatever was substituted). */
  afterSubstitution: boolean;
}

/** The text of every string literal and every literal part of a template (comments are not literals). */
function literalTexts(fileName: string, source: string): LiteralText[] {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true);
  const texts: LiteralText[] = [];
  const add = (node: ts.Node, text: string, afterSubstitution = false): void => {
    texts.push({ text, line: file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1, afterSubstitution });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) add(node, node.text);
    else if (ts.isTemplateExpression(node)) {
      add(node.head, node.head.text);
      for (const span of node.templateSpans) add(span.literal, span.literal.text, true);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return texts;
}

/** Each message of the error table (and the reference's spelling where the document differs). */
const messages: readonly string[] = [
  ...new Set(
    Object.values(API_ERRORS).flatMap((row) => [
      ...('messageTemplate' in row ? [] : [row.message]),
      ...('referenceMessage' in row ? [row.referenceMessage] : []),
    ]),
  ),
];
/** A message template by its fixed start (before its first `<name>`). */
const templateStarts = Object.values(API_ERRORS).flatMap((row) =>
  'messageTemplate' in row ? [row.messageTemplate.slice(0, row.messageTemplate.indexOf('<'))] : [],
);

/** The fixed start of each route (`/tokens/v2`, `/scopes/v1`). */
const routePrefixes = [...new Set(ROUTES.map((route) => route.path.split('/:')[0]!))];
/**
 * A route path, not prose about one: the literal begins with a route's start (followed by the end,
 * `/` or `?`), or continues a substitution with it (`${base}/tokens/v2 …`), or glues it to a word
 * or variable (`"$BASE/tokens/v2/$USER"` in a script). Prose names a route after a space or `(`.
 */
const isRoutePath = ({ text, afterSubstitution }: LiteralText): boolean =>
  routePrefixes.some((prefix) => {
    if (text.startsWith(prefix) && (afterSubstitution || ['', '/', '?'].includes(text.charAt(prefix.length)))) return true;
    for (let at = text.indexOf(prefix, 1); at !== -1; at = text.indexOf(prefix, at + 1))
      if (/[\w$}"'=]/.test(text.charAt(at - 1))) return true;
    return false;
  });

/** `file:line "literal"` for every literal that spells a message of the error table or a route path. */
function handWrittenCopies(fileName: string, source: string): string[] {
  return literalTexts(fileName, source)
    .filter(
      (literal) =>
        messages.includes(literal.text) || templateStarts.some((start) => literal.text.startsWith(start)) || isRoutePath(literal),
    )
    .map(({ text, line }) => `${fileName}:${line} ${JSON.stringify(text)}`);
}

describe('the document is the only copy of the error table and the routes', () => {
  it('finds the copies it looks for (the scan can fail)', () => {
    // Source text of a sample file: the template literals below are its content, not ours.
    const source = [
      "const a = { status: 404, message: 'No such user' };",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: sample source text containing a template literal
      'const b = `Invalid request body: unknown property "${name}"`;',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: sample source text containing a template literal
      'const c = `${origin}/tokens/v2/${encodeURIComponent(user)}`;',
      "const d = '/scopes/v1/:username';",
      "const e = 'GET /tokens/v2 answers 422'; // prose about a route is not a route",
      '// a comment may say Not Found or /tokens/v2',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: sample source text containing a template literal
      'const f = `GET ${baseUrl}/tokens/v2 answered ${status}`;',
      'const g = `curl -X DELETE "$BASE/tokens/v2/$USER_NAME/$id"`;',
      "const h = 'GET /scopes/v1/{username} lists scopes (see GET /tokens/v2)';",
    ].join('\n');
    expect(handWrittenCopies('sample.ts', source)).toEqual([
      'sample.ts:1 "No such user"',
      'sample.ts:2 "Invalid request body: unknown property \\""',
      'sample.ts:3 "/tokens/v2/"',
      'sample.ts:4 "/scopes/v1/:username"',
      'sample.ts:7 "/tokens/v2 answered "',
      'sample.ts:8 "curl -X DELETE \\"$BASE/tokens/v2/$USER_NAME/$id\\""',
    ]);
  });

  it('looks for every message of the error table and every route', () => {
    expect(messages).toEqual(
      expect.arrayContaining(['Unauthorized', 'No such user', 'Not Found', 'Not found', 'scopes are invalid', 'Method Not Allowed']),
    );
    expect(templateStarts).toEqual(['Invalid request body: unknown property "']);
    expect(routePrefixes.sort()).toEqual(['/scopes/v1', '/tokens/v2']);
  });

  it('no source of the mock outside src/generated spells one', async () => {
    const files = (await Promise.all(scannedFolders.map(sourceFiles))).flat();
    expect(files.length).toBeGreaterThan(50);
    const copies: string[] = [];
    for (const file of files)
      copies.push(...handWrittenCopies(relative(projectRoot, join(projectRoot, file)), await readFile(join(projectRoot, file), 'utf8')));
    expect(copies).toEqual([]);
  });
});
