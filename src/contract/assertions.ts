import { ContractAssertionError } from './errors.ts';
import type { SchemaName, SchemaValidator } from './schemas.ts';
import type { ApiResponse } from './transport.ts';

/** `GET https://host/tokens/v2/u?access_token=sk.…` as shown in failure messages (redacted by the caller). */
export type Describe = (response: ApiResponse) => string;

export function fail(message: string, details: { expected?: unknown; actual?: unknown } = {}): never {
  throw new ContractAssertionError(message, details);
}

export function expectStatus(response: ApiResponse, expected: number, describe: Describe): void {
  if (response.status === expected) return;
  fail(`${describe(response)}: expected status ${expected}, got ${response.status}${bodyHint(response)}`, {
    expected,
    actual: response.status,
  });
}

/** JSON bodies must say `application/json` (charset, when given, utf-8). */
function expectJsonContentType(response: ApiResponse, describe: Describe): void {
  const contentType = response.headers.get('content-type') ?? '';
  const [mediaType, ...parameters] = contentType.split(';').map((part) => part.trim().toLowerCase());
  const charset = parameters.find((parameter) => parameter.startsWith('charset='));
  if (mediaType === 'application/json' && (!charset || charset === 'charset=utf-8')) return;
  fail(`${describe(response)}: expected Content-Type application/json; charset=utf-8, got ${contentType || '(none)'}`, {
    expected: 'application/json; charset=utf-8',
    actual: contentType,
  });
}

export function expectJsonBody(response: ApiResponse, describe: Describe): unknown {
  expectJsonContentType(response, describe);
  if (response.json === undefined) {
    fail(
      `${describe(response)}: expected a JSON body, got ${response.text.length === 0 ? 'an empty body' : `unparseable text (${response.jsonError ?? ''})`}`,
    );
  }
  return response.json;
}

export function expectSchema(validator: SchemaValidator, schema: SchemaName, body: unknown, context: string): void {
  const errors = validator.errors(schema, body);
  if (errors) fail(`${context}: body does not match schema ${schema}: ${errors}`, { expected: schema, actual: body });
}

export function expectEqual(actual: unknown, expected: unknown, what: string): void {
  if (JSON.stringify(actual) === JSON.stringify(expected)) return;
  fail(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`, { expected, actual });
}

/** Same members, any order. */
export function expectSameSet(actual: readonly unknown[] | undefined, expected: readonly unknown[], what: string): void {
  const sort = (values: readonly unknown[]): string[] => values.map((value) => JSON.stringify(value)).sort();
  if (Array.isArray(actual) && JSON.stringify(sort(actual)) === JSON.stringify(sort(expected))) return;
  fail(`${what}: expected ${JSON.stringify(expected)} (any order), got ${JSON.stringify(actual)}`, { expected, actual });
}

export function expectTrue(condition: boolean, message: string, details: { expected?: unknown; actual?: unknown } = {}): void {
  if (!condition) fail(message, details);
}

function bodyHint(response: ApiResponse): string {
  if (response.text.length === 0) return ' (empty body)';
  const text = response.text.length > 200 ? `${response.text.slice(0, 200)}…` : response.text;
  return ` (body ${text})`;
}
