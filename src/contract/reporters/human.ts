import type { CheckResult, ContractReport, ProgressEvent, RecordedExchange } from '../types.ts';

const MARK: Record<CheckResult['status'], string> = { passed: '✓', failed: '✗', error: '!', skipped: '-' };

/** Progress lines as checks finish: `✓ list.bad-usage (3 ms)`. */
export function createHumanProgress(write: (text: string) => void): (event: ProgressEvent) => void {
  return (event) => {
    if (event.type === 'run-start') write(`contract-test ${event.runId}: ${event.total} checks against ${event.baseUrl}\n`);
    if (event.type === 'check-end') {
      const { result } = event;
      const detail = result.status === 'skipped' ? ` (skipped: ${result.skipReason ?? ''})` : result.failure ? `: ${result.failure.message}` : '';
      write(`${MARK[result.status]} ${result.id} (${result.durationMs} ms)${detail}\n`);
    }
    if (event.type === 'cleanup-start' && event.pending > 0) write(`cleaning up ${event.pending} token(s) created by this run…\n`);
  };
}

/** The final human summary: every failure with the row it enforces and its exchanges, then totals. */
export function renderHuman(report: ContractReport): string {
  const lines: string[] = [];
  const failed = report.results.filter((result) => result.status === 'failed' || result.status === 'error');
  if (failed.length > 0) {
    lines.push('', `Failures (${failed.length}):`);
    for (const result of failed) {
      lines.push('', `${MARK[result.status]} ${result.id} — ${result.description}`);
      lines.push(`  enforces: ${result.documentation}${result.conditions.length ? ` [${result.conditions.join(', ')}]` : ''}`);
      lines.push(`  ${result.status === 'error' ? 'error' : 'failure'}: ${result.failure?.message ?? ''}`);
      const shown = result.exchanges.slice(-6);
      if (result.exchanges.length > shown.length) lines.push(`    (${result.exchanges.length - shown.length} earlier exchanges, with their replay lines, are in the JSON report)`);
      for (const exchange of shown) lines.push(...exchangeLines(exchange));
    }
  }
  const { summary } = report;
  lines.push(
    '',
    `${summary.passed} passed, ${summary.failed} failed, ${summary.errors} errors, ${summary.skipped} skipped of ${summary.total} checks ` +
      `in ${(report.durationMs / 1000).toFixed(1)} s (${report.requests} requests)${report.aborted ? ' — ABORTED' : ''}`,
  );
  if (report.coverage) {
    const { statements, conditions } = report.coverage;
    lines.push(`coverage: ${statements.exercised}/${statements.checkable} checkable statements and ${conditions.exercised}/${conditions.total} conditions exercised`);
  }
  lines.push(`cleanup: deleted ${report.cleanup.deleted} token(s) created by run ${report.runId}`);
  for (const failure of report.cleanup.failures) lines.push(`  could not delete ${failure.id}: ${failure.reason}`);
  if (report.cleanup.remaining.length > 0) lines.push(`  STILL LISTED after cleanup (delete them by hand): ${report.cleanup.remaining.join(', ')}`);
  return `${lines.join('\n')}\n`;
}

function exchangeLines(exchange: RecordedExchange): string[] {
  const out = [`    → ${exchange.request.method} ${exchange.request.url}${exchange.request.body ? ` ${truncate(exchange.request.body)}` : ''}`];
  if (exchange.response) out.push(`    ← ${exchange.response.status} ${truncate(exchange.response.body)}`);
  if (exchange.error) out.push(`    ← ${exchange.error}`);
  if (exchange.replay) out.push(`    replay: ${exchange.replay}`);
  return out;
}

function truncate(text: string, max = 300): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
