import { closeSync, fsyncSync, openSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { access, constants, lstat, open, readdir, readFile, readlink, realpath, rm } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';

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
 * Temporary files being written right now. A process that exits in the middle of a save (a second
 * signal, process.exit) removes them in its 'exit' handler: the target still holds the previous
 * good content, since only a finished temporary file is ever renamed over it.
 */
const liveTemporaries = new Set<string>();
let exitHookInstalled = false;

function trackTemporary(path: string): void {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', () => {
      for (const temporary of liveTemporaries) {
        try {
          unlinkSync(temporary);
        } catch {
          // Already gone.
        }
      }
    });
  }
  liveTemporaries.add(path);
}

/** The name pattern of this module's temporary files for `path` (`.name.<pid>.<n>.tmp`). */
function temporaryPrefix(path: string): string {
  return `.${basename(path)}.`;
}

let temporaryCounter = 0;

/**
 * Writes `text` to `path` atomically and durably: a temporary file in the same directory, written
 * and fsynced, renamed over the target, then the directory fsynced so the rename itself survives a
 * crash. A crash or an error at any point leaves either the old file or the new one, never a mix;
 * the temporary file is removed on every path. The file steps are synchronous on purpose: a signal
 * is handled between two of them, never while one runs in the thread pool, so an exit in the middle
 * of a save (a second Ctrl+C) finds no half-created temporary file that would appear after its
 * 'exit' handler ran (see liveTemporaries).
 */
export async function writeFileAtomic(path: string, text: string): Promise<void> {
  const temporary = join(dirname(path), `${temporaryPrefix(path)}${process.pid}.${++temporaryCounter}.tmp`);
  trackTemporary(temporary);
  try {
    const fd = openSync(temporary, 'w', 0o600);
    try {
      writeFileSync(fd, text, 'utf8');
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, path);
    liveTemporaries.delete(temporary);
  } catch (error) {
    rmSync(temporary, { force: true });
    liveTemporaries.delete(temporary);
    throw error;
  }
  await syncDirectory(dirname(path));
}

/** fsync of a directory: makes a rename or a new file in it durable (a no-op where unsupported). */
export async function syncDirectory(path: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(path, 'r');
    await handle.sync();
  } catch {
    // Some platforms (Windows) cannot open or fsync a directory; nothing more can be done there.
  } finally {
    await handle?.close();
  }
}

/** Removes temporary files a killed process left beside `path` (call only while holding its lock). */
export async function removeStaleTemporaries(path: string): Promise<void> {
  const prefix = temporaryPrefix(path);
  const names = await readdir(dirname(path)).catch(() => [] as string[]);
  await Promise.all(
    names.filter((name) => name.startsWith(prefix) && name.endsWith('.tmp')).map((name) => rm(join(dirname(path), name), { force: true })),
  );
}

/**
 * The file a state path stands for: a symlink (even a dangling one) is followed to its target, so
 * saves replace the target and the link stays a link. Then the directory must exist and be
 * writable: checked now, not discovered at the first save.
 */
export async function resolveStatePath(path: string): Promise<string> {
  let target = resolve(path);
  for (let hops = 0; hops < 40; hops++) {
    const stats = await lstat(target).catch(() => undefined);
    if (stats === undefined || !stats.isSymbolicLink()) break;
    target = await realpath(target).catch(async () => resolve(dirname(target), await readlink(target)));
  }
  const directory = dirname(target);
  try {
    await access(directory, constants.W_OK | constants.X_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT' ? 'does not exist' : code === 'EACCES' || code === 'EPERM' ? 'is not writable' : describeFsError(error);
    throw new InputFileError(`state file ${path}: its directory ${directory} ${reason}`);
  }
  return target;
}

export function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'is a directory';
  return (error as Error).message;
}
