import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** A readable file that cannot be used as the server asked: the CLI turns it into exit code 2. */
export class InputFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputFileError';
  }
}

/**
 * Reads a JSON file given on the command line (fixtures or state). `optional` files that do
 * not exist yield undefined (a state file is created on the first clean exit); any other
 * failure is an InputFileError naming the file and the reason in one line.
 */
export async function readJsonFile(path: string, what: string, optional = false): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (optional && (error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new InputFileError(`cannot read ${what} file ${path}: ${describeFsError(error)}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new InputFileError(`${what} file ${path} is not valid JSON: ${(error as Error).message}`);
  }
}

/**
 * Writes `value` as JSON atomically: a temporary file in the same directory, then a rename over
 * the target, so a crash mid-write never leaves a truncated state file behind.
 */
export async function writeJsonFileAtomic(path: string, value: unknown): Promise<void> {
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  try {
    await writeFile(temporary, `${JSON.stringify(value)}\n`, { mode: 0o600 });
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'is a directory';
  return (error as Error).message;
}
