import { errorConditions, openapiDocument } from '../generated/openapi.ts';

/**
 * The contract document's error table as the suite reads it: one row per (operation, condition
 * id), taken from the named examples of the document (`errorConditions`, generated from
 * openapi/tokens.yaml). Checks name condition ids; status, message or code come from here.
 */
export interface DocumentedCondition {
  id: string;
  operationId: string;
  status: number;
  message?: string;
  code?: string;
  source: string;
  condition: string;
  /** False when the source says the message wording is a mock choice (asserted softly unless strict). */
  messageDocumented: boolean;
}

export function contractDocument(): Record<string, unknown> {
  return openapiDocument as unknown as Record<string, unknown>;
}

export function documentedConditions(): DocumentedCondition[] {
  return errorConditions.map((row) => {
    const entry: DocumentedCondition = {
      id: row.conditionId,
      operationId: row.operationId,
      status: row.status,
      source: row.source,
      condition: row.condition,
      messageDocumented: !isMockChoiceMessage(row.source),
    };
    if ('message' in row && typeof row.message === 'string') entry.message = row.message;
    if ('code' in row && typeof row.code === 'string') entry.code = row.code;
    return entry;
  });
}

/**
 * Whether the message wording rests on a mock choice: the source starts with `mock choice`, says
 * `mock choice (message)`, or ends with a bare `+ mock choice`. A real server may word those rows
 * differently, so by default the suite asserts their status and a non-empty message only.
 */
function isMockChoiceMessage(source: string): boolean {
  const text = source.trim().toLowerCase();
  return text.startsWith('mock choice') || text.includes('mock choice (message)') || /\+\s*mock choice$/.test(text);
}

/** The distinct condition ids of the document. */
export function documentedConditionIds(): string[] {
  return [...new Set(errorConditions.map((row) => row.conditionId))].sort();
}
