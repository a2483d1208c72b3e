// The package as its users get it: built, packed by npm, installed from the tarball into fresh
// projects with msw 3 and with msw 2, and used there through every public entry and both bins.
import { existsSync } from 'node:fs';
import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CONSUMER_SNIPPETS } from '../../scripts/readme-snippets.ts';
import { isRunning } from '../../src/server/state-lock.ts';
import {
  CONSUMER_DIR,
  PROJECT_ROOT,
  PROJECT_TSC,
  buildAndPack,
  copyInto,
  createScratchProject,
  describeRun,
  killGroup,
  readJson,
  removeDir,
  run,
  runNode,
  runNpm,
  startInstalledMock,
  type PackedTarball,
} from './support.ts';

const PACKAGE = 'mapbox-tokens-mock';
const OPERATIONS = ['createToken', 'deleteToken', 'listScopes', 'listTokens', 'retrieveToken', 'updateToken'];

interface Manifest {
  version: string;
  exports: Record<string, string | Record<'import' | 'require', { types: string; default: string }>>;
  bin: Record<string, string>;
  dependencies: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies: Record<string, string>;
}

/** The README's browser module (run in Chromium by test/browser/): type-checked here against the tarball. */
const BROWSER_SNIPPET = { path: 'test/browser/snippets/mocks/browser.ts', runAs: 'mocks/browser.ts' } as const;
const VITEST_SNIPPETS = CONSUMER_SNIPPETS.filter((snippet) => snippet.use === 'vitest');
const BASH_SNIPPETS = CONSUMER_SNIPPETS.filter((snippet) => snippet.use === 'bash');

let tarball: PackedTarball;
let msw3Project: string;
let msw2Project: string;

beforeAll(async () => {
  tarball = await buildAndPack();
  // Two users: one on msw 3 (with vitest, to run the README's test files), one on msw 2.
  [msw3Project, msw2Project] = await Promise.all([
    createScratchProject('msw3', tarball.path, ['msw@3.0.5', 'vitest@5.1.1', '@types/node@24.19.2']),
    createScratchProject('msw2', tarball.path, ['msw@2.15.0', '@types/node@24.19.2']),
  ]);
  const consumerFiles = ['drive-operations.mjs', 'entries.ts', 'require-entries.cjs', 'serve-without-undici.mjs'].map((file) =>
    join(CONSUMER_DIR, file),
  );
  await copyInto(msw2Project, consumerFiles);
  await copyInto(msw3Project, consumerFiles);
  // The README's snippets, under the names a user would give them (the repo's own vitest must not
  // pick them up as tests, so in the repository they are not named *.test.ts).
  for (const snippet of [...CONSUMER_SNIPPETS, BROWSER_SNIPPET]) {
    await mkdir(dirname(join(msw3Project, snippet.runAs)), { recursive: true });
    await cp(join(PROJECT_ROOT, snippet.path), join(msw3Project, snippet.runAs));
  }
}, 480_000);

afterAll(async () => {
  await Promise.all([removeDir(msw3Project), removeDir(msw2Project), removeDir(tarball?.dir)]);
});

function installedPackageDir(project: string): string {
  return join(project, 'node_modules', PACKAGE);
}

/** Relative and bare specifiers of every static or dynamic import in one emitted JS file. */
function importSpecifiers(source: string): string[] {
  const pattern =
    /(?:^|[\s;])(?:import|export)\s[^'"]*?from\s*["']([^"']+)["']|(?:^|[\s;])import\s*["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/gm;
  return [...source.matchAll(pattern)].map((match) => (match[1] ?? match[2] ?? match[3])!);
}

/** Walks an entry's import graph inside the package; returns the bare (non-relative) specifiers. */
async function externalImports(entryFile: string): Promise<Set<string>> {
  const seen = new Set<string>();
  const external = new Set<string>();
  const queue = [entryFile];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const specifier of importSpecifiers(await readFile(file, 'utf8'))) {
      if (specifier.startsWith('.')) queue.push(resolve(dirname(file), specifier));
      else external.add(specifier);
    }
  }
  expect(seen.size).toBeGreaterThan(1);
  return external;
}

