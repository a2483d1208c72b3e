// Shared helpers of the reliability tests: response validation against the OpenAPI document
// (compiled with Ajv from src/generated/openapi.ts), a small HTTP call helper for mock.fetch or a
// real server, and the token-state snapshot that "changes no state" compares.
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ValidateFunction } from 'ajv';
import addFormatsPlugin, { type FormatsPlugin } from 'ajv-formats';
import { openapiDocument } from '../../src/generated/openapi.ts';
import { SCOPE_CATALOGUE, type MockState, type TokensMockCore } from '../../src/index.ts';
import { parseBodyText } from '../handlers/support.ts';

export const PUBLIC_SCOPES: readonly string[] = SCOPE_CATALOGUE.filter((scope) => scope.public).map((scope) => scope.id);
export const SECRET_SCOPES: readonly string[] = SCOPE_CATALOGUE.filter((scope) => !scope.public).map((scope) => scope.id);
export const ALL_SCOPES: readonly string[] = SCOPE_CATALOGUE.map((scope) => scope.id);

const formats = addFormatsPlugin as unknown as FormatsPlugin & { default?: FormatsPlugin };
const ajv = new Ajv2020({ strict: false, allErrors: true });
(formats.default ?? formats)(ajv);
const DOCUMENT_ID = 'tokens';
ajv.addSchema(openapiDocument as unknown as object, DOCUMENT_ID);

type Json = Record<string, any>;
const documentJson = openapiDocument as unknown as Json;
const validators = new Map<string, ValidateFunction | null>();

function follow(node: Json | undefined): Json | undefined {
  let current = node;
  while (current !== undefined && typeof current.$ref === 'string') {
    current = (current.$ref as string)
      .slice(2)
      .split('/')
      .reduce<Json | undefined>((at, key) => at?.[key.replace(/~1/g, '/').replace(/~0/g, '~')], documentJson);
  }
  return current;
}

/** Local `#/...` references of a response schema, made absolute so Ajv resolves them in the added document. */
function absoluteRefs(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(absoluteRefs);
  if (node === null || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node).map(([key, value]) => [
      key,
      key === '$ref' && typeof value === 'string' && value.startsWith('#/') ? `${DOCUMENT_ID}${value}` : absoluteRefs(value),
    ]),
  );
}

/** The document's path template of a concrete path (e.g. /tokens/v2/mockuser -> /tokens/v2/{username}). */
function pathTemplate(pathname: string): string | undefined {
  const segments = pathname.split('/');
  return Object.keys(documentJson.paths).find((template) => {
    const parts = template.split('/');
    return parts.length === segments.length && parts.every((part, i) => part.startsWith('{') || part === segments[i]);
  });
}

/**
 * Problems (empty when none) of a response against the document: the status must be documented
 * for the operation and the body must match that response's JSON schema (or be empty when none).
 */
export function documentProblems(method: string, pathname: string, status: number, bodyText: string): string[] {
  const template = pathTemplate(pathname);
  if (template === undefined) return [`no documented path for ${pathname}`];
  const operation = documentJson.paths[template]?.[method.toLowerCase()];
  if (operation === undefined) return [`no documented operation ${method} ${template}`];
  const key = `${method} ${template} ${status}`;
  if (!validators.has(key)) {
    const response = follow(operation.responses[String(status)]);
    if (response === undefined) return [`status ${status} is not documented for ${method} ${template}`];
    const schema = response.content?.['application/json']?.schema;
    validators.set(key, schema === undefined ? null : ajv.compile(absoluteRefs(schema) as object));
  }
  const validate = validators.get(key)!;
  if (validate === null) return bodyText === '' ? [] : [`no body documented for ${status}, got ${bodyText.slice(0, 200)}`];
  let body: unknown;
  try {
    body = JSON.parse(bodyText);
  } catch {
    return [`body is not JSON: ${bodyText.slice(0, 200)}`];
  }
  return validate(body) ? [] : (validate.errors ?? []).map((error) => `${error.instancePath} ${error.message}`);
}

export interface CallResult {
  status: number;
  headers: Headers;
  text: string;
  body: any;
}

export type FetchLike = (request: Request) => Promise<Response>;

/** One request; `query` values are appended in order (repeats allowed); `rawBody` is sent as is. */
export async function call(
  fetcher: FetchLike,
  baseUrl: string,
  method: string,
  path: string,
  options: { token?: string; query?: Array<[string, string]>; body?: unknown; rawBody?: string | Uint8Array } = {},
): Promise<CallResult> {
  const params = new URLSearchParams(options.query);
  if (options.token !== undefined) params.append('access_token', options.token);
  const search = params.size > 0 ? `?${params}` : '';
  const init: RequestInit = { method };
  if (options.rawBody !== undefined) init.body = options.rawBody as BodyInit;
  else if (options.body !== undefined) init.body = JSON.stringify(options.body);
  const response = await fetcher(new Request(`${baseUrl}${path}${search}`, init));
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, body: parseBodyText(text) };
}

/** Token state without the rate-limit counters (every authenticated request counts, even a rejected one). */
function tokenState(state: MockState): unknown {
  return { accounts: state.accounts, tokens: state.tokens, ids: state.ids, randomState: state.randomState, time: state.timeOffsetMs };
}

/** The state of `mock` as it is now (a settled mock: await a helper first). */
export function stateOf(mock: TokensMockCore): unknown {
  return tokenState(mock.snapshot());
}
