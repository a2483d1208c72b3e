import type { AnswerSummary } from './lockstep.ts';
import type { ExploreReport } from './explore.ts';

function answer(summary: AnswerSummary): string {
  const headers = Object.entries(summary.headers)
    .map(([name, value]) => `${name}: ${value}`)
    .join(', ');
  return `HTTP ${summary.status}${headers ? ` [${headers}]` : ''} ${summary.body}`;
}

/** The exploration report for people: what ran, and the minimal divergence when there is one. */
export function renderExploreHuman(report: ExploreReport, replayPath?: string): string {
  const lines: string[] = [];
  const { sequences, requests, steps } = report;
  lines.push(
    `contract-test --explore: ${report.target}, seed ${report.seed}`,
    `  ${sequences.run} sequences run (${sequences.generated} generated, ${sequences.completed} completed, ${sequences.inconclusive} inconclusive), ${steps.run} steps, ${steps.skipped} skipped, ${steps.tolerated} tolerated differences`,
    `  ${requests.target} requests to the target${requests.budget === null ? '' : ` (budget ${requests.budget})`}, ${requests.model} answered by the model, ${(report.durationMs / 1000).toFixed(1)} s`,
  );
  if (report.stopped === 'budget')
    lines.push('  stopped: the request budget is spent (raise --max-requests; a larger budget paces itself)');
  if (report.stopped === 'time') lines.push('  stopped: the time limit was reached');
  if (report.stopped === 'aborted') lines.push('  stopped: interrupted');
  if ('embedded' in report.cleanup) lines.push('  cleanup: none needed (embedded mocks are discarded)');
  else {
    const { deleted, failures, remaining } = report.cleanup;
    lines.push(`  cleanup: ${deleted} deleted at the end, ${failures.length} failures, ${remaining.length} remaining`);
    for (const failure of failures) lines.push(`    ${failure.id}: ${failure.reason}`);
    if (remaining.length > 0) lines.push(`    still listed: ${remaining.join(', ')}`);
  }
  const divergence = report.divergence;
  if (divergence === undefined) {
    lines.push(
      '',
      report.stopped === 'done' || report.stopped === 'budget' || report.stopped === 'time' ? 'no divergence from the model' : '',
    );
    return `${lines.join('\n')}\n`;
  }
  lines.push('', `DIVERGENCE at step ${divergence.step.index + 1} of this minimal sequence (${divergence.shrinks} shrinks):`);
  for (const [index, line] of divergence.sequence.entries()) lines.push(`  ${index + 1}. ${line}`);
  lines.push(
    '',
    `step ${divergence.step.index + 1}: ${divergence.step.description}`,
    `  expected (the model): ${answer(divergence.step.model)}`,
    `  actual (the target):  ${answer(divergence.step.target)}`,
    ...divergence.step.deviations.map((deviation) => `  - ${deviation}`),
    '',
    replayPath
      ? `replay it against any server: MAPBOX_BASE_URL=… MAPBOX_USERNAME=… MAPBOX_ACCESS_TOKEN=… bash ${replayPath}`
      : 'replay script:',
  );
  if (!replayPath) lines.push(divergence.replayScript);
  return `${lines.join('\n')}\n`;
}
