import type { StateChange } from '../model/change-recorder.ts';
import type { ModelChanges } from '../state/model-state.ts';

/**
 * The journal beside a state file (`<state>.journal`): one JSON line per group of acknowledged
 * writes, appended and fsynced before their responses are sent. Each line carries a sequence number;
 * the snapshot records the last one it includes (`journalSeq`), so after a crash between writing a
 * snapshot and emptying the journal, the journal's older lines are skipped rather than replayed
 * over newer state.
 */
export interface JournalRecord extends ModelChanges {
  seq: number;
}

export interface ParsedJournal {
  records: JournalRecord[];
  /** Bytes of complete lines; a torn last line (a crash mid-append) lies beyond. */
  validBytes: number;
}

/** Where a journal line is unusable: its 1-based line number and why. */
export class JournalError extends Error {
  readonly line: number;

  constructor(line: number, reason: string) {
    super(`line ${line}: ${reason}`);
    this.name = 'JournalError';
    this.line = line;
  }
}

function isRecord(value: unknown): value is JournalRecord {
  const record = value as Partial<JournalRecord> | null;
  return (
    typeof record === 'object' &&
    record !== null &&
    Number.isSafeInteger(record.seq) &&
    Array.isArray(record.changes) &&
    typeof record.ids === 'object' &&
    record.ids !== null &&
    Number.isSafeInteger(record.timeOffsetMs) &&
    (record.randomState === null || Number.isSafeInteger(record.randomState)) &&
    record.changes.every(isChange)
  );
}

function isChange(change: unknown): change is StateChange {
  if (typeof change !== 'object' || change === null) return false;
  const keys = Object.keys(change);
  if (keys.length !== 1) return false;
  const [key] = keys;
  const value = (change as Record<string, unknown>)[key!];
  if (key === 'deleted') return typeof value === 'string';
  return (key === 'token' || key === 'account') && typeof value === 'object' && value !== null;
}

/**
 * The journal's records. Only the last line may be incomplete (no newline: the append was cut
 * short) or unparsable (torn): it is dropped, since its write was never acknowledged. Any earlier
 * line that is not a record means the file was damaged some other way: a JournalError.
 */
export function parseJournal(text: string): ParsedJournal {
  const records: JournalRecord[] = [];
  let offset = 0;
  let line = 0;
  while (offset < text.length) {
    line += 1;
    const end = text.indexOf('\n', offset);
    if (end === -1) break;
    const content = text.slice(offset, end);
    let parsed: unknown;
    try {
      parsed = JSON.parse(content);
    } catch {
      parsed = undefined;
    }
    if (!isRecord(parsed)) {
      if (end === text.length - 1) break;
      throw new JournalError(line, 'not a journal record (the file was damaged; restore it, or remove it to lose its writes)');
    }
    const previous = records[records.length - 1];
    if (previous !== undefined && parsed.seq <= previous.seq) throw new JournalError(line, `sequence ${parsed.seq} after ${previous.seq}`);
    records.push(parsed);
    offset = end + 1;
  }
  return { records, validBytes: Buffer.byteLength(text.slice(0, offset)) };
}

/**
 * Replays journal records over a state (a parsed snapshot), skipping those the snapshot already
 * includes. Returns a new object; the caller validates the result like any state file.
 */
export function applyJournal(state: Record<string, unknown>, records: readonly JournalRecord[]): Record<string, unknown> {
  const included = Number.isSafeInteger(state.journalSeq) ? (state.journalSeq as number) : 0;
  const fresh = records.filter((record) => record.seq > included);
  if (fresh.length === 0) return state;
  const tokens = new Map<string, unknown>();
  for (const token of state.tokens as Array<{ id: string }>) tokens.set(token.id, token);
  const accounts = new Map<string, unknown>();
  for (const account of state.accounts as Array<{ username: string }>) accounts.set(account.username, account);
  const next: Record<string, unknown> = { ...state };
  for (const record of fresh) {
    for (const change of record.changes) {
      if ('token' in change) tokens.set(change.token.id, change.token);
      else if ('deleted' in change) tokens.delete(change.deleted);
      else accounts.set(change.account.username, change.account);
    }
    next.ids = record.ids;
    next.randomState = record.randomState;
    next.timeOffsetMs = record.timeOffsetMs;
    next.journalSeq = record.seq;
  }
  next.tokens = [...tokens.values()];
  next.accounts = [...accounts.values()];
  return next;
}
