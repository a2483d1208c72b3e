import { describe, expect, it } from 'vitest';
import {
  createHumanProgress,
  renderHuman,
  renderJson,
  renderJunit,
  type ContractReport,
  type ProgressEvent,
} from '../../src/contract/index.ts';

function sampleReport(): ContractReport {
  const base = {
    tags: ['list', 'listTokens'],
    conditions: ['bad-usage'],
    documentation: 'reference errors table: `usage must be pk or sk` 422',
    durationMs: 3,
  };
  return {
    tool: 'contract-test',
    runId: '20260101T000000-abcdef',
    baseUrl: 'http://127.0.0.1:4010',
    username: 'mockuser',
    startedAt: '2026-01-01T00:00:00.000Z',
    durationMs: 1234,
    requests: 12,
    aborted: false,
    summary: { total: 4, passed: 1, failed: 1, errors: 1, skipped: 1 },
    results: [
      { ...base, id: 'list.bad-usage', description: 'usage=tk is refused', status: 'passed', exchanges: [] },
      {
        ...base,
        id: 'list.invalid-start',
        description: 'a bad <start> & friends',
        status: 'failed',
        failure: {
          message: 'GET /tokens/v2/u?start=x&access_token=sk.…: expected status 500, got 200 "quoted" <tag>',
          expected: 500,
          actual: 200,
        },
        exchanges: [
          {
            request: { method: 'GET', url: 'http://127.0.0.1:4010/tokens/v2/u?start=x&access_token=sk.…' },
            response: { status: 200, headers: {}, body: '[]' },
            durationMs: 1,
          },
        ],
      },
      {
        ...base,
        id: 'list.bad-limit',
        description: 'limit=0',
        status: 'error',
        failure: { message: 'precondition pk failed: \u0001 control char' },
        exchanges: [],
      },
      { ...base, id: 'auth.other-user', description: 'other user', status: 'skipped', skipReason: 'needs otherUsername', exchanges: [] },
    ],
    cleanup: { deleted: 3, failures: [], remaining: [], untouched: [], clean: true },
  };
}

/** A strict-enough XML 1.0 well-formedness check: one root, balanced tags, quoted attributes, escaped text. */
function assertWellFormedXml(xml: string): string[] {
  const body = xml.replace(/^<\?xml version="1\.0" encoding="UTF-8"\?>\n/, '');
  expect(body).not.toBe(xml);
  const stack: string[] = [];
  const names: string[] = [];
  const token = /<\/([A-Za-z_][\w.-]*)\s*>|<([A-Za-z_][\w.-]*)((?:\s+[A-Za-z_][\w.-]*="[^"<]*")*)\s*(\/?)>|([^<]+)/gy;
  let roots = 0;
  let consumed = 0;
  for (let match = token.exec(body); match !== null; match = token.exec(body)) {
    consumed = token.lastIndex;
    const [, close, open, attributes, selfClosing, text] = match;
    if (text !== undefined) {
      expect(text.replace(/&(amp|lt|gt|quot|apos);/g, '')).not.toMatch(/[&<>]/);
      if (stack.length === 0) expect(text.trim()).toBe('');
      continue;
    }
    if (close) {
      expect(stack.pop()).toBe(close);
      continue;
    }
    for (const value of (attributes ?? '').matchAll(/="([^"]*)"/g))
      expect(value[1]!.replace(/&(amp|lt|gt|quot|apos);/g, '')).not.toMatch(/[&<>]/);
    if (stack.length === 0) roots += 1;
    names.push(open!);
    if (!selfClosing) stack.push(open!);
  }
  expect(consumed).toBe(body.length);
  expect(stack).toEqual([]);
  expect(roots).toBe(1);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the test looks for exactly the control characters XML forbids.
  expect(xml).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/);
  return names;
}

describe('reporters', () => {
  it('json is one parseable document equal to the report', () => {
    const report = sampleReport();
    expect(JSON.parse(renderJson(report))).toEqual(report);
  });

  it('junit is well-formed XML with one testcase per check and failure, error and skipped elements', () => {
    const xml = renderJunit(sampleReport());
    const names = assertWellFormedXml(xml);
    expect(names.filter((name) => name === 'testcase')).toHaveLength(4);
    expect(names.filter((name) => name === 'failure')).toHaveLength(1);
    expect(names.filter((name) => name === 'error')).toHaveLength(1);
    expect(names.filter((name) => name === 'skipped')).toHaveLength(1);
    expect(xml).toContain('<testsuites name="contract-test" tests="4" failures="1" errors="1" skipped="1" time="1.234">');
    expect(xml).toContain('name="list.invalid-start"');
    expect(xml).toContain('expected status 500, got 200 &quot;quoted&quot; &lt;tag&gt;');
  });

  it('human summary names each failure with the row it enforces and its exchanges, then the totals', () => {
    const text = renderHuman(sampleReport());
    expect(text).toContain('✗ list.invalid-start — a bad <start> & friends');
    expect(text).toContain('enforces: reference errors table: `usage must be pk or sk` 422 [bad-usage]');
    expect(text).toContain('→ GET http://127.0.0.1:4010/tokens/v2/u?start=x&access_token=sk.…');
    expect(text).toContain('← 200 []');
    expect(text).toContain('1 passed, 1 failed, 1 errors, 1 skipped of 4 checks in 1.2 s (12 requests)');
    expect(text).toContain('cleanup: deleted 3 token(s) created by run 20260101T000000-abcdef');
    expect(text).not.toContain('list.bad-usage —');
  });

  it('human progress without a terminal prints one line per check group once the group has ended', () => {
    const lines: string[] = [];
    const progress = createHumanProgress((text) => lines.push(text));
    const report = sampleReport();
    const events: ProgressEvent[] = [
      { type: 'run-start', runId: report.runId, baseUrl: report.baseUrl, total: 4, ids: report.results.map((result) => result.id) },
      ...report.results.map((result): ProgressEvent => ({ type: 'check-end', result })),
    ];
    events.forEach(progress);
    expect(lines).toEqual([
      'contract-test 20260101T000000-abcdef: 4 checks against http://127.0.0.1:4010\n',
      'list: 1 passed, 1 failed (list.invalid-start), 1 errors (list.bad-limit)\n',
      'auth: 1 skipped (auth.other-user)\n',
    ]);
  });

  it('human progress on a terminal shows checks done out of total and the current check, failures as they happen', () => {
    const lines: string[] = [];
    const progress = createHumanProgress((text) => lines.push(text), { tty: true });
    const report = sampleReport();
    progress({ type: 'run-start', runId: report.runId, baseUrl: report.baseUrl, total: 4, ids: report.results.map((result) => result.id) });
    for (const result of report.results) {
      progress({ type: 'check-start', id: result.id });
      progress({ type: 'check-end', result });
    }
    const text = lines.join('');
    expect(text).toContain('[0/4] list.bad-usage');
    expect(text).toContain('[2/4] list.bad-limit');
    expect(text).toContain('\r\x1b[2K✗ list.invalid-start: GET /tokens/v2/u?start=x&access_token=sk.…');
    expect(text).not.toContain('✓');
  });
});
