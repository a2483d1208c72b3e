import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The `name` in this package's package.json: how the package root is recognised. */
const PACKAGE_NAME = 'mapbox-tokens-mock';

/**
 * Finds the package root by walking up from `startDir` to the first package.json named
 * mapbox-tokens-mock. Walking (instead of a fixed `../..`) keeps working from src/server at
 * development time and from dist/src/server once compiled, and never depends on process.cwd().
 */
export function findPackageRoot(startDir: string = import.meta.dirname): string {
  let dir = startDir;
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && readManifestName(manifest) === PACKAGE_NAME) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find the ${PACKAGE_NAME} package root above ${startDir}`);
    dir = parent;
  }
}

function readManifestName(manifestPath: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(readFileSync(manifestPath, 'utf8'));
    return typeof parsed === 'object' && parsed !== null && 'name' in parsed && typeof parsed.name === 'string' ? parsed.name : undefined;
  } catch {
    return undefined;
  }
}

/** The package version from package.json (shown by `tokens-mock --version`). */
export function readPackageVersion(packageRoot: string = findPackageRoot()): string {
  const parsed = JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { version?: unknown };
  return typeof parsed.version === 'string' ? parsed.version : '0.0.0';
}

/** The directory holding the API reference (docs/index.html, docs/api.md) served at /docs. */
export function defaultDocsDir(packageRoot: string = findPackageRoot()): string {
  return join(packageRoot, 'docs');
}
