// Builds the code generated from the OpenAPI document (openapi/tokens.yaml):
//   src/generated/openapi.ts   the whole document as a JSON constant, plus tables derived from it
//                              (operations, error conditions) so nothing parses YAML at run time;
//   src/generated/api-types.ts TypeScript types from openapi-typescript (`paths`, `components`, …);
//   src/generated/api-tables.ts the small tables the mock runs on (routes, operation ids, required
//                              scopes, success statuses, the error table, query parameters and their
//                              validators), apart from the document so the mock never loads it whole;
//   src/generated/request-validators.ts  Ajv standalone validators of the request body fields, so
//                              neither Ajv nor a schema compile is loaded when the mock starts.
// Usage: node scripts/build-openapi.ts [--check]
//   --check writes nothing and exits 1 when a generated file differs from what the document gives.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import SwaggerParser from '@apidevtools/swagger-parser';
import openapiTS, { astToString } from 'openapi-typescript';
import { Ajv2020 } from 'ajv/dist/2020.js';
import standaloneCodeModule from 'ajv/dist/standalone/index.js';
import addFormatsModule from 'ajv-formats';
import ucs2length from 'ajv/dist/runtime/ucs2length.js';
import { type GeneratedFile, projectRoot, runWhenMain, writeOrCheck } from './lib/generated-files.ts';

export { findStaleFiles, projectRoot, type GeneratedFile } from './lib/generated-files.ts';
export const documentPath = join(projectRoot, 'openapi', 'tokens.yaml');
export const generatedOpenapiPath = join(projectRoot, 'src', 'generated', 'openapi.ts');
export const generatedTypesPath = join(projectRoot, 'src', 'generated', 'api-types.ts');
export const generatedValidatorsPath = join(projectRoot, 'src', 'generated', 'request-validators.ts');
export const generatedTablesPath = join(projectRoot, 'src', 'generated', 'api-tables.ts');

/** The request body schemas (components/schemas) whose fields the mock validates one by one. */
export const requestBodySchemas = ['CreateTokenRequest', 'CreateTemporaryTokenRequest', 'UpdateTokenRequest'] as const;

export type JsonObject = { [key: string]: unknown };

/** The HTTP methods the document uses, in the order operations are listed. */
export const httpMethods = ['get', 'post', 'put', 'patch', 'delete'] as const;

export interface OperationSummary {
  operationId: string;
  method: string;
  path: string;
  summary: string;
  requiredScope: string | null;
  /** The 2xx status the operation answers on success. */
  successStatus: number;
  /** Whether the operation counts against the account's rate limit (it documents a 429). */
  rateLimited: boolean;
}

