// The JavaScript of the published package: one rolldown bundle per public entry and bin.
//
// Why bundle: `@msw/data` imports the `es-toolkit` and `es-toolkit/compat` barrels, and Node
// loads every file behind a barrel (555 of the 730 modules a bare import of the sources loads).
// Rolldown keeps only the few es-toolkit functions in use, which took the cold start of
// `import` + `createTokensMock()` + first answer from ~2.2x a bare msw setup to ~1x
// (BENCHMARKS.md, "cold start").
//
// What is bundled is decided by package.json alone: `dependencies` and `peerDependencies` stay
// imports (the user installs them; msw must stay the user's own copy), Node builtins stay imports,
// and everything else a runtime module imports (a devDependency such as `@msw/data`) is inlined.
// Inlined packages are listed, with their licence texts, in dist/THIRD-PARTY-LICENSES.md.
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import { join, relative, sep } from 'node:path';
import { rolldown, type OutputChunk, type Plugin } from 'rolldown';

/** Public entries and bins: output name (under dist/, without .js) -> source file. */
const BUNDLE_ENTRIES: Readonly<Record<string, string>> = {
  'src/index': 'src/index.ts',
  'src/server/index': 'src/server/index.ts',
  'src/contract/index': 'src/contract/index.ts',
  'fixtures/index': 'fixtures/index.ts',
  'src/cli/tokens-mock': 'src/cli/tokens-mock.ts',
  'src/cli/contract-test': 'src/cli/contract-test.ts',
};

const THIRD_PARTY_NOTICES = 'THIRD-PARTY-LICENSES.md';

