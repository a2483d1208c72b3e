// Strict mode: reports requests that the OpenAPI document does not describe (an unknown query
// parameter, an unknown body property, a wrong type, a missing required field, a body where the
// operation takes none, an undocumented path or method). The handlers stay tolerant, like the real
// API; strict mode only reports, with the schema path and the rule, so a client bug shows up in the
// test instead of against the real API. Ajv and the document load on the first checked request
// only: a mock without `strict` never loads them. Browser-safe (no node: imports).
import type { ErrorObject, ValidateFunction } from 'ajv';
import type { OperationId } from '../http/routes.ts';
import { redactedQuery } from './request-journal.ts';

export interface StrictViolation {
  /** The request as a line: method, path and query with every token redacted. */
  request: string;
  method: string;
  path: string;
  operation: OperationId | null;
  /**
   * The rule broken: a JSON Schema keyword of the document (`additionalProperties`, `type`,
   * `required`, `enum`, `minimum`, `format`, ...), or `unknown-query-parameter`,
   * `no-request-body`, `invalid-json`, `undocumented-path`, `undocumented-method`.
   */
  rule: string;
  /** JSON pointer into openapi/tokens.yaml (and openapi.json) of the rule, e.g. `#/components/schemas/CreateTokenRequest/additionalProperties`. */
  schemaPath: string;
  /** Where in the request: `query.limit`, `body`, `body/scopes/0`, `path`, `method`. */
  location: string;
  message: string;
}

/**
 * What happens on a violation, after msw's `onUnhandledRequest`: `'error'` (default) throws from the
 * handler (msw answers 500 with the message and prints it; mock.fetch()/handle() reject), `'warn'`
 * prints a warning and answers as usual, a function is called with the violation and the request
 * is answered as usual.
 */
export type OnViolation = 'error' | 'warn' | ((violation: StrictViolation) => void);

export class StrictModeViolationError extends Error {
  readonly violations: readonly StrictViolation[];
  constructor(violations: readonly StrictViolation[]) {
    super(
      `[mapbox-tokens-mock] strict mode: ${violations[0]!.request} is not described by the API document:\n` +
        violations.map((violation) => `  - ${describeViolation(violation)}`).join('\n'),
    );
    this.name = 'StrictModeViolationError';
    this.violations = violations;
  }
}

export function describeViolation(violation: StrictViolation): string {
  return `${violation.location}: ${violation.message} (rule ${violation.rule}, ${violation.schemaPath})`;
}

/** The request as strict mode sees it: the route match (if any) and the body text. */
export interface CheckedRequest {
  method: string;
  url: URL;
  operation: OperationId | null;
  /** True when the path is in the route table (its method may still be undocumented). */
  knownPath: boolean;
  bodyText: string;
}

interface OperationRules {
  pointer: string;
  hasBody: boolean;
  validateQuery: ValidateFunction;
  /** Query parameter name -> pointer of its Parameter object. */
  parameterPointers: Map<string, string>;
  /** Body schema per variant (createToken has two, told apart by `expires`). */
  bodySchemas: Array<{ name: string; when: (body: Record<string, unknown>) => boolean; validate: ValidateFunction }>;
}

type Rules = Map<OperationId, OperationRules>;

let rulesLoading: Promise<Rules> | undefined;

/** Starts loading Ajv and the document (strict mocks call this at creation, so the first request is not slower). */
export function preloadStrictRules(): void {
  rulesLoading ??= loadRules();
  rulesLoading.catch(() => undefined);
}