/** One named example of a response, i.e. one row of the error table (or one retrieve verdict). */
export interface ErrorConditionRow {
  operationId: string;
  method: string;
  path: string;
  status: number;
  conditionId: string;
  message?: string;
  code?: string;
  /** The example body as documented. */
  body: unknown;
  summary: string;
  condition: string;
  source: string;
  /** The message as the reference prints it, where the document deliberately differs (e.g. `Not found`). */
  referenceMessage?: string;
  /** The message pattern where the example message contains a variable part. */
  messageTemplate?: string;
  /** Id of the top-level `x-decisions` entry the condition rests on. */
  decision?: string;
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringField(object: JsonObject, key: string): string | undefined {
  const value = object[key];
  return typeof value === 'string' ? value : undefined;
}

export async function loadDocument(path: string = documentPath): Promise<JsonObject> {
  const parsed: unknown = parseYaml(await readFile(path, 'utf8'));
  if (!isObject(parsed)) throw new Error(`${path}: not a YAML mapping`);
  return parsed;
}

/** Validates against the OpenAPI 3.1 schema and resolves every $ref (on a copy; the input is untouched). */
export async function validateDocument(document: JsonObject): Promise<void> {
  await SwaggerParser.validate(structuredClone(document) as never);
}

/** Follows a local `$ref` (`#/a/b`) through the document, repeatedly, and returns the target. */
export function resolveLocalRef(document: JsonObject, value: unknown): unknown {
  let current = value;
  for (let hops = 0; isObject(current) && typeof current.$ref === 'string'; hops += 1) {
    if (hops > 20) throw new Error(`$ref loop at ${current.$ref}`);
    const ref = current.$ref;
    if (!ref.startsWith('#/')) throw new Error(`only local $refs are supported: ${ref}`);
    let target: unknown = document;
    for (const segment of ref.slice(2).split('/')) {
      const key = segment.replaceAll('~1', '/').replaceAll('~0', '~');
      target = isObject(target) ? target[key] : undefined;
    }
    if (target === undefined) throw new Error(`unresolved $ref ${ref}`);
    current = target;
  }
  return current;
}

export interface OperationEntry {
  path: string;
  method: string;
  operation: JsonObject;
}

export function listOperations(document: JsonObject): OperationEntry[] {
  const entries: OperationEntry[] = [];
  const paths = isObject(document.paths) ? document.paths : {};
  for (const [path, pathItem] of Object.entries(paths)) {
    if (!isObject(pathItem)) continue;
    for (const method of httpMethods) {
      const operation = pathItem[method];
      if (isObject(operation)) entries.push({ path, method, operation });
    }
  }
  return entries;
}

export function summariseOperations(document: JsonObject): OperationSummary[] {
  return listOperations(document).map(({ path, method, operation }) => {
    const responses = isObject(operation.responses) ? operation.responses : {};
    const statuses = Object.keys(responses).map(Number);
    const successStatus = statuses.find((status) => status >= 200 && status < 300);
    const operationId = stringField(operation, 'operationId');
    if (operationId === undefined || successStatus === undefined) {
      throw new Error(`${method.toUpperCase()} ${path}: operationId and a 2xx response are required`);
    }
    const requiredScope = operation['x-required-scope'];
    if (requiredScope !== null && typeof requiredScope !== 'string') {
      throw new Error(`${operationId}: x-required-scope must be a scope or null`);
    }
    return {
      operationId,
      method,
      path,
      summary: stringField(operation, 'summary') ?? operationId,
      requiredScope,
      successStatus,
      rateLimited: statuses.includes(429),
    };
  });
}

/**
 * Every named response example that carries `x-condition`, as a flat table. These are the rows of
 * the error table (plus the retrieve verdicts, which are 200s with a `code`). The contract suite and
 * the docs read this table; its ids are the example keys.
 */
export function collectErrorConditions(document: JsonObject): ErrorConditionRow[] {
  const rows: ErrorConditionRow[] = [];
  for (const { path, method, operation } of listOperations(document)) {
    const operationId = String(operation.operationId);
    const responses = isObject(operation.responses) ? operation.responses : {};
    for (const [statusKey, responseOrRef] of Object.entries(responses)) {
      const response = resolveLocalRef(document, responseOrRef);
      if (!isObject(response) || !isObject(response.content)) continue;
      for (const mediaType of Object.values(response.content)) {
        if (!isObject(mediaType) || !isObject(mediaType.examples)) continue;
        for (const [conditionId, exampleOrRef] of Object.entries(mediaType.examples)) {
          const example = resolveLocalRef(document, exampleOrRef);
          if (!isObject(example)) continue;
          const condition = stringField(example, 'x-condition');
          if (condition === undefined) continue; // a plain example (e.g. a success body), not a condition
          const source = stringField(example, 'x-source');
          if (source === undefined) throw new Error(`${operationId} ${statusKey} ${conditionId}: x-source missing`);
          const body = example.value;
          const row: ErrorConditionRow = {
            operationId,
            method,
            path,
            status: Number(statusKey),
            conditionId,
            body,
            summary: stringField(example, 'summary') ?? conditionId,
            condition,
            source,
          };
          if (isObject(body) && typeof body.message === 'string') row.message = body.message;
          if (isObject(body) && typeof body.code === 'string') row.code = body.code;
          const referenceMessage = stringField(example, 'x-reference-message');
          if (referenceMessage !== undefined) row.referenceMessage = referenceMessage;
          const messageTemplate = stringField(example, 'x-message-template');
          if (messageTemplate !== undefined) row.messageTemplate = messageTemplate;
          const decision = stringField(example, 'x-decision');
          if (decision !== undefined) row.decision = decision;
          rows.push(row);
        }
      }
    }
  }
  return rows;
}

const generatedHeader = (what: string): string =>
  `// Generated by scripts/build-openapi.ts from openapi/tokens.yaml (${what}). Do not edit:\n` +
  `// change the document and run \`node scripts/build-openapi.ts\`.\n`;

function renderOpenapiModule(document: JsonObject): string {
  const json = (value: unknown): string => JSON.stringify(value, null, 2);
  const schemas = isObject(document.components) && isObject(document.components.schemas) ? Object.keys(document.components.schemas) : [];
  return [
    generatedHeader('document, operations, error conditions'),
    "import type { OperationId, OperationRules } from './api-tables.ts';",
    '',
    'export type { OperationId };',
    '',
    '/** The OpenAPI 3.1 document, verbatim (local `$ref`s kept). */',
    `export const openapiDocument = ${json(document)} as const;`,
    '',
    '/** One operation of the document: its rules, with the method and path as the document writes them. */',
    "export interface OperationInfo extends Omit<OperationRules, 'method'> {",
    '  readonly operationId: string;',
    '  readonly method: string;',
    '  readonly summary: string;',
    '}',
    '',
    `const operationTable = ${json(summariseOperations(document))} as const satisfies readonly (OperationInfo & { readonly operationId: OperationId })[];`,
    '',
    '/** The operations in document order. */',
    'export const operations: readonly (OperationInfo & { readonly operationId: OperationId })[] = operationTable;',
    '',
    'export const operationIds: readonly OperationId[] = operations.map((operation) => operation.operationId);',
    '',
    '/** One named response example with `x-condition`: a row of the error table, or a retrieve verdict. */',
    'export interface ErrorCondition {',
    '  readonly operationId: OperationId;',
    '  readonly method: string;',
    '  readonly path: string;',
    '  readonly status: number;',
    '  /** The example key: a stable kebab-case condition id. */',
    '  readonly conditionId: string;',
    '  /** `message` of an error body. */',
    '  readonly message?: string;',
    '  /** `code` of a retrieve verdict (status 200). */',
    '  readonly code?: string;',
    '  readonly body: unknown;',
    '  readonly summary: string;',
    '  /** What triggers the condition. */',
    '  readonly condition: string;',
    '  /** What the condition rests on: reference, SDK docs, tutorial, docs/sources.md §n, mock choice. */',
    '  readonly source: string;',
    '  /** The message as the reference prints it, where the document deliberately differs. */',
    '  readonly referenceMessage?: string;',
    '  /** The message pattern when the message has a variable part (`<name>`). */',
    '  readonly messageTemplate?: string;',
    '  /** Id of the `x-decisions` entry the condition rests on. */',
    '  readonly decision?: string;',
    '}',
    '',
    `const errorConditionTable = ${json(collectErrorConditions(document))} as const satisfies readonly ErrorCondition[];`,
    '',
    "export type ConditionId = (typeof errorConditionTable)[number]['conditionId'];",
    '',
    '/** Every condition of every operation, in document order (operation, status, example order). */',
    'export const errorConditions: readonly (ErrorCondition & { readonly conditionId: ConditionId })[] = errorConditionTable;',
    '',
    `export const schemaNames = ${json(schemas)} as const;`,
    '',
    'export type SchemaName = (typeof schemaNames)[number];',
    '',
    '/** The choices the sources leave open, with the source each rests on (top-level `x-decisions`). */',
    "export const decisions = openapiDocument['x-decisions'];",
    '',
  ].join('\n');
}

async function renderTypesModule(document: JsonObject): Promise<string> {
  const ast = await openapiTS(structuredClone(document) as never, { silent: true });
  return `${generatedHeader('openapi-typescript')}\n${astToString(ast)}`;
}

// ajv-formats, ajv's standalone module and its runtime helpers are CommonJS: under NodeNext the
// function is on `.default` for the types, and Node may hand over either shape at run time.
const interop = <T extends { default: unknown }>(loaded: T): T['default'] =>
  ((loaded as unknown as { default?: unknown }).default ?? loaded) as T['default'];

/**
 * Ajv's "esm" standalone output still `require()`s its runtime helpers (ajv-validator/ajv#2209),
 * which neither browsers nor ESM-only bundles accept. Each known helper is replaced here; any other
 * `require` fails the build rather than shipping code that breaks in a browser.
 */
function replaceRequires(code: string): { code: string; imports: string[] } {
  const imports = new Set<string>();
  const replaced = code
    // The unicode-aware string length, inlined: it is one self-contained function.
    .replaceAll('require("ajv/dist/runtime/ucs2length").default', `(${interop(ucs2length).toString()})`)
    // The date-time format of ajv-formats, imported as ESM (a named export Node and bundlers both see).
    .replaceAll('require("ajv-formats/dist/formats").fullFormats', () => {
      imports.add('import { fullFormats } from "ajv-formats/dist/formats.js";');
      return 'fullFormats';
    });
  const leftover = /require\([^)]*\)/.exec(replaced);
  if (leftover !== null) throw new Error(`request validators: unhandled ${leftover[0]} in Ajv's standalone code`);
  return { code: replaced, imports: [...imports] };
}