describe('the packed tarball', () => {
  test('ships the built entries, the document, the docs and the notices, and nothing of the development tree', () => {
    const files = tarball.files;
    for (const required of [
      'package.json',
      'README.md',
      'LICENSE',
      'CHANGELOG.md',
      'dist/src/index.js',
      'dist/src/index.d.ts',
      'dist/openapi.json',
      'openapi/tokens.yaml',
      'docs/index.html',
      'docs/api.md',
      'docs/sources.md',
      'dist/fixtures/index.js',
      'dist/src/cli/tokens-mock.js',
      'dist/src/cli/contract-test.js',
      'dist/THIRD-PARTY-LICENSES.md',
    ]) {
      expect(files, required).toContain(required);
    }
    const allowed =
      /^(?:package\.json|README\.md|LICENSE|CHANGELOG\.md|openapi\/tokens\.yaml|docs\/(?:index\.html|api\.md|sources\.md)|dist\/.+\.(?:js|d\.c?ts|json)|dist\/THIRD-PARTY-LICENSES\.md)$/;
    expect(files.filter((file) => !allowed.test(file))).toEqual([]);
    expect(files.filter((file) => /\.test\.|(?:^|\/)(?:test|bench|scripts)\//.test(file))).toEqual([]);
  });

  test('passes publint (strict) on the tarball', async () => {
    const result = await runNode([join(PROJECT_ROOT, 'node_modules', 'publint', 'src', 'cli.js'), 'run', tarball.path, '--strict'], {
      cwd: tarball.dir,
    });
    expect(result.code, describeRun(result)).toBe(0);
    expect(result.stdout).toMatch(/All good/);
  }, 60_000);

  test('passes attw --profile esm-only on the tarball (.attw.json: the YAML is data, not a module)', async () => {
    const attw = join(PROJECT_ROOT, 'node_modules', '@arethetypeswrong', 'cli', 'dist', 'index.js');
    const config = await readJson<{ profile: string; ignoreRules: string[] }>(join(PROJECT_ROOT, '.attw.json'));
    expect(config.profile).toBe('esm-only');
    // false-cjs on purpose: each entry's `require` types are .d.cts twins of the ESM declarations, so a
    // CommonJS project resolves msw's types as its own import does (test/package/install-and-types.test.ts).
    // attw warns that default-import interop differs between the two; the package has no default export.
    expect(config.ignoreRules).toEqual(['false-cjs']);
    for (const entry of ['index.d.ts', 'server/index.d.ts', 'contract/index.d.ts']) {
      expect(await readFile(join(installedPackageDir(msw2Project), 'dist', 'src', entry), 'utf8'), entry).not.toMatch(
        /export default|export \{[^}]*\bdefault\b/,
      );
    }
    const args = [attw, tarball.path, '--config-path', join(PROJECT_ROOT, '.attw.json'), '--format', 'json'];
    const result = await runNode(args, { cwd: tarball.dir });
    expect(result.code, describeRun(result)).toBe(0);
    const report = JSON.parse(result.stdout) as { analysis: { entrypoints: Record<string, unknown> }; problems?: unknown[] };
    expect(Object.keys(report.analysis.entrypoints).sort()).toEqual([
      '.',
      './contract',
      './fixtures',
      './openapi.json',
      './package.json',
      './server',
    ]);
  }, 60_000);

  test('has a declared entry for every public module, and each target is in the tarball', async () => {
    const manifest = await readJson<Manifest>(join(installedPackageDir(msw2Project), 'package.json'));
    expect(Object.keys(manifest.exports).sort()).toEqual([
      '.',
      './contract',
      './fixtures',
      './openapi.json',
      './openapi.yaml',
      './package.json',
      './server',
    ]);
    const targets = Object.values(manifest.exports).flatMap((target) =>
      typeof target === 'string' ? [target] : Object.values(target).flatMap((condition) => [condition.types, condition.default]),
    );
    // ESM and CommonJS declarations (.d.ts and .d.cts twins) describe the same ESM JavaScript.
    for (const target of Object.values(manifest.exports)) {
      if (typeof target === 'string') continue;
      expect(target.require.default).toBe(target.import.default);
      expect(target.require.types).toBe(target.import.types.replace(/\.d\.ts$/, '.d.cts'));
    }
    for (const target of [...targets, ...Object.values(manifest.bin)]) expect(tarball.files, target).toContain(target.replace(/^\.\//, ''));
    expect(manifest.peerDependencies).toEqual({ msw: '^2.12.10 || ^3.0.0' });
    expect(manifest.bin).toEqual({ 'tokens-mock': 'dist/src/cli/tokens-mock.js', 'contract-test': 'dist/src/cli/contract-test.js' });
  });

  test('a user install pulls no development tooling', async () => {
    const repoManifest = await readJson<Manifest>(join(PROJECT_ROOT, 'package.json'));
    // The msw 2 project installed only the tarball, msw and @types/node.
    const devOnly = Object.keys(repoManifest.devDependencies ?? {}).filter((name) => name !== 'msw' && name !== '@types/node');
    expect(devOnly.length).toBeGreaterThan(5);
    const present = devOnly.filter((name) => existsSync(join(msw2Project, 'node_modules', name)));
    expect(present).toEqual([]);
    const installed = await readJson<Manifest>(join(installedPackageDir(msw2Project), 'package.json'));
    expect(installed.dependencies).toEqual(repoManifest.dependencies);
  });

  test('inlines @msw/data instead of installing it, and ships the licence of every inlined package', async () => {
    const packageDir = installedPackageDir(msw2Project);
    const notices = await readFile(join(packageDir, 'dist', 'THIRD-PARTY-LICENSES.md'), 'utf8');
    const listed = [...notices.matchAll(/^## (\S+)@(\S+) \((.+)\)$/gm)].map((match) => match[1]!);
    expect(listed).toContain('@msw/data');
    expect(listed).toContain('es-toolkit');
    // A user does not install them (msw may bring its own outvariant or rettime, so only these two).
    for (const name of ['@msw/data', 'es-toolkit']) expect(existsSync(join(msw2Project, 'node_modules', name)), name).toBe(false);
    expect(notices.match(/Permission is hereby granted/g)?.length).toBe(listed.length);
    const root = await externalImports(join(packageDir, 'dist', 'src', 'index.js'));
    expect([...root].filter((specifier) => specifier.startsWith('@msw/data') || specifier.startsWith('es-toolkit'))).toEqual([]);
  });

  test('the server entry and the tokens-mock bin never load msw (the server answers through mock.fetch)', async () => {
    const packageDir = installedPackageDir(msw2Project);
    for (const entry of [
      ['src', 'server', 'index.js'],
      ['src', 'cli', 'tokens-mock.js'],
    ]) {
      const imports = await externalImports(join(packageDir, 'dist', ...entry));
      expect(
        [...imports].filter((specifier) => specifier === 'msw' || specifier.startsWith('msw/')),
        entry.join('/'),
      ).toEqual([]);
    }
    // Contrast: the contract-test bin embeds createTokensMock, handlers included, so the walk does see msw.
    expect(await externalImports(join(packageDir, 'dist', 'src', 'cli', 'contract-test.js'))).toContain('msw');
  });

  test('the root and fixtures entries import nothing from node: (browser-safe), and the root no faker', async () => {
    const packageDir = installedPackageDir(msw2Project);
    const isNodeBuiltin = (specifier: string): boolean => specifier.startsWith('node:') || builtinModules.includes(specifier);
    const root = await externalImports(join(packageDir, 'dist', 'src', 'index.js'));
    expect([...root].filter(isNodeBuiltin)).toEqual([]);
    expect(root).toContain('msw');
    expect([...root].filter((specifier) => specifier.startsWith('@faker-js/'))).toEqual([]);
    const fixtures = await externalImports(join(packageDir, 'dist', 'fixtures', 'index.js'));
    expect([...fixtures].filter(isNodeBuiltin)).toEqual([]);
    // Contrast: the server entry does use node: (so the walk does see such imports).
    const server = await externalImports(join(packageDir, 'dist', 'src', 'server', 'index.js'));
    expect([...server].filter(isNodeBuiltin).length).toBeGreaterThan(0);
  });
});

/** The checks every scratch project runs; `withVitest` adds the README's vitest file. */
function consumerSuite(label: string, project: () => string, expectedMswMajor: string, withVitest: boolean): void {
  describe(`a user project with ${label}`, () => {
    test('both bins answer --version (the package version) and --help from the built output', async () => {
      const { version } = await readJson<Manifest>(join(installedPackageDir(project()), 'package.json'));
      // The links npm made in node_modules/.bin (what npx runs; npx itself is exercised below).
      const runBin = (bin: string, flag: string) => run(join(project(), 'node_modules', '.bin', bin), [flag], { cwd: project() });
      for (const bin of ['tokens-mock', 'contract-test']) {
        const [versionRun, help] = await Promise.all([runBin(bin, '--version'), runBin(bin, '--help')]);
        expect(versionRun.code, describeRun(versionRun)).toBe(0);
        expect(versionRun.stdout.trim(), bin).toBe(version);
        expect(help.code, describeRun(help)).toBe(0);
        expect(help.stdout).toMatch(new RegExp(`^Usage: ${bin} \\[options\\]`));
      }
    }, 60_000);

    test('setupServer(...createTokensMock().handlers) serves every operation and documented errors', async () => {
      const result = await runNode(['drive-operations.mjs'], { cwd: project() });
      expect(result.code, describeRun(result)).toBe(0);
      const summary = JSON.parse(result.stdout.trim().split('\n').pop()!) as { ok: boolean; msw: string; operations: string[] };
      expect(summary.msw.split('.')[0]).toBe(expectedMswMajor);
      expect(summary.operations).toEqual(OPERATIONS);
    }, 60_000);

    test('the installed server creates, updates, deletes and lists without loading undici', async () => {
      const result = await runNode(['serve-without-undici.mjs'], { cwd: project() });
      expect(result.code, describeRun(result)).toBe(0);
      expect(JSON.parse(result.stdout.trim())).toEqual({
        statuses: [200, 200, 204, 200],
        note: 'renamed',
        listedIds: false,
        undiciAfterRequests: false,
        undiciAfterResponse: true,
      });
    }, 60_000);

    test('a CommonJS module can require() every code entry and the JSON document', async () => {
      const result = await runNode(['require-entries.cjs'], { cwd: project() });
      expect(result.code, describeRun(result)).toBe(0);
      expect(JSON.parse(result.stdout.trim())).toEqual({
        createTokensMock: 'function',
        startServer: 'function',
        runContract: 'function',
        buildFixtures: 'function',
        openapi: '3.1.0',
      });
    }, 60_000);

    test('npx tokens-mock --port 0 --json answers requests, and npx contract-test passes against it', async () => {
      // A local mock need not be paced to the real API's 100 requests a minute (the suite sends about 270).
      const mock = await startInstalledMock(project(), ['--rate-limit', 'off']);
      try {
        const list = await fetch(`${mock.baseUrl}/tokens/v2/${mock.username}?access_token=${mock.token}`);
        expect(list.status).toBe(200);
        expect(((await list.json()) as { note: string }[]).map((token) => token.note)).toContain('Master token');
        // The API reference is served from the installed package's docs/.
        const docs = await fetch(`${mock.baseUrl}/docs`);
        expect(docs.status).toBe(200);
        expect(await docs.text()).toMatch(/<html/i);

        const targetArgs = ['--base-url', mock.baseUrl, '--username', mock.username, '--token', mock.token];
        const contract = await runNpm(['exec', '--', 'contract-test', ...targetArgs, '--requests-per-minute', '6000'], { cwd: project() });
        expect(contract.code, describeRun(contract)).toBe(0);
        expect(contract.stdout).toMatch(/\b[1-9]\d* passed, 0 failed, 0 errors\b/);

        // Exploration from the installed package (fast-check is a dependency): against the server, then embedded.
        const explore = await runNpm(['exec', '--', 'contract-test', '--explore', '--runs', '5', '--seed', '1', ...targetArgs], {
          cwd: project(),
        });
        expect(explore.code, describeRun(explore)).toBe(0);
        expect(explore.stdout).toMatch(/5 sequences run .*\n.*\d+ requests to the target \(budget 90\)/);
        const embedded = await runNpm(['exec', '--', 'contract-test', '--explore', '--runs', '50', '--seed', '1'], { cwd: project() });
        expect(embedded.code, describeRun(embedded)).toBe(0);
        expect(embedded.stdout).toContain('no divergence from the model');
        // The index, the document and the control surface (the README's curl example) from the installed package.
        expect(((await (await fetch(`${mock.baseUrl}/`)).json()) as { username: string }).username).toBe(mock.username);
        expect(await (await fetch(`${mock.baseUrl}/openapi.yaml`)).text()).toMatch(/^openapi: 3\.1\.0/m);
        expect(((await (await fetch(`${mock.baseUrl}/openapi.json`)).json()) as { openapi: string }).openapi).toBe('3.1.0');
        const admin = await run('bash', [join(PROJECT_ROOT, 'test', 'server', 'snippets', 'admin-curl.sh')], {
          cwd: project(),
          env: { TOKENS_MOCK_URL: mock.baseUrl },
        });
        expect(admin.code, describeRun(admin)).toBe(0);
      } finally {
        await mock.stop();
      }
    }, 120_000);

    test('the installed tokens-mock --state keeps writes across a kill -9 and refuses a damaged file naming the field', async () => {
      const statePath = join(project(), 'tokens-state.json');
      const first = await startInstalledMock(project(), ['--state', statePath]);
      let created: { token: string };
      try {
        const response = await fetch(`${first.baseUrl}/tokens/v2/${first.username}?access_token=${first.token}`, {
          method: 'POST',
          body: JSON.stringify({ note: 'durable' }),
        });
        expect(response.status).toBe(200);
        created = (await response.json()) as { token: string };
      } finally {
        // kill -9: only what the journal holds survives.
        killGroup(first.child, 'SIGKILL');
        await first.stop();
      }
      // npx runs the server as a grandchild: wait (bounded) until the killed one is gone too.
      const owner = Number(await readFile(`${statePath}.lock`, 'utf8'));
      for (let waited = 0; waited < 50 && isRunning(owner); waited++) await new Promise((resolve) => setTimeout(resolve, 100));
      const second = await startInstalledMock(project(), ['--state', statePath]);
      try {
        const retrieved = await fetch(`${second.baseUrl}/tokens/v2?access_token=${created.token}`);
        expect(((await retrieved.json()) as { code: string }).code).toBe('TokenValid');
      } finally {
        await second.stop();
      }
      const saved = JSON.parse(await readFile(statePath, 'utf8')) as { tokens: Array<{ created: unknown }> };
      saved.tokens[2]!.created = 'yesterday';
      const damaged = `${JSON.stringify(saved)}\n`;
      await writeFile(statePath, damaged);
      const refused = await runNpm(['exec', '--', 'tokens-mock', '--port', '0', '--state', statePath], { cwd: project() });
      expect(refused.code, describeRun(refused)).toBe(2);
      expect(refused.stderr).toMatch(/tokens-mock: state file .*: tokens\[2\]\.created: not a date/);
      expect(await readFile(statePath, 'utf8')).toBe(damaged);
    }, 120_000);
    test('strict mode of the installed package reports an undocumented request with its schema path', async () => {
      const script = [
        "import { createTokensMockCore } from 'mapbox-tokens-mock';",
        'const mock = createTokensMockCore({ strict: true });',
        'const { username, secretToken } = await mock.defaultAccount();',
        // biome-ignore lint/suspicious/noTemplateCurlyInString: the line is JavaScript source for the scratch project, a template literal there.
        'const url = `https://api.mapbox.com/tokens/v2/${username}?access_token=${secretToken}&colour=blue`;',
        "await mock.handle({ method: 'GET', url, text: async () => '' }).then(() => console.log('no error'), (error) => console.log(error.message));",
      ].join('\n');
      await writeFile(join(project(), 'strict-check.mjs'), `${script}\n`);
      const result = await runNode(['strict-check.mjs'], { cwd: project() });
      expect(result.code, describeRun(result)).toBe(0);
      expect(result.stdout).toContain(
        'query.colour: unknown query parameter "colour" (rule unknown-query-parameter, #/paths/~1tokens~1v2~1{username}/get/parameters)',
      );
    }, 60_000);

    test('a strict nodenext TypeScript project type-checks a use of every entry, and it runs', async () => {
      const config = await readJson<{ include: string[] }>(join(CONSUMER_DIR, 'tsconfig.json'));
      if (withVitest) config.include.push(...VITEST_SNIPPETS.map((snippet) => snippet.runAs), BROWSER_SNIPPET.runAs);
      await writeFile(join(project(), 'tsconfig.json'), `${JSON.stringify(config, null, 2)}\n`);
      const typeCheck = await runNode([PROJECT_TSC, '-p', 'tsconfig.json'], { cwd: project(), timeoutMs: 240_000 });
      expect(typeCheck.code, describeRun(typeCheck)).toBe(0);

      const result = await runNode(['entries.ts'], { cwd: project() });
      expect(result.code, describeRun(result)).toBe(0);
      const { version } = await readJson<Manifest>(join(installedPackageDir(project()), 'package.json'));
      expect(JSON.parse(result.stdout.trim())).toEqual({
        version,
        defaultPort: 4010,
        operations: OPERATIONS.length,
        scopes: expect.any(Number),
        errors: expect.any(Number),
        aliceTokens: 5, // default pk, master sk, 2 fixture tokens, the reader token
        contract: { total: 2, passed: 2, failed: 0, errors: 0, skipped: 0 },
        openapi: '3.1.0',
        paths: 4,
        yamlStartsWithOpenapi: true,
      });
    }, 300_000);

    if (withVitest) {
      test("the README's vitest files pass", async () => {
        const files = VITEST_SNIPPETS.map((snippet) => snippet.runAs);
        const result = await runNpm(['exec', '--', 'vitest', 'run', ...files], { cwd: project(), timeoutMs: 120_000 });
        expect(result.code, describeRun(result)).toBe(0);
        expect(result.stdout).toMatch(new RegExp(`Test Files\\s+${files.length} passed \\(${files.length}\\)`));
        expect(result.stdout).toMatch(/Tests\s+(\d+) passed \(\1\)/);
      }, 120_000);

      for (const snippet of BASH_SNIPPETS) {
        test(`the README's CI script (${snippet.runAs}) serves the mock and passes the contract suite`, async () => {
          const result = await run('bash', [snippet.runAs], { cwd: project(), timeoutMs: 120_000 });
          expect(result.code, describeRun(result)).toBe(0);
          expect(result.stdout).toMatch(/\b[1-9]\d* passed, 0 failed, 0 errors\b/);
        }, 120_000);
      }
    }
  });
}

describe.concurrent('consumers', () => {
  consumerSuite('msw 3', () => msw3Project, '3', true);
  consumerSuite('msw 2', () => msw2Project, '2', false);
});