export async function checkRequest(request: CheckedRequest): Promise<StrictViolation[]> {
  const query = redactedQuery(request.url.searchParams);
  // Unencoded, for reading (the redaction mark stays `sk.…`).
  const queryText = Object.entries(query)
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
  const base = {
    request: `${request.method} ${request.url.pathname}${queryText ? `?${queryText}` : ''}`,
    method: request.method,
    path: request.url.pathname,
    operation: request.operation,
  };
  if (request.method === 'OPTIONS') return [];
  if (!request.knownPath) {
    return [
      {
        ...base,
        rule: 'undocumented-path',
        schemaPath: '#/paths',
        location: 'path',
        message: `no path of the document matches ${request.url.pathname}`,
      },
    ];
  }
  if (request.operation === null) {
    return [
      {
        ...base,
        rule: 'undocumented-method',
        schemaPath: '#/paths',
        location: 'method',
        message: `the path has no ${request.method} operation`,
      },
    ];
  }
  rulesLoading ??= loadRules();
  const rules = (await rulesLoading).get(request.operation)!;
  const violations: StrictViolation[] = [];

  // Query: the first value of each parameter, as the handlers read it (the SDK repeats some).
  const firstValues: Record<string, string> = {};
  for (const [name, value] of request.url.searchParams) if (!(name in firstValues)) firstValues[name] = value;
  if (!rules.validateQuery(firstValues)) {
    for (const error of rules.validateQuery.errors ?? []) violations.push({ ...base, ...queryViolation(error, rules) });
  }

  // Body.
  if (request.bodyText.trim() !== '') {
    if (!rules.hasBody) {
      violations.push({
        ...base,
        rule: 'no-request-body',
        schemaPath: rules.pointer,
        location: 'body',
        message: `${request.operation} takes no request body`,
      });
    } else {
      let body: unknown;
      try {
        body = JSON.parse(request.bodyText);
      } catch {
        violations.push({
          ...base,
          rule: 'invalid-json',
          schemaPath: `${rules.pointer}/requestBody`,
          location: 'body',
          message: 'the body is not JSON',
        });
        return violations;
      }
      const variant =
        typeof body === 'object' && body !== null && !Array.isArray(body)
          ? rules.bodySchemas.find((candidate) => candidate.when(body as Record<string, unknown>))!
          : rules.bodySchemas.at(-1)!;
      if (!variant.validate(body)) {
        for (const error of variant.validate.errors ?? []) violations.push({ ...base, ...bodyViolation(error, variant.name) });
      }
    }
  }
  return violations;
}

