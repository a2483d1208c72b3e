// Helpers for the document tests: walk every example in the OpenAPI document, validate examples
// with Ajv (JSON Schema 2020-12, as OpenAPI 3.1 uses), and look things up by operation.
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { isDeepStrictEqual } from 'node:util';
import { isObject, listOperations, resolveLocalRef, type JsonObject } from '../../scripts/build-openapi.ts';

// ajv-formats is CommonJS with `export default`; under NodeNext the default import is the module object.
export const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

/** One example found in the document, with the schema it must satisfy. */
export interface DocumentExample {
  /** Where it sits, e.g. `createToken request example tutorial-uploads` or `schema TokenMetadata example 1`. */
  location: string;
  /** The operation it belongs to, if any. */
  operationId?: string;
  /** `request`, `response <status>`, `parameter <name>`, `header <name>` or `schema <name>`. */
  place: string;
  /** The example key for named examples. */
  key?: string;
  /** The example object's own fields (x-source, x-condition, summary) for named examples. */
  meta?: JsonObject;
  schema: unknown;
  value: unknown;
}

/** Points local refs (`#/…`) of a schema taken out of the document at the document registered as `tokens`. */
function anchorRefs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(anchorRefs);
  if (!isObject(value)) return value;
  const out: JsonObject = {};
  for (const [key, inner] of Object.entries(value)) {
    out[key] = key === '$ref' && typeof inner === 'string' && inner.startsWith('#/') ? `tokens${inner}` : anchorRefs(inner);
  }
  return out;
}

function mediaTypeExamples(
  document: JsonObject,
  mediaType: JsonObject,
  base: Omit<DocumentExample, 'location' | 'value' | 'schema' | 'key' | 'meta'>,
): DocumentExample[] {
  const found: DocumentExample[] = [];
  const prefix = `${base.operationId ?? ''} ${base.place}`.trim();
  if ('example' in mediaType) {
    found.push({ ...base, location: `${prefix} example`, schema: mediaType.schema, value: mediaType.example });
  }
  if (isObject(mediaType.examples)) {
    for (const [key, exampleOrRef] of Object.entries(mediaType.examples)) {
      const example = resolveLocalRef(document, exampleOrRef);
      if (!isObject(example)) continue;
      found.push({ ...base, location: `${prefix} example ${key}`, key, meta: example, schema: mediaType.schema, value: example.value });
    }
  }
  return found;
}

function headerExamples(document: JsonObject, headers: unknown, base: { operationId?: string; where: string }): DocumentExample[] {
  if (!isObject(headers)) return [];
  const found: DocumentExample[] = [];
  for (const [name, headerOrRef] of Object.entries(headers)) {
    const header = resolveLocalRef(document, headerOrRef);
    if (!isObject(header) || !('example' in header)) continue;
    const place = `header ${name}`;
    const location = `${base.operationId ?? 'components'} ${base.where} ${place} example`;
    found.push({
      ...(base.operationId ? { operationId: base.operationId } : {}),
      location,
      place,
      schema: header.schema,
      value: header.example,
    });
  }
  return found;
}

/**
 * Every example the document holds: schema-level `examples` arrays, media-type `example`/`examples`
 * (requests and responses, through $refs), parameter examples and header examples.
 */
