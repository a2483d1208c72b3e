import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ValidateFunction } from 'ajv';
import addFormatsPlugin, { type FormatsPlugin } from 'ajv-formats';
import { openapiDocument } from '../../src/generated/openapi.ts';

/** Validates response bodies against the OpenAPI document's response schemas (compiled once each). */
const loaded = addFormatsPlugin as unknown as FormatsPlugin & { default?: FormatsPlugin };
const ajv = new Ajv2020({ strict: false, allErrors: true });
(loaded.default ?? loaded)(ajv);
ajv.addSchema(openapiDocument as unknown as object, 'tokens');

const document = openapiDocument as any;
const cache = new Map<string, ValidateFunction | null>();

function resolve(node: any): any {
  while (node && typeof node.$ref === 'string') {
    node = node.$ref
      .slice(2)
      .split('/')
      .reduce((at: any, key: string) => at[key.replace(/~1/g, '/').replace(/~0/g, '~')], document);
  }
  return node;
}

function rewriteRefs(node: any): any {
  if (Array.isArray(node)) return node.map(rewriteRefs);
  if (node === null || typeof node !== 'object') return node;
  const out: any = {};
  for (const [key, value] of Object.entries(node)) {
    out[key] = key === '$ref' && typeof value === 'string' && value.startsWith('#/') ? `tokens${value}` : rewriteRefs(value);
  }
  return out;
}

/** null when the document declares no JSON body for that response (e.g. 204). */
function responseValidator(method: string, path: string, status: number): ValidateFunction | null {
  const key = `${method} ${path} ${status}`;
  if (!cache.has(key)) {
    const operation = document.paths[path]?.[method.toLowerCase()];
    if (operation === undefined) throw new Error(`No operation ${method} ${path} in the document`);
    const response = resolve(operation.responses[String(status)]);
    if (response === undefined) throw new Error(`The document declares no ${status} response for ${method} ${path}`);
    const schema = response.content?.['application/json']?.schema;
    cache.set(key, schema === undefined ? null : ajv.compile(rewriteRefs(schema)));
  }
  return cache.get(key)!;
}

/** Errors (empty when valid) of a body against the documented response of that status. */
export function responseErrors(method: string, path: string, status: number, body: unknown): string[] {
  const validate = responseValidator(method, path, status);
  if (validate === null) return body === null ? [] : [`no body expected for ${status}, got ${JSON.stringify(body)}`];
  return validate(body) ? [] : (validate.errors ?? []).map((error) => `${error.instancePath} ${error.message}`);
}

export interface DocumentedErrorRow {
  operationId: string;
  method: string;
  path: string;
  status: number;
  conditionId: string;
  body: Record<string, unknown>;
}

export { errorConditions } from '../../src/generated/openapi.ts';
