import { openapiDocument } from '../generated/openapi.ts';
import type { CheckSummary } from './types.ts';

/**
 * One normative statement of the sources (reference, tutorial, a sentence of `x-decisions`) as the
 * document records it in `x-statements`: the checks that enforce it, or why none can.
 */
export interface DocumentedStatement {
  id: string;
  quote: string;
  source: string;
  checks: readonly string[];
  /** Why the statement cannot be checked from outside (then `checks` is empty). */
  reason?: string;
  note?: string;
}

export function documentedStatements(): DocumentedStatement[] {
  const raw = (openapiDocument as unknown as { 'x-statements'?: readonly Record<string, unknown>[] })['x-statements'] ?? [];
  return raw.map((entry) => {
    const statement: DocumentedStatement = {
      id: String(entry['id']),
      quote: String(entry['quote']),
      source: String(entry['source']),
      checks: Array.isArray(entry['checks']) ? entry['checks'].map(String) : [],
    };
    if (typeof entry['reason'] === 'string') statement.reason = entry['reason'];
    if (typeof entry['note'] === 'string') statement.note = entry['note'];
    return statement;
  });
}

export interface StatementCoverage {
  /** Statements with neither a check nor a reason. */
  unenforced: string[];
  /** Check ids named by statements that the suite does not have (`statement: check`). */
  unknownChecks: string[];
  /** Statement ids given twice. */
  duplicates: string[];
}

/** Matches the document's statements against the suite's checks (every statement needs one, or a reason). */
export function statementCoverage(checks: readonly CheckSummary[], statements: readonly DocumentedStatement[]): StatementCoverage {
  const known = new Set(checks.map((check) => check.id));
  const seen = new Set<string>();
  const duplicates: string[] = [];
  for (const statement of statements) {
    if (seen.has(statement.id)) duplicates.push(statement.id);
    seen.add(statement.id);
  }
  return {
    unenforced: statements.filter((statement) => statement.checks.length === 0 && !statement.reason).map((statement) => statement.id),
    unknownChecks: statements.flatMap((statement) => statement.checks.filter((id) => !known.has(id)).map((id) => `${statement.id}: ${id}`)),
    duplicates,
  };
}
