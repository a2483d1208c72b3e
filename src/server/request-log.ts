// `tokens-mock --log`: one line per request (method, path with tokens redacted, status, duration),
// as text or as JSON. The query's tokens never reach the log; the admin token travels in a header,
// which is never logged.
import { redactedQuery } from '../mock/request-journal.ts';

export type LogFormat = 'text' | 'json';

export interface RequestLogRecord {
  method: string;
  /** Path and query, every token redacted to its kind (`sk.…`). */
  path: string;
  status: number;
  ms: number;
}

export function redactedTarget(url: URL): string {
  const query = Object.entries(redactedQuery(url.searchParams))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
  return `${url.pathname}${query ? `?${query}` : ''}`;
}

export function formatRequestLog(record: RequestLogRecord, format: LogFormat): string {
  if (format === 'json') return JSON.stringify(record);
  return `${record.method} ${record.path} ${record.status} ${record.ms}ms`;
}

export function parseLogFormat(value: string): LogFormat {
  const format = value.trim().toLowerCase();
  if (format !== 'text' && format !== 'json') throw new Error('The log format must be "text" or "json"');
  return format;
}
