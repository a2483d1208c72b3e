import type { FileHandle } from 'node:fs/promises';
import { open, readFile, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { StateChanges } from '../mock/tokens-mock-core.ts';
import { StateError } from '../state/state-rules.ts';
import { applyJournal, JournalError, parseJournal, type JournalRecord } from './state-journal.ts';
import { lockStateFile, type StateLock } from './state-lock.ts';
import { describeFsError, InputFileError, removeStaleTemporaries, resolveStatePath, syncDirectory, writeFileAtomic } from './state-file.ts';

/** What the durable state needs from a mock (ServableMock; takeStateChanges is optional). */
export interface JournaledMock {
  snapshot(): unknown;
  restore(state: never): Promise<void>;
  defaultAccount(): Promise<unknown>;
  takeStateChanges?(): StateChanges | undefined;
}

/**
 * Journal bytes that trigger a compaction: at least this much, and at least the snapshot's own
 * size. Rewriting the snapshot only after as many journal bytes as it has keeps the amortised cost
 * of a write independent of the number of tokens (a 30 MB snapshot at 100 000 tokens is rewritten
 * once per ~30 MB of journal, not per write).
 */
export const MIN_COMPACTION_BYTES = 4 * 1024 * 1024;

/**
 * When a write is acknowledged (docs/state-file.md):
 * - `fsync` (default): after its journal line is fdatasynced. Survives any crash, power loss too.
 * - `write`: after its journal line is written to the operating system (the page cache); fdatasync
 *   follows within STATE_SYNC_INTERVAL_MS. Survives the death of the process (kill -9, OOM killer,
 *   a CI timeout, a crashed container); a kernel crash or power loss may lose the last interval.
 */
export type StateSync = 'fsync' | 'write';
export const STATE_SYNC_INTERVAL_MS = 1000;

/**
 * `--state FILE` kept durable (docs/state-file.md): the snapshot FILE, the journal FILE.journal and
 * the lock FILE.lock. Every acknowledged write is appended to the journal and fsynced before its
 * response is sent (commit()); writes that arrive during one fsync share the next one (group
 * commit). The journal is folded into the snapshot when it grows as large as the snapshot, on start
 * and on close.
 */
export class DurableState {
  readonly path: string;
  readonly #mock: JournaledMock;
  readonly #lock: StateLock;
  readonly #journalPath: string;
  #journal: FileHandle | undefined;
  #seq: number;
  #journalBytes = 0;
  #snapshotBytes = 0;
  /** Set when an append failed: the next flush writes a whole snapshot instead. */
  #mustCompact = false;
  /** Appends run one after another (journal order); their fsyncs may overlap (see commit()). */
  #queue: Promise<unknown> = Promise.resolve();
  #queuedFlush: Promise<void> | undefined;
  /** fsyncs in flight: a compaction waits for them before it replaces the journal. */
  readonly #syncing = new Set<Promise<void>>();
  #closed = false;
  /** Whether the mock is tokens-mock's own (journaled, its state validated) or an embedder's. */
  readonly #journaled: boolean;

  readonly #sync: StateSync;
  #syncTimer: ReturnType<typeof setTimeout> | undefined;

  private constructor(path: string, mock: JournaledMock, lock: StateLock, seq: number, sync: StateSync) {
    this.path = path;
    this.#mock = mock;
    this.#lock = lock;
    this.#journalPath = `${path}.journal`;
    this.#seq = seq;
    this.#journaled = mock.takeStateChanges !== undefined;
    this.#sync = sync;
  }

  /**
   * Locks the state file, loads it with its journal into `mock` (when it exists), and writes a
   * fresh snapshot. A file that cannot be used is an InputFileError naming the field, and is left
   * exactly as it was (nothing is written before it has been accepted in full).
   */
  static async open(shownPath: string, mock: JournaledMock, sync: StateSync = 'fsync'): Promise<DurableState> {
    const path = await resolveStatePath(shownPath);
    const lock = await lockStateFile(path, shownPath);
    try {
      await removeStaleTemporaries(path);
      const seq = await load(shownPath, path, mock);
      const state = new DurableState(path, mock, lock, seq, sync);
      // Settles the mock (a restored master token may need re-issuing) before the first snapshot.
      await mock.defaultAccount();
      await state.#compact();
      return state;
    } catch (error) {
      await lock.release();
      throw error;
    }
  }

  /**
   * Resolves once every change made before the call is on disk. Calls made while an append is
   * waiting to start share it. Appends are written in order, but an append does not wait for the
   * previous one's fsync to finish: both fsyncs then run at once, and the file system commits them
   * together (one journal commit on ext4), so a request waits about one fsync, not two.
   */
  commit(): Promise<void> {
    if (this.#closed) return Promise.reject(new Error('the state file is closed'));
    if (this.#queuedFlush !== undefined) return this.#queuedFlush;
    const appended = this.#queue.then(() => {
      this.#queuedFlush = undefined;
      return this.#append();
    });
    this.#queue = appended.catch(() => undefined);
    // Wrapped in an object so the fsync promise is not awaited as part of the append.
    const durable = appended.then((written) => written.synced);
    this.#queuedFlush = durable;
    return durable;
  }

  /** Writes a last snapshot, removes the journal and releases the lock. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    await this.#queue;
    this.#closed = true;
    clearTimeout(this.#syncTimer);
    try {
      await this.#compact();
      await this.#journal?.close();
      this.#journal = undefined;
      if (this.#journaled) await rm(this.#journalPath, { force: true });
    } finally {
      await this.#lock.release();
    }
  }

  /** Appends the changes taken now; resolves after the write with the promise of its fsync. */
  async #append(): Promise<{ synced: Promise<void> }> {
    const taken = this.#mock.takeStateChanges?.();
    if (!this.#journaled || this.#mustCompact || taken?.replaced === true) {
      await this.#compact();
      return { synced: Promise.resolve() };
    }
    if (taken === undefined || taken.changes.length === 0) return { synced: Promise.resolve() };
    const record: JournalRecord = { seq: this.#seq + 1, ...taken };
    delete (record as Partial<StateChanges>).replaced;
    const line = Buffer.from(`${JSON.stringify(record)}\n`);
    const journal = this.#journal!;
    try {
      await journal.write(line);
    } catch (error) {
      // The taken changes are in memory only now: the next append saves everything.
      this.#mustCompact = true;
      throw error;
    }
    this.#seq = record.seq;
    this.#journalBytes += line.byteLength;
    if (this.#sync === 'write') {
      // Acknowledged once the OS has the bytes; the fdatasync follows on a timer (one at a time).
      this.#syncTimer ??= setTimeout(() => {
        this.#syncTimer = undefined;
        this.#journal?.datasync().catch(() => undefined);
      }, STATE_SYNC_INTERVAL_MS);
      this.#syncTimer.unref();
      if (this.#journalBytes >= Math.max(MIN_COMPACTION_BYTES, this.#snapshotBytes)) await this.#compact();
      return { synced: Promise.resolve() };
    }
    const synced = journal.datasync().catch((error: unknown) => {
      this.#mustCompact = true;
      throw error;
    });
    this.#syncing.add(synced);
    const settled = synced.finally(() => this.#syncing.delete(synced));
    settled.catch(() => undefined);
    if (this.#journalBytes >= Math.max(MIN_COMPACTION_BYTES, this.#snapshotBytes)) {
      await settled.catch(() => undefined);
      await this.#compact();
    }
    return { synced: settled };
  }

  /** The whole state into the snapshot (atomic, fsynced), then an empty journal. */
  async #compact(): Promise<void> {
    // The journal is about to be replaced: its fsyncs in flight finish first (their writes are in the snapshot anyway).
    await Promise.allSettled([...this.#syncing]);
    // Taken and snapshotted in one synchronous step: the snapshot includes every change taken.
    this.#mock.takeStateChanges?.();
    const snapshot = this.#mock.snapshot();
    // An embedder's mock has no journal: its snapshot is its whole file, written as it gives it.
    const text = `${JSON.stringify(this.#journaled ? { ...(snapshot as object), journalSeq: this.#seq } : snapshot)}\n`;
    this.#mustCompact = true;
    await writeFileAtomic(this.path, text);
    this.#snapshotBytes = Buffer.byteLength(text);
    if (!this.#journaled) {
      this.#mustCompact = false;
      return;
    }
    await this.#journal?.close();
    this.#journal = undefined;
    const journal = await open(this.#journalPath, 'w', 0o600);
    await journal.sync();
    await syncDirectory(dirname(this.#journalPath));
    this.#journal = journal;
    this.#journalBytes = 0;
    this.#mustCompact = false;
  }
}

/** Reads snapshot and journal, validates them and restores the mock; the last journal sequence. */
async function load(shownPath: string, path: string, mock: JournaledMock): Promise<number> {
  const snapshotText = await readOptional(path, shownPath, 'state');
  const journalText = await readOptional(`${path}.journal`, shownPath, 'journal');
  let journal: { records: JournalRecord[] } = { records: [] };
  try {
    if (journalText !== undefined) journal = parseJournal(journalText);
  } catch (error) {
    if (error instanceof JournalError) throw new InputFileError(`state journal ${path}.journal ${error.message}`);
    throw error;
  }
  if (snapshotText === undefined) {
    if (journal.records.length > 0) {
      throw new InputFileError(
        `state file ${shownPath} is missing but its journal ${path}.journal is not: restore the state file, or remove the journal`,
      );
    }
    return 0;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(snapshotText);
  } catch (error) {
    throw new InputFileError(`state file ${shownPath} is not valid JSON: ${(error as Error).message}`);
  }
  if (mock.takeStateChanges === undefined) {
    // An embedder's mock: its own state format, its own validation.
    try {
      await mock.restore(parsed as never);
    } catch (error) {
      throw new InputFileError(`state file ${shownPath} was refused: ${(error as Error).message}`);
    }
    return 0;
  }
  const { validateStateDocument } = await import('./state-validation.ts');
  let state: unknown = parsed;
  const replayed =
    typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? applyJournal(parsed as Record<string, unknown>, journal.records)
      : parsed;
  const withJournal = replayed !== parsed ? ' (with its journal replayed)' : '';
  try {
    state = validateStateDocument(replayed);
    await mock.restore(state as never);
  } catch (error) {
    if (error instanceof StateError) throw new InputFileError(`state file ${shownPath}${withJournal}: ${error.path}: ${error.reason}`);
    throw new InputFileError(`state file ${shownPath}${withJournal} was refused: ${(error as Error).message}`);
  }
  const last = journal.records[journal.records.length - 1]?.seq ?? 0;
  const included = (replayed as { journalSeq?: number }).journalSeq ?? 0;
  return Math.max(last, included);
}

async function readOptional(path: string, shownPath: string, what: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new InputFileError(`cannot read ${what} file ${what === 'state' ? shownPath : path}: ${describeFsError(error)}`);
  }
}