function queryViolation(error: ErrorObject, rules: OperationRules): Pick<StrictViolation, 'rule' | 'schemaPath' | 'location' | 'message'> {
  if (error.keyword === 'additionalProperties') {
    const name = String(error.params['additionalProperty']);
    return {
      rule: 'unknown-query-parameter',
      schemaPath: `${rules.pointer}/parameters`,
      location: `query.${name}`,
      message: `unknown query parameter "${name}"`,
    };
  }
  if (error.keyword === 'required') {
    const name = String(error.params['missingProperty']);
    return {
      rule: 'required',
      schemaPath: `${rules.parameterPointers.get(name)}/required`,
      location: `query.${name}`,
      message: `required query parameter "${name}" is missing`,
    };
  }
  // instancePath is /name; schemaPath is #/properties/name/<keyword...>.
  const name = decodePointerToken(error.instancePath.split('/')[1] ?? '');
  const rest = error.schemaPath.replace(/^#\/properties\/[^/]+/, '');
  return {
    rule: error.keyword,
    schemaPath: `${rules.parameterPointers.get(name)}/schema${rest}`,
    location: `query.${name}`,
    message: `query parameter "${name}" ${error.message ?? 'is invalid'}`,
  };
}

function bodyViolation(error: ErrorObject, schemaName: string): Pick<StrictViolation, 'rule' | 'schemaPath' | 'location' | 'message'> {
  const schemaPath = error.schemaPath.startsWith('#/components/')
    ? error.schemaPath
    : `#/components/schemas/${schemaName}${error.schemaPath.slice(1)}`;
  const location = `body${error.instancePath}`;
  if (error.keyword === 'additionalProperties') {
    const name = String(error.params['additionalProperty']);
    return { rule: error.keyword, schemaPath, location, message: `unknown property "${name}" (${schemaName})` };
  }
  if (error.keyword === 'required') {
    const name = String(error.params['missingProperty']);
    return { rule: error.keyword, schemaPath, location, message: `required property "${name}" is missing (${schemaName})` };
  }
  return { rule: error.keyword, schemaPath, location, message: `${location} ${error.message ?? 'is invalid'} (${schemaName})` };
}

function decodePointerToken(token: string): string {
  return token.replace(/~1/g, '/').replace(/~0/g, '~');
}

function encodePointerToken(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

interface DocumentParameter {
  name: string;
  in: string;
  required?: boolean;
  schema?: unknown;
  $ref?: string;
}
interface DocumentOperation {
  operationId: OperationId;
  parameters?: DocumentParameter[];
  security?: Array<Record<string, unknown>>;
  requestBody?: { content?: Record<string, { schema?: { $ref?: string; oneOf?: Array<{ $ref: string }> } }> };
}

async function loadRules(): Promise<Rules> {
  const [{ openapiDocument }, ajvModule, formatsModule] = await Promise.all([
    import('../generated/openapi.ts'),
    import('ajv/dist/2020.js'),
    import('ajv-formats'),
  ]);
  // CommonJS modules: the class/function is on `.default` (once or twice, depending on the loader).
  const unwrap = <T>(module: unknown): T => {
    let value = module as { default?: unknown };
    while (typeof value === 'object' && value !== null && 'default' in value) value = value.default as { default?: unknown };
    return value as T;
  };
  const Ajv2020 = unwrap<typeof import('ajv/dist/2020.js').default>(ajvModule);
  const addFormats = unwrap<typeof import('ajv-formats').default>(formatsModule);
  const document = structuredClone(openapiDocument) as unknown as {
    paths: Record<string, Record<string, unknown>>;
    components: { parameters: Record<string, DocumentParameter> };
  };
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema(document, 'tokens');
  const queryAjv = new Ajv2020({ strict: false, allErrors: true, coerceTypes: true });
  addFormats(queryAjv);

  const resolveParameter = (parameter: DocumentParameter, pointer: string): { parameter: DocumentParameter; pointer: string } => {
    if (parameter.$ref === undefined) return { parameter, pointer };
    const name = parameter.$ref.replace('#/components/parameters/', '');
    return { parameter: document.components.parameters[name]!, pointer: parameter.$ref };
  };

  const rules: Rules = new Map();
  for (const [path, item] of Object.entries(document.paths)) {
    const pathParameters = (item['parameters'] as DocumentParameter[] | undefined) ?? [];
    for (const [method, value] of Object.entries(item)) {
      if (method === 'parameters' || typeof value !== 'object' || value === null || !('operationId' in value)) continue;
      const operation = value as DocumentOperation;
      const pointer = `#/paths/${encodePointerToken(path)}/${method}`;
      const properties: Record<string, unknown> = {};
      const required: string[] = [];
      const parameterPointers = new Map<string, string>();
      const all = [
        ...pathParameters.map((parameter, index) => resolveParameter(parameter, `#/paths/${encodePointerToken(path)}/parameters/${index}`)),
        ...(operation.parameters ?? []).map((parameter, index) => resolveParameter(parameter, `${pointer}/parameters/${index}`)),
      ];
      for (const { parameter, pointer: parameterPointer } of all) {
        if (parameter.in !== 'query') continue;
        properties[parameter.name] = parameter.schema ?? {};
        parameterPointers.set(parameter.name, parameterPointer);
        if (parameter.required) required.push(parameter.name);
      }
      // The security scheme's query parameter (the access token) is documented for every secured operation.
      if (
        (operation.security ?? [{ accessToken: [] }]).some((requirement) => 'accessToken' in requirement) &&
        !('access_token' in properties)
      ) {
        properties['access_token'] = { type: 'string' };
        parameterPointers.set('access_token', '#/components/securitySchemes/accessToken');
      }
      const validateQuery = queryAjv.compile({ type: 'object', properties, required, additionalProperties: false });
      const schema = operation.requestBody?.content?.['application/json']?.schema;
      const refs = schema === undefined ? [] : (schema.oneOf?.map((entry) => entry.$ref) ?? (schema.$ref ? [schema.$ref] : []));
      const bodySchemas = refs.map((ref) => {
        const name = ref.replace('#/components/schemas/', '');
        const validate = ajv.getSchema(`tokens${ref}`);
        if (validate === undefined) throw new Error(`strict mode: the document has no schema ${ref}`);
        // createToken: `expires` selects the temporary variant (x-variants); the permanent one is the fallback.
        const when = name === 'CreateTemporaryTokenRequest' ? (body: Record<string, unknown>) => 'expires' in body : () => true;
        return { name, validate, when };
      });
      bodySchemas.sort((a, b) => Number(a.name === 'CreateTokenRequest') - Number(b.name === 'CreateTokenRequest'));
      rules.set(operation.operationId, { pointer, hasBody: bodySchemas.length > 0, validateQuery, parameterPointers, bodySchemas });
    }
  }
  return rules;
}

/** The violations a strict mock found, oldest first; bounded like the journal (the oldest go first). */
export class ViolationLog {
  readonly #violations: StrictViolation[] = [];
  readonly capacity: number;

  constructor(capacity = 1000) {
    this.capacity = capacity;
  }

  record(violation: StrictViolation): void {
    this.#violations.push(violation);
    if (this.#violations.length > this.capacity) this.#violations.shift();
  }

  all(): StrictViolation[] {
    return [...this.#violations];
  }

  clear(): void {
    this.#violations.length = 0;
  }
}