/**
 * One Ajv standalone validator per property of each request body schema, compiled with the
 * options src/model/request-validation.ts relies on (draft 2020-12, first error only, the
 * date-time format). The file is plain JS in a .ts file so tsc emits it into dist like the rest.
 */
function renderValidatorsModule(document: JsonObject): string {
  const ajv = new Ajv2020({ strict: false, allErrors: false, code: { source: true, esm: true } });
  interop(addFormatsModule)(ajv, ['date-time']);
  ajv.addSchema(document, 'tokens');
  const schemas = isObject(document.components) && isObject(document.components.schemas) ? document.components.schemas : {};
  const mapping: Record<string, string> = {};
  const table: string[] = [];
  for (const name of requestBodySchemas) {
    const schema = schemas[name];
    if (!isObject(schema) || !isObject(schema.properties)) throw new Error(`components/schemas/${name}: no properties`);
    const fields = Object.keys(schema.properties).map((field) => {
      const exportName = `${name}_${field}`;
      mapping[exportName] = `tokens#/components/schemas/${name}/properties/${field}`;
      return `    ${JSON.stringify(field)}: ${exportName},`;
    });
    table.push(`  ${name}: {`, ...fields, '  },');
  }
  const { code, imports } = replaceRequires(interop(standaloneCodeModule)(ajv, mapping));
  return [
    generatedHeader('Ajv standalone request validators'),
    "// @ts-nocheck -- Ajv's generated JavaScript; request-validation.ts gives it its types.",
    ...imports,
    code,
    '',
    '/** The validator of each property of each request body schema. */',
    'export const requestFieldValidators = {',
    ...table,
    '};',
    '',
  ].join('\n');
}