export function collectExamples(document: JsonObject): DocumentExample[] {
  const found: DocumentExample[] = [];
  const components = isObject(document.components) ? document.components : {};
  const schemas = isObject(components.schemas) ? components.schemas : {};
  for (const [name, schema] of Object.entries(schemas)) {
    if (!isObject(schema) || !Array.isArray(schema.examples)) continue;
    schema.examples.forEach((value, index) => {
      found.push({
        location: `schema ${name} example ${index + 1}`,
        place: `schema ${name}`,
        schema: { $ref: `#/components/schemas/${name}` },
        value,
      });
    });
  }
  found.push(...headerExamples(document, components.headers, { where: 'headers' }));
  const paths = isObject(document.paths) ? document.paths : {};
  for (const { path, operation } of listOperations(document)) {
    const operationId = String(operation.operationId);
    const pathItem = isObject(paths[path]) ? paths[path] : {};
    const parameters = [
      ...(Array.isArray(pathItem.parameters) ? pathItem.parameters : []),
      ...(Array.isArray(operation.parameters) ? operation.parameters : []),
    ];
    for (const parameterOrRef of parameters) {
      const parameter = resolveLocalRef(document, parameterOrRef);
      if (!isObject(parameter)) continue;
      const place = `parameter ${String(parameter.name)}`;
      found.push(...mediaTypeExamples(document, parameter, { operationId, place }));
    }
    const body = resolveLocalRef(document, operation.requestBody);
    if (isObject(body) && isObject(body.content)) {
      for (const mediaType of Object.values(body.content)) {
        if (isObject(mediaType)) found.push(...mediaTypeExamples(document, mediaType, { operationId, place: 'request' }));
      }
    }
    const responses = isObject(operation.responses) ? operation.responses : {};
    for (const [status, responseOrRef] of Object.entries(responses)) {
      const response = resolveLocalRef(document, responseOrRef);
      if (!isObject(response)) continue;
      found.push(...headerExamples(document, response.headers, { operationId, where: `response ${status}` }));
      const content = isObject(response.content) ? response.content : {};
      for (const mediaType of Object.values(content)) {
        if (isObject(mediaType)) found.push(...mediaTypeExamples(document, mediaType, { operationId, place: `response ${status}` }));
      }
    }
  }
  return found;
}

export interface ExampleFailure {
  location: string;
  errors: string;
}

/** An Ajv 2020-12 instance that knows the document as `tokens`, so `tokens#/components/…` refs resolve. */
export function createDocumentAjv(document: JsonObject): Ajv2020 {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema(document, 'tokens');
  return ajv;
}

function formatErrors(errors: ErrorObject[] | null | undefined): string {
  return (errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message ?? error.keyword}`).join('; ');
}

/** Validates every example against its schema; returns the failures (empty when all are valid). */
export function validateExamples(document: JsonObject, examples: DocumentExample[] = collectExamples(document)): ExampleFailure[] {
  const ajv = createDocumentAjv(document);
  const failures: ExampleFailure[] = [];
  // Many examples share a schema (every Error body); compile each distinct schema once.
  const compiled = new Map<string, ReturnType<Ajv2020['compile']>>();
  for (const example of examples) {
    if (example.schema === undefined) {
      failures.push({ location: example.location, errors: 'no schema to validate against' });
      continue;
    }
    const schema = anchorRefs(example.schema) as object;
    const cacheKey = JSON.stringify(schema);
    const validate = compiled.get(cacheKey) ?? ajv.compile(schema);
    compiled.set(cacheKey, validate);
    if (!validate(example.value)) failures.push({ location: example.location, errors: formatErrors(validate.errors) });
  }
  return failures;
}

/** Whether `value` is deep-equal to any of `candidates` (key order ignored). */
export function containsValue(candidates: unknown[], value: unknown): boolean {
  return candidates.some((candidate) => isDeepStrictEqual(normalise(candidate), normalise(value)));
}

function normalise(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalise);
  if (!isObject(value)) return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, normalise(value[key])]),
  );
}

/** Sets the value at a JSON-pointer-like path of segments in a (cloned) document. */
export function setIn(document: JsonObject, segments: (string | number)[], value: unknown): void {
  let target: unknown = document;
  for (const segment of segments.slice(0, -1)) {
    target = (target as Record<string | number, unknown>)[segment];
  }
  (target as Record<string | number, unknown>)[segments[segments.length - 1]!] = value;
}

/**
 * The segments (for `setIn`) of a place inside the value of a named `application/json` example of an
 * operation's request body (`where` = `request`) or response (`where` = `response <status>`).
 */
export function jsonExampleSegments(
  path: string,
  method: string,
  where: 'request' | `response ${string}`,
  name: string,
  ...inside: (string | number)[]
): (string | number)[] {
  const body = where === 'request' ? ['requestBody'] : ['responses', where.slice('response '.length)];
  return ['paths', path, method, ...body, 'content', 'application/json', 'examples', name, 'value', ...inside];
}
