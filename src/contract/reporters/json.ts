import type { ContractReport } from '../types.ts';

/** The whole report as one JSON document (secrets already redacted). */
export function renderJson(report: ContractReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