interface Manifest {
  name: string;
  version: string;
  license?: string;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

export interface BundleResult {
  /** Files written, relative to the output folder. */
  files: string[];
  /** Inlined third-party packages, "name@version". */
  inlined: string[];
}

async function readManifest(dir: string): Promise<Manifest> {
  return JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as Manifest;
}

/** The package a bare specifier names: `@scope/name/sub` -> `@scope/name`, `name/sub` -> `name`. */
function packageNameOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

function isNodeBuiltin(specifier: string): boolean {
  return specifier.startsWith('node:') || builtinModules.includes(specifier);
}

/** The package folder of a module id inside node_modules (the innermost one), else undefined. */
function packageDirOf(moduleId: string): string | undefined {
  const marker = `${sep}node_modules${sep}`;
  const at = moduleId.lastIndexOf(marker);
  if (at < 0) return undefined;
  const rest = moduleId.slice(at + marker.length).split(sep);
  const nameParts = rest[0]!.startsWith('@') ? 2 : 1;
  return moduleId.slice(0, at + marker.length) + rest.slice(0, nameParts).join(sep);
}

/** rettime's event class, as its build (rettime 0.11) declares it. */
const RETTIME_EVENT_CLASS = 'var TypedEvent = class extends MessageEvent {';

/**
 * @msw/data's events come from rettime, whose `TypedEvent` extends `MessageEvent`. In Node,
 * `MessageEvent` is undici's: declaring the class at import time loads undici (~50 ms of the
 * server's cold start, which otherwise never loads it; BENCHMARKS.md), and every update and delete
 * of a record then builds one. The bundled copy extends a plain `Event` carrying `data` instead:
 * all that rettime and @msw/data read of it (`data`, `type`, preventDefault and the propagation
 * methods, which rettime tracks itself). The build fails if rettime's code no longer matches.
 */
function rettimeEventBase(): Plugin {
  return {
    name: 'rettime-event-base',
    transform: {
      filter: { id: /[\\/]node_modules[\\/]rettime[\\/]build[\\/]index\.mjs$/ },
      handler(code, id) {
        if (!code.includes(RETTIME_EVENT_CLASS))
          throw new Error(`${id}: "${RETTIME_EVENT_CLASS}" not found; review the rettime-event-base plugin`);
        const base = [
          'var TypedEventBase = class extends Event {',
          '\tconstructor(type, init) {',
          '\t\tsuper(type, init);',
          '\t\tthis.data = init?.data;',
          '\t}',
          '};',
        ].join('\n');
        return `${code.replace(RETTIME_EVENT_CLASS, `${base}\nvar TypedEvent = class extends TypedEventBase {`)}`;
      },
    },
  };
}

export async function bundle(projectRoot: string, outDir: string): Promise<BundleResult> {
  const manifest = await readManifest(projectRoot);
  const keptAsImports = new Set([...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.peerDependencies ?? {})]);
  const input = Object.fromEntries(Object.entries(BUNDLE_ENTRIES).map(([name, source]) => [name, join(projectRoot, source)]));
  const build = await rolldown({
    input,
    cwd: projectRoot,
    // Neutral: the root entry also runs in browsers; node: imports stay imports (external below).
    platform: 'neutral',
    resolve: { mainFields: ['module', 'main'], conditionNames: ['import', 'module', 'default'] },
    external: (id) => isNodeBuiltin(id) || (!id.startsWith('.') && !id.startsWith('/') && keptAsImports.has(packageNameOf(id))),
    treeshake: true,
    plugins: [rettimeEventBase()],
  });
  try {
    const { output } = await build.write({
      dir: outDir,
      format: 'esm',
      entryFileNames: '[name].js',
      chunkFileNames: 'chunks/[name]-[hash].js',
      // Readable output: users read stack traces into this package. Legal and annotation comments
      // stay; JSDoc goes (the .d.ts files carry ours, and bundled packages' examples hold `import`
      // lines that tools scanning the output would take for real imports).
      minify: false,
      comments: { legal: true, annotation: true, jsdoc: false },
    });
    const chunks = output.filter((item): item is OutputChunk => item.type === 'chunk');
    const packageDirs = new Set(
      chunks
        .flatMap((chunk) => chunk.moduleIds)
        .map(packageDirOf)
        .filter((dir) => dir !== undefined),
    );
    const inlined = await writeNotices(outDir, [...packageDirs].sort());
    return { files: output.map((item) => item.fileName).sort(), inlined };
  } finally {
    await build.close();
  }
}

const LICENSE_FILE = /^(?:licen[cs]e|copying)(?:\.(?:md|txt))?$/i;

/** Writes dist/THIRD-PARTY-LICENSES.md: name, version, licence and licence text of each inlined package. */
async function writeNotices(outDir: string, packageDirs: string[]): Promise<string[]> {
  const sections: string[] = [];
  const inlined: string[] = [];
  for (const dir of packageDirs) {
    const manifest = await readManifest(dir);
    const licenseFile = (await readdir(dir)).find((name) => LICENSE_FILE.test(name));
    if (licenseFile === undefined) throw new Error(`bundled package ${manifest.name} ships no licence file; add its notice by hand`);
    const text = (await readFile(join(dir, licenseFile), 'utf8')).trim();
    inlined.push(`${manifest.name}@${manifest.version}`);
    sections.push(`## ${manifest.name}@${manifest.version} (${manifest.license ?? 'see text'})\n\n\`\`\`\n${text}\n\`\`\``);
  }
  const header = [
    '# Third-party code in this package',
    '',
    'The files under dist/ inline the following packages (tree-shaken by the build, see',
    'scripts/lib/bundle.ts in the repository). Their licences:',
  ].join('\n');
  await writeFile(join(outDir, THIRD_PARTY_NOTICES), `${header}\n\n${sections.join('\n\n')}\n`);
  return inlined;
}

/** Bare imports left in the emitted JS that are neither builtins nor dependencies/peers (must be none). */
export async function findUndeclaredImports(projectRoot: string, files: string[], outDir: string): Promise<string[]> {
  const manifest = await readManifest(projectRoot);
  const declared = new Set([...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.peerDependencies ?? {})]);
  const offenders: string[] = [];
  for (const file of files.filter((name) => name.endsWith('.js'))) {
    const text = await readFile(join(outDir, file), 'utf8');
    for (const match of text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)["']([^"'.][^"']*)["']/g)) {
      const specifier = match[1]!;
      if (!isNodeBuiltin(specifier) && !declared.has(packageNameOf(specifier)))
        offenders.push(`${relative(projectRoot, join(outDir, file))}: ${specifier}`);
    }
  }
  return offenders;
}
