import type { ContractReport } from './types.ts';

/**
 * The report of a run that could not start (exit code 2: usage error, unreachable server, a token
 * lacking a capability), so that every reporter still writes one: JSON with an `error` field,
 * JUnit with one errored test case, human with the one line.
 */
export function errorReport(message: string, init: { baseUrl?: string; username?: string } = {}): ContractReport {
  const now = new Date().toISOString();
  return {
    tool: 'contract-test',
    runId: '',
    baseUrl: init.baseUrl ?? '',
    username: init.username ?? '',
    startedAt: now,
    durationMs: 0,
    requests: 0,
    aborted: false,
    error: message,
    summary: { total: 1, passed: 0, failed: 0, errors: 1, skipped: 0 },
    results: [
      {
        id: 'contract-test.start',
        description: 'the run could start: options, server and token usable',
        tags: [],
        conditions: [],
        documentation: 'contract-test --help',
        status: 'error',
        durationMs: 0,
        failure: { message },
        exchanges: [],
      },
    ],
    cleanup: { deleted: 0, failures: [], remaining: [], untouched: [], clean: true },
  };
}
