import type { CheckResult, ContractReport, ProgressEvent, RecordedExchange } from '../types.ts';

const MARK: Record<CheckResult['status'], string> = { passed: '✓', failed: '✗', error: '!', skipped: '-' };

export interface HumanProgressOptions {
  /**
   * On a terminal: one status line rewritten in place (checks done out of total, the current
   * check), failures printed as they happen. Otherwise (CI logs, files): one line per check group
   * (`list: 9 passed, 1 failed (list.pagination)`) once every check of the group has ended.
   */
  tty?: boolean;
}

/** Progress of a run as it goes (see HumanProgressOptions). */
export function createHumanProgress(write: (text: string) => void, options: HumanProgressOptions = {}): (event: ProgressEvent) => void {
  const groupOf = (id: string): string => id.split('.')[0] ?? id;
  const remaining = new Map<string, number>();
  const ended = new Map<string, CheckResult[]>();
  let total = 0;
  let done = 0;
  let statusLine = false;
  const clearStatus = (): void => {
    if (statusLine) write('\r\x1b[2K');
    statusLine = false;
  };
  return (event) => {
    if (event.type === 'run-start') {
      total = event.total;
      for (const id of event.ids ?? []) remaining.set(groupOf(id), (remaining.get(groupOf(id)) ?? 0) + 1);
      write(`contract-test ${event.runId}: ${event.total} checks against ${event.target ?? event.baseUrl}\n`);
    }
    if (event.type === 'check-start' && options.tty) {
      clearStatus();
      write(`[${done}/${total}] ${event.id}`);
      statusLine = true;
    }
    if (event.type === 'check-end') {
      const { result } = event;
      done += 1;
      if (options.tty) {
        if (result.status === 'failed' || result.status === 'error') {
          clearStatus();
          write(`${MARK[result.status]} ${result.id}: ${result.failure?.message ?? ''}\n`);
        }
        return;
      }
      const group = groupOf(result.id);
      ended.set(group, [...(ended.get(group) ?? []), result]);
      const left = (remaining.get(group) ?? 1) - 1;
      remaining.set(group, left);
      if (left <= 0) write(groupLine(group, ended.get(group)!));
    }
    if (event.type === 'cleanup-start') {
      clearStatus();
      if (event.pending > 0) write(`cleaning up ${event.pending} token(s) created by this run…\n`);
    }
  };
}

function groupLine(group: string, results: CheckResult[]): string {
  const count = (status: CheckResult['status']): CheckResult[] => results.filter((result) => result.status === status);
  const parts = (['passed', 'failed', 'error', 'skipped'] as const)
    .filter((status) => count(status).length > 0)
    .map((status) => {
      const matching = count(status);
      const label = status === 'error' ? 'errors' : status;
      return status === 'passed'
        ? `${matching.length} ${label}`
        : `${matching.length} ${label} (${matching.map((result) => result.id).join(', ')})`;
    });
  return `${group}: ${parts.join(', ')}\n`;
}

/** The final human summary: every failure with the row it enforces and its exchanges, then totals. */
export function renderHuman(report: ContractReport): string {
  const lines: string[] = [];
  if (report.error !== undefined) return `contract-test: ${report.error}\n`;
  const failed = report.results.filter((result) => result.status === 'failed' || result.status === 'error');
  if (failed.length > 0) {
    lines.push('', `Failures (${failed.length}):`);
    for (const result of failed) {
      lines.push('', `${MARK[result.status]} ${result.id} — ${result.description}`);
      lines.push(`  enforces: ${result.documentation}${result.conditions.length ? ` [${result.conditions.join(', ')}]` : ''}`);
      lines.push(`  ${result.status === 'error' ? 'error' : 'failure'}: ${result.failure?.message ?? ''}`);
      const shown = result.exchanges.slice(-6);
      if (result.exchanges.length > shown.length)
        lines.push(`    (${result.exchanges.length - shown.length} earlier exchanges, with their replay lines, are in the JSON report)`);
      for (const exchange of shown) lines.push(...exchangeLines(exchange));
    }
  }
  const { summary } = report;
  lines.push(
    '',
    `${summary.passed} passed, ${summary.failed} failed, ${summary.errors} errors, ${summary.skipped} skipped of ${summary.total} checks ` +
      `in ${(report.durationMs / 1000).toFixed(1)} s (${report.requests} requests) against ${report.target ?? report.baseUrl}${report.aborted ? ' — ABORTED' : ''}`,
  );
  if (report.stopped !== undefined) lines.push(`STOPPED: ${report.stopped}`);
  for (const write of report.defaultToken ?? []) {
    if (write.changed && !write.restored) lines.push(`!!! THE ACCOUNT'S DEFAULT TOKEN WAS CHANGED (${write.check}): ${write.message}`);
    else if (write.changed) lines.push(`default token (${write.check}): ${write.message}`);
  }
  if (report.coverage) {
    const { statements, conditions } = report.coverage;
    lines.push(
      `coverage: ${statements.exercised}/${statements.checkable} checkable statements and ${conditions.exercised}/${conditions.total} conditions exercised`,
    );
  }
  const { cleanup } = report;
  lines.push(
    `cleanup: deleted ${cleanup.deleted} token(s) created by run ${report.runId}${cleanup.clean ? '; nothing of this run is left on the account' : ''}`,
  );
  for (const failure of cleanup.failures) lines.push(`  could not delete ${failure.id}: ${failure.reason}`);
  if (cleanup.remaining.length > 0) {
    lines.push(`  STILL ON THE ACCOUNT after cleanup (delete them by hand if they are yours):`);
    for (const token of cleanup.remaining) lines.push(`    ${token.id} (note ${JSON.stringify(token.note)}): ${token.reason}`);
  }
  for (const token of cleanup.untouched) lines.push(`  never written to: ${token.id} (${token.reason})`);
  return `${lines.join('\n')}\n`;
}

function exchangeLines(exchange: RecordedExchange): string[] {
  const out = [
    `    → ${exchange.request.method} ${exchange.request.url}${exchange.request.body ? ` ${truncate(exchange.request.body)}` : ''}`,
  ];
  if (exchange.response) out.push(`    ← ${exchange.response.status} ${truncate(exchange.response.body)}`);
  if (exchange.error) out.push(`    ← ${exchange.error}`);
  if (exchange.replay) out.push(`    replay: ${exchange.replay}`);
  return out;
}

function truncate(text: string, max = 300): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