/** One row of the error table the mock answers from: a condition id and its answer. */
export interface ApiErrorRow {
  status: number;
  message: string;
  /** The message with its variable part as `<name>` (e.g. unknown-property). */
  messageTemplate?: string;
  /** The message as the reference prints it, where the document deliberately differs. */
  referenceMessage?: string;
}

/**
 * The error table by condition id: every error condition of every operation (one status and one
 * message per id, whichever operations share it), then the top-level `x-route-errors` (answers
 * outside any operation). A condition id answered two ways fails the build.
 */
export function collectApiErrors(document: JsonObject): Record<string, ApiErrorRow> {
  const table: Record<string, ApiErrorRow> = {};
  const add = (id: string, row: ApiErrorRow): void => {
    const known = table[id];
    if (known !== undefined && JSON.stringify(known) !== JSON.stringify(row)) {
      throw new Error(`error condition ${id} is answered two ways: ${JSON.stringify(known)} and ${JSON.stringify(row)}`);
    }
    table[id] = row;
  };
  for (const condition of collectErrorConditions(document)) {
    if (condition.message === undefined) continue; // a retrieve verdict (200 with a code)
    const row: ApiErrorRow = { status: condition.status, message: condition.messageTemplate ?? condition.message };
    if (condition.messageTemplate !== undefined) row.messageTemplate = condition.messageTemplate;
    if (condition.referenceMessage !== undefined) row.referenceMessage = condition.referenceMessage;
    add(condition.conditionId, row);
  }
  const routeErrors = isObject(document['x-route-errors']) ? document['x-route-errors'] : {};
  for (const [id, entry] of Object.entries(routeErrors)) {
    if (!isObject(entry) || typeof entry.status !== 'number' || typeof entry.message !== 'string') {
      throw new Error(`x-route-errors/${id}: status (a number) and message (a string) are required`);
    }
    add(id, { status: entry.status, message: entry.message });
  }
  return table;
}

/** The retrieve verdicts: condition id → `code` (the 200 answers of GET /tokens/v2). */
export function collectRetrieveCodes(document: JsonObject): Record<string, string> {
  const codes: Record<string, string> = {};
  for (const condition of collectErrorConditions(document)) {
    if (condition.code !== undefined) codes[condition.conditionId] = condition.code;
  }
  return codes;
}

/** A query parameter as the mock validates it: its enum (booleans as their spellings) or integer bounds. */
export interface QueryParameterRule {
  name: string;
  values?: string[];
  minimum?: number;
  maximum?: number;
  default?: string | number | boolean;
  /** `x-served-maximum`: larger values are accepted and served as this one. */
  servedMaximum?: number;
}

