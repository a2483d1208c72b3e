/**
 * Files the build derives from a source (the generated module, the reference, README blocks):
 * one way to write them, and one way to check that the committed copies are fresh, so every
 * generator's `--check` mode behaves alike (exit 1 and name the stale files and the command).
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const projectRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface GeneratedFile {
  path: string;
  contents: string;
}

/** The files whose contents on disk differ from a fresh render (paths relative to the project). */
export async function findStaleFiles(files: readonly GeneratedFile[]): Promise<string[]> {
  const stale: string[] = [];
  for (const file of files) {
    const onDisk = await readFile(file.path, 'utf8').catch(() => undefined);
    if (onDisk !== file.contents) stale.push(relative(projectRoot, file.path));
  }
  return stale;
}

/**
 * Writes the rendered files, or with `--check` in argv only compares them with the disk.
 * Returns the process exit code.
 */
export async function writeOrCheck(
  files: readonly GeneratedFile[],
  argv: readonly string[],
  labels: { what: string; command: string },
): Promise<number> {
  if (argv.includes('--check')) {
    const stale = await findStaleFiles(files);
    if (stale.length > 0) {
      console.error(`stale ${labels.what} (run \`${labels.command}\`): ${stale.join(', ')}`);
      return 1;
    }
    console.log(`${labels.what} are up to date`);
    return 0;
  }
  for (const file of files) {
    await mkdir(dirname(file.path), { recursive: true });
    await writeFile(file.path, file.contents);
    console.log(`wrote ${relative(projectRoot, file.path)}`);
  }
  return 0;
}

/** Runs a script's `main` when the file is executed directly (not when a test imports it). */
export function runWhenMain(
  moduleUrl: string,
  main: (argv: string[]) => Promise<number>,
  describeError: (error: unknown) => string = (error) => (error instanceof Error ? error.message : String(error)),
): void {
  if (process.argv[1] === undefined || fileURLToPath(moduleUrl) !== process.argv[1]) return;
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(describeError(error));
      process.exitCode = 1;
    },
  );
}
