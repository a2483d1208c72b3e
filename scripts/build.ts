// Builds the published package into dist/ (run by `npm run build` and by `prepack`):
//   1. tsc -p tsconfig.build.json: declarations only, for src/, handlers/, fixtures/ (no tests, no scripts);
//   1b. rolldown: the JavaScript, one bundle per entry and bin with shared chunks, bundled
//      devDependencies (@msw/data) tree-shaken and their licences in dist/THIRD-PARTY-LICENSES.md
//      (scripts/lib/bundle.ts says why);
//   2. dist/openapi.json from the generated document module, so the build needs neither the network
//      nor a YAML parser (TypeScript types a JSON import itself; a hand-written declaration with
//      `export default` is flagged by attw as a false default export under bundler resolution);
//   3. the bins made executable;
//   4. relative `.ts` specifiers in the declarations rewritten to `.js`: tsc rewrites them in JS only
//      (microsoft/TypeScript#61037), and tools other than tsc (IDEs, attw) expect `.js`;
//   4b. a `.d.cts` twin of every declaration for the `require` condition (writeCommonJsDeclarations);
//   5. sanity checks: no emitted import still names a `.ts` file, and every bare import left in
//      the JavaScript is a Node builtin, a dependency or a peer dependency.
// Usage: node scripts/build.ts
import { execFileSync } from 'node:child_process';
import { chmod, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundle, findUndeclaredImports } from './lib/bundle.ts';

const projectRoot = fileURLToPath(new URL('..', import.meta.url));
const distDir = join(projectRoot, 'dist');

/** The bins of package.json, relative to the project root (kept in step by test/package). */
export const BIN_FILES = ['dist/src/cli/tokens-mock.js', 'dist/src/cli/contract-test.js'] as const;

function runTsc(): void {
  const tsc = join(projectRoot, 'node_modules', 'typescript', 'bin', 'tsc');
  execFileSync(process.execPath, [tsc, '-p', join(projectRoot, 'tsconfig.build.json')], { stdio: 'inherit' });
}

async function writeOpenapiJson(): Promise<void> {
  // Node 24 strips the types of the generated module; the constant is plain JSON data.
  const generated = (await import('../src/generated/openapi.ts')) as { openapiDocument: unknown };
  await writeFile(join(distDir, 'openapi.json'), `${JSON.stringify(generated.openapiDocument, null, 2)}\n`);
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}

/** Relative specifiers (`./x.ts`, `../y.ts`) of static imports/exports and `import('...')` types. */
const RELATIVE_TS_SPECIFIER = /((?:from|import)\s*\(?\s*["'])(\.{1,2}\/[^"']*?)\.ts(["'])/g;

async function rewriteDeclarationSpecifiers(): Promise<void> {
  for (const file of await listFiles(distDir)) {
    if (!file.endsWith('.d.ts')) continue;
    const text = await readFile(file, 'utf8');
    const rewritten = text.replace(RELATIVE_TS_SPECIFIER, (_match, head: string, path: string, quote: string) =>
      path.endsWith('.d') ? `${head}${path}.ts${quote}` : `${head}${path}.js${quote}`,
    );
    if (rewritten !== text) await writeFile(file, rewritten);
  }
}

/**
 * A `.d.cts` twin of every declaration, which the `require` condition of each entry points at. A
 * CommonJS project resolves `msw` through msw 2's CommonJS types; if our declarations (ESM, as the
 * package is) resolved it through the ESM ones, the two copies of msw's classes would not be
 * assignable to each other (TS2345: 'HttpHandler' is not assignable to 'AnyHandler' ... 'resolver'
 * is protected). In the twins `msw` resolves as the consumer's own does. The JavaScript is the same
 * ESM for both: CommonJS code on Node 22.12+ require()s it.
 */
async function writeCommonJsDeclarations(): Promise<void> {
  for (const file of await listFiles(distDir)) {
    if (!file.endsWith('.d.ts')) continue;
    const text = await readFile(file, 'utf8');
    const twin = text.replace(/((?:from|import)\s*\(?\s*["'])(\.{1,2}\/[^"']*?)\.js(["'])/g, '$1$2.cjs$3');
    await writeFile(file.replace(/\.d\.ts$/, '.d.cts'), twin);
  }
}

/** Emitted files must import `.js`: a leftover `.ts` specifier would fail in users' Node. */
async function findTsSpecifiers(): Promise<string[]> {
  const offenders: string[] = [];
  for (const file of await listFiles(distDir)) {
    if (!file.endsWith('.js') && !file.endsWith('.d.ts')) continue;
    const text = await readFile(file, 'utf8');
    if (/(?:from\s*|import\s*\(\s*|import\s*)["'][^"']+\.ts["']/.test(text)) offenders.push(relative(projectRoot, file));
  }
  return offenders;
}

export async function build(): Promise<void> {
  await rm(distDir, { recursive: true, force: true });
  runTsc();
  const { files } = await bundle(projectRoot, distDir);
  await rewriteDeclarationSpecifiers();
  await writeCommonJsDeclarations();
  await writeOpenapiJson();
  for (const bin of BIN_FILES) await chmod(join(projectRoot, bin), 0o755);
  const offenders = await findTsSpecifiers();
  if (offenders.length > 0) throw new Error(`emitted files still import .ts specifiers: ${offenders.join(', ')}`);
  const undeclared = await findUndeclaredImports(projectRoot, files, distDir);
  if (undeclared.length > 0) throw new Error(`emitted files import packages that are not dependencies: ${undeclared.join(', ')}`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    await build();
    process.stdout.write(`built ${relative(process.cwd(), distDir) || distDir}\n`);
  } catch (error) {
    process.stderr.write(`build failed: ${(error as Error).message}\n`);
    process.exitCode = 1;
  }
}