/** The query parameters of each operation that has any (path parameters and security excluded). */
export function collectQueryParameters(document: JsonObject): Record<string, QueryParameterRule[]> {
  const result: Record<string, QueryParameterRule[]> = {};
  for (const { operation } of listOperations(document)) {
    const rules: QueryParameterRule[] = [];
    for (const parameterOrRef of Array.isArray(operation.parameters) ? operation.parameters : []) {
      const parameter = resolveLocalRef(document, parameterOrRef);
      if (!isObject(parameter) || parameter.in !== 'query' || typeof parameter.name !== 'string') continue;
      const schema = isObject(parameter.schema) ? parameter.schema : {};
      const rule: QueryParameterRule = { name: parameter.name };
      if (Array.isArray(schema.enum)) rule.values = schema.enum.map(String);
      if (schema.type === 'boolean') rule.values = ['true', 'false'];
      if (typeof schema.minimum === 'number') rule.minimum = schema.minimum;
      if (typeof schema.maximum === 'number') rule.maximum = schema.maximum;
      const fallback = schema.default;
      if (typeof fallback === 'string' || typeof fallback === 'number' || typeof fallback === 'boolean') rule.default = fallback;
      if (typeof parameter['x-served-maximum'] === 'number') rule.servedMaximum = parameter['x-served-maximum'];
      rules.push(rule);
    }
    if (rules.length > 0) result[String(operation.operationId)] = rules;
  }
  return result;
}

/** `/tokens/v2/{username}` → `/tokens/v2/:username` (msw 2 and 3 and the request core read `:name`). */
export const routePath = (path: string): string => path.replaceAll(/\{([^}]+)\}/g, ':$1');

/** The validator source of one query parameter: a type guard for an enum, a parser for an integer. */
function renderQueryValidator(rule: QueryParameterRule): string {
  const json = JSON.stringify;
  if (rule.values !== undefined) {
    const union = rule.values.map((value) => json(value)).join(' | ');
    return `(value: string): value is ${union} => ${rule.values.map((value) => `value === ${json(value)}`).join(' || ')}`;
  }
  if (rule.minimum !== undefined || rule.maximum !== undefined) {
    // Decimal digits only (no sign, exponent or fraction), at most 12 of them so Number() is exact.
    const bounds = [
      ...(rule.minimum !== undefined ? [`number >= ${rule.minimum}`] : []),
      ...(rule.maximum !== undefined ? [`number <= ${rule.maximum}`] : []),
    ].join(' && ');
    return `(value: string): number | undefined => {\n    if (!/^[0-9]{1,12}$/.test(value)) return undefined;\n    const number = Number(value);\n    return ${bounds} ? number : undefined;\n  }`;
  }
  return '(value: string): value is string => true';
}

