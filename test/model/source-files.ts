import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The project's root folder. */
export const projectRoot = join(import.meta.dirname, '..', '..');

/** Every .ts, .js and .mjs file at or below `path` (a file or a folder). */
export function sourceFiles(path: string): string[] {
  if (statSync(path).isFile()) return [path];
  return readdirSync(path)
    .flatMap((name) => sourceFiles(join(path, name)))
    .filter((file) => /\.(ts|js|mjs)$/.test(file));
}
