import { readFileSync, unlinkSync } from 'node:fs';
import { open, readFile, rm } from 'node:fs/promises';
import { InputFileError } from './state-file.ts';

/**
 * An exclusive lock on a state file: `<state>.lock`, created with O_EXCL and holding the owner's
 * pid. A second server on the same file refuses to start; a lock whose pid is no longer running
 * (the owner was killed) is stale and taken over. A pid reused by an unrelated process keeps the
 * lock until that process ends: remove the lock file by hand then (the message says where).
 */
export interface StateLock {
  readonly path: string;
  release(): Promise<void>;
}

/** Whether a process runs: it exists and, on Linux, is not a zombie (killed, not yet reaped). */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  // A killed server whose parent has not reaped it yet (containers often run no init that reaps
  // orphans) still answers kill(pid, 0); /proc says it is a zombie.
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return true;
  }
}

export async function lockStateFile(statePath: string, shownPath: string): Promise<StateLock> {
  const path = `${statePath}.lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(path, 'wx', 0o600);
      try {
        await handle.writeFile(`${process.pid}\n`);
      } finally {
        await handle.close();
      }
      return ownLock(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new InputFileError(`state file ${shownPath}: cannot create its lock file ${path}: ${(error as Error).message}`);
      }
    }
    const owner = Number.parseInt(await readFile(path, 'utf8').catch(() => ''), 10);
    if (Number.isSafeInteger(owner) && owner > 0 && owner !== process.pid && isRunning(owner)) {
      throw new InputFileError(
        `state file ${shownPath} is in use by another tokens-mock (pid ${owner}); stop it, or use another --state file (lock file ${path})`,
      );
    }
    // Stale: its owner is gone (or the file is unreadable, or it is our own pid from a past life).
    await rm(path, { force: true });
  }
  throw new InputFileError(`state file ${shownPath}: could not take its lock file ${path}`);
}

function ownLock(path: string): StateLock {
  let held = true;
  const releaseSync = (): void => {
    if (!held) return;
    held = false;
    try {
      // Only our own lock: never remove one another process took over.
      if (Number.parseInt(readFileSync(path, 'utf8'), 10) === process.pid) unlinkSync(path);
    } catch {
      // Already gone.
    }
  };
  process.once('exit', releaseSync);
  return {
    path,
    async release() {
      process.off('exit', releaseSync);
      releaseSync();
    },
  };
}