/** The small run-time tables of the document: imported by the mock, so kept apart from the document. */
export function renderTablesModule(document: JsonObject): string {
  const json = (value: unknown): string => JSON.stringify(value, null, 2);
  const operations = summariseOperations(document);
  const methods = [...new Set(operations.map((operation) => operation.method.toUpperCase()))];
  const routes: { path: string; operations: Record<string, string> }[] = [];
  for (const operation of operations) {
    const path = routePath(operation.path);
    let route = routes.find((candidate) => candidate.path === path);
    if (route === undefined) {
      route = { path, operations: {} };
      routes.push(route);
    }
    route.operations[operation.method.toUpperCase()] = operation.operationId;
  }
  const rules = Object.fromEntries(
    operations.map((operation) => [
      operation.operationId,
      {
        method: operation.method.toUpperCase(),
        path: routePath(operation.path),
        requiredScope: operation.requiredScope,
        successStatus: operation.successStatus,
        rateLimited: operation.rateLimited,
      },
    ]),
  );
  const pathParams = operations.map((operation) => {
    const names = [...routePath(operation.path).matchAll(/:([A-Za-z_]+)/g)].map((match) => match[1]!);
    const type = names.length === 0 ? 'Record<never, never>' : `{ ${names.map((name) => `readonly ${name}: string`).join('; ')} }`;
    return `  ${operation.operationId}: ${type};`;
  });
  const queryParameters = collectQueryParameters(document);
  const validators = Object.entries(queryParameters).flatMap(([operationId, parameters]) => [
    `  ${operationId}: {`,
    ...parameters.map((rule) => `    ${JSON.stringify(rule.name)}: ${renderQueryValidator(rule).replaceAll('\n', '\n  ')},`),
    '  },',
  ]);
  return [
    generatedHeader('routes, operations, error table, query parameters'),
    '/** The id of each operation of the document. */',
    `export type OperationId = ${operations.map((operation) => JSON.stringify(operation.operationId)).join(' | ')};`,
    '',
    '/** The HTTP methods of the operations. */',
    `export type RouteMethod = ${methods.map((method) => JSON.stringify(method)).join(' | ')};`,
    '',
    'export interface RouteDefinition {',
    '  /** Path template relative to the base URL, with `:name` segments (valid in msw 2 and 3). */',
    '  path: string;',
    '  operations: Partial<Record<RouteMethod, OperationId>>;',
    '}',
    '',
    '/** The one route table: the msw handlers, mock.fetch() and the standalone server all use it. */',
    `export const ROUTES: readonly RouteDefinition[] = ${json(routes)};`,
    '',
    '/** What each operation needs and answers: its route, `x-required-scope` and 2xx status. */',
    'export interface OperationRules {',
    '  readonly method: RouteMethod;',
    '  readonly path: string;',
    '  /** The scope the access token needs; null when the operation needs none. */',
    '  readonly requiredScope: string | null;',
    '  readonly successStatus: number;',
    '  /** Whether requests count against the account rate limit (the operation documents a 429). */',
    '  readonly rateLimited: boolean;',
    '}',
    '',
    `export const OPERATION_RULES = ${json(rules)} as const satisfies Record<OperationId, OperationRules>;`,
    '',
    '/** The path parameters of each operation (the `{name}` segments of its path). */',
    'export interface OperationPathParams {',
    ...pathParams,
    '}',
    '',
    '/**',
    ' * The path of an operation relative to the base URL, each `:name` segment filled with its parameter,',
    ' * percent-encoded; `fill` writes the values otherwise (a replay script puts shell variables there).',
    ' * Every request path of the mock and the contract suite is built here, from the route table.',
    ' */',
    'export function operationPath<O extends OperationId>(',
    '  operation: O,',
    '  params: OperationPathParams[O],',
    '  fill: (value: string) => string = encodeURIComponent,',
    '): string {',
    '  const values: Readonly<Record<string, string>> = params;',
    "  return OPERATION_RULES[operation].path.replaceAll(/:([A-Za-z_]+)/g, (_, name: string) => fill(values[name] ?? ''));",
    '}',
    '',
    '/** A scope some operation requires. */',
    "export type RequiredScope = NonNullable<(typeof OPERATION_RULES)[OperationId]['requiredScope']>;",
    '',
    '/**',
    " * Every error the mock answers, keyed by the stable condition ids of the document's named examples",
    ' * (the contract suite keys on them), then the answers outside any operation (`x-route-errors`).',
    ' */',
    `export const API_ERRORS = ${json(collectApiErrors(document))} as const;`,
    '',
    'export type ApiErrorId = keyof typeof API_ERRORS;',
    '',
    '/** The retrieve verdicts: condition id → `code` of the 200 answer of GET /tokens/v2. */',
    `export const RETRIEVE_CODES = ${json(collectRetrieveCodes(document))} as const;`,
    '',
    '/** The query parameters of each operation: enum values (booleans as spelled), bounds, default. */',
    `export const QUERY_PARAMETERS = ${json(
      Object.fromEntries(
        Object.entries(queryParameters).map(([operationId, parameters]) => [
          operationId,
          Object.fromEntries(parameters.map(({ name, ...rule }) => [name, rule])),
        ]),
      ),
    )} as const;`,
    '',
    '/** One validator per query parameter: a type guard for an enum, a parser (undefined when out of bounds) for an integer. */',
    'export const QUERY_VALIDATORS = {',
    ...validators,
    '} as const;',
    '',
  ].join('\n');
}

export async function renderGeneratedFiles(document?: JsonObject): Promise<GeneratedFile[]> {
  const source = document ?? (await loadDocument());
  await validateDocument(source);
  return [
    { path: generatedOpenapiPath, contents: renderOpenapiModule(source) },
    { path: generatedTypesPath, contents: await renderTypesModule(source) },
    { path: generatedValidatorsPath, contents: renderValidatorsModule(source) },
    { path: generatedTablesPath, contents: renderTablesModule(source) },
  ];
}

async function main(argv: string[]): Promise<number> {
  return writeOrCheck(await renderGeneratedFiles(), argv, {
    what: 'generated files',
    command: 'node scripts/build-openapi.ts',
  });
}

runWhenMain(import.meta.url, main);
