import { statementsOfCheck } from '../report-coverage.ts';
import type { CheckResult, ContractReport } from '../types.ts';

/** JUnit XML (one testsuite, one testcase per check, classname = contract.<area>) for CI. */
export function renderJunit(report: ContractReport): string {
  const { summary } = report;
  const seconds = (ms: number): string => (ms / 1000).toFixed(3);
  const attrs = `tests="${summary.total}" failures="${summary.failed}" errors="${summary.errors}" skipped="${summary.skipped}" time="${seconds(report.durationMs)}"`;
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="contract-test" ${attrs}>`,
    `  <testsuite name="contract-test ${escapeXml(report.baseUrl)}" ${attrs} timestamp="${escapeXml(report.startedAt)}">`,
    '    <properties>',
    `      <property name="runId" value="${escapeXml(report.runId)}"/>`,
    `      <property name="baseUrl" value="${escapeXml(report.baseUrl)}"/>`,
    `      <property name="requests" value="${report.requests}"/>`,
    ...(report.coverage
      ? [
          `      <property name="statementsExercised" value="${report.coverage.statements.exercised}/${report.coverage.statements.checkable}"/>`,
          `      <property name="conditionsExercised" value="${report.coverage.conditions.exercised}/${report.coverage.conditions.total}"/>`,
        ]
      : []),
    '    </properties>',
    ...report.results.flatMap((result) => testcase(result, seconds)),
    '  </testsuite>',
    '</testsuites>',
  ];
  return `${lines.join('\n')}\n`;
}

function testcase(result: CheckResult, seconds: (ms: number) => string): string[] {
  const area = result.id.split('.')[0] ?? 'contract';
  const open = `    <testcase classname="contract.${escapeXml(area)}" name="${escapeXml(result.id)}" time="${seconds(result.durationMs)}">`;
  // What the check enforces and whether this run exercised it (a skipped check did not).
  const exercised = result.status === 'passed' || result.status === 'failed';
  const properties = [
    ...statementsOfCheck(result.id).map((id) => `        <property name="statement" value="${escapeXml(id)}"/>`),
    ...result.conditions.map((id) => `        <property name="condition" value="${escapeXml(id)}"/>`),
    `        <property name="exercised" value="${exercised}"/>`,
  ];
  const head = [open, '      <properties>', ...properties, '      </properties>'];
  if (result.status === 'passed') return [...head, '    </testcase>'];
  if (result.status === 'skipped') return [...head, `      <skipped message="${escapeXml(result.skipReason ?? '')}"/>`, '    </testcase>'];
  const element = result.status === 'failed' ? 'failure' : 'error';
  const details = [
    result.description,
    `enforces: ${result.documentation}${result.conditions.length ? ` [${result.conditions.join(', ')}]` : ''}`,
    ...result.exchanges.map(
      (exchange) =>
        `${exchange.request.method} ${exchange.request.url} -> ${exchange.response ? `${exchange.response.status} ${exchange.response.body}` : (exchange.error ?? '')}${exchange.replay ? `\n  replay: ${exchange.replay}` : ''}`,
    ),
  ].join('\n');
  return [
    ...head,
    `      <${element} message="${escapeXml(result.failure?.message ?? '')}" type="${element === 'failure' ? 'ContractAssertionError' : 'Error'}">${escapeXml(details)}</${element}>`,
    '    </testcase>',
  ];
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: the control characters are exactly what XML 1.0 forbids.
const XML_FORBIDDEN = /[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Escapes XML text and attribute values, dropping characters XML 1.0 forbids. */
function escapeXml(text: string): string {
  return text
    .replace(XML_FORBIDDEN, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}
