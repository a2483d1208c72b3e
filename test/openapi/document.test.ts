// The document itself: valid OpenAPI 3.1, the operations and schemas the project relies on, the
// required scope per operation, the x-decisions bookkeeping, and the Ajv usage other modules rely on.
import { describe, expect, it } from 'vitest';
import {
  collectErrorConditions,
  isObject,
  listOperations,
  loadDocument,
  validateDocument,
  type JsonObject,
} from '../../scripts/build-openapi.ts';
import { openapiDocument } from '../../src/generated/openapi.ts';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { addFormats, createDocumentAjv } from './helpers.ts';

const document = await loadDocument();

const expectedOperations = [
  { operationId: 'listTokens', method: 'get', path: '/tokens/v2/{username}', scope: 'tokens:read', success: '200' },
  { operationId: 'createToken', method: 'post', path: '/tokens/v2/{username}', scope: 'tokens:write', success: '200' },
  { operationId: 'updateToken', method: 'patch', path: '/tokens/v2/{username}/{token_id}', scope: 'tokens:write', success: '200' },
  { operationId: 'deleteToken', method: 'delete', path: '/tokens/v2/{username}/{token_id}', scope: 'tokens:write', success: '204' },
  { operationId: 'retrieveToken', method: 'get', path: '/tokens/v2', scope: null, success: '200' },
  { operationId: 'listScopes', method: 'get', path: '/scopes/v1/{username}', scope: 'scopes:list', success: '200' },
];

const requiredSchemaNames = [
  'TokenMetadata',
  'TokenList',
  'CreateTokenRequest',
  'CreateTemporaryTokenRequest',
  'UpdateTokenRequest',
  'TemporaryToken',
  'RetrieveTokenResponse',
  'PermanentTokenClaims',
  'TemporaryTokenClaims',
  'Scope',
  'ScopeList',
  'Error',
];

/** Every `x-decision: <id>` reference anywhere in the document. */
function decisionReferences(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) for (const item of value) decisionReferences(item, found);
  else if (isObject(value)) {
    for (const [key, inner] of Object.entries(value)) {
      if (key === 'x-decision' && typeof inner === 'string') found.push(inner);
      else decisionReferences(inner, found);
    }
  }
  return found;
}

describe('openapi/tokens.yaml', () => {
  it('validates as OpenAPI 3.1.0 with swagger-parser', async () => {
    expect(document.openapi).toBe('3.1.0');
    await expect(validateDocument(document)).resolves.toBeUndefined();
  });

  it('fails swagger-parser validation when broken (the check can fail)', async () => {
    const broken = structuredClone(document) as JsonObject & { paths: JsonObject };
    broken.paths['/tokens/v2'] = { get: { operationId: 'retrieveToken', responses: 'none' } };
    await expect(validateDocument(broken)).rejects.toThrow();
  });

  it('declares https://api.mapbox.com as its server and access_token as an apiKey in the query', () => {
    expect(document.servers).toEqual([expect.objectContaining({ url: 'https://api.mapbox.com' })]);
    expect(openapiDocument.components.securitySchemes.accessToken).toMatchObject({ type: 'apiKey', in: 'query', name: 'access_token' });
  });

  it('has exactly the six operations, each with its method, path, required scope and success status', () => {
    const actual = listOperations(document).map(({ path, method, operation }) => {
      const responses = operation.responses as JsonObject;
      return {
        operationId: operation.operationId,
        method,
        path,
        scope: operation['x-required-scope'],
        success: Object.keys(responses).find((status) => status.startsWith('2')),
      };
    });
    expect(actual).toEqual(expectedOperations);
  });

  it('states the required scope in the security requirement and the description', () => {
    for (const { operation } of listOperations(document)) {
      const scope = operation['x-required-scope'];
      if (scope === null) {
        expect(operation.security).toEqual([]);
        expect(operation.description).toContain('**Required scope:** none');
      } else {
        expect(operation.security).toEqual([{ accessToken: [scope] }]);
        expect(operation.description).toContain(`**Required scope:** \`${String(scope)}\``);
      }
    }
  });

  it('declares the list query parameters with their documented types', () => {
    const parameters = openapiDocument.components.parameters;
    expect(parameters.default.schema).toEqual({ type: 'boolean' });
    expect(parameters.limit.schema).toMatchObject({ type: 'integer', minimum: 1 });
    expect(parameters.sortby.schema.enum).toEqual(['created', 'modified']);
    expect(parameters.usage.schema.enum).toEqual(['pk', 'sk']);
    expect(parameters.start.schema).toEqual({ type: 'string' });
    expect(parameters.retrieve_access_token).toMatchObject({ name: 'access_token', in: 'query', required: true });
  });

  it('names the component schemas the other modules rely on', () => {
    expect(Object.keys(openapiDocument.components.schemas)).toEqual(expect.arrayContaining(requiredSchemaNames));
  });

  it('keeps request bodies strict and the documented fields nullable or enumerated', () => {
    const schemas = openapiDocument.components.schemas;
    expect(schemas.CreateTokenRequest.additionalProperties).toBe(false);
    expect(schemas.CreateTemporaryTokenRequest.additionalProperties).toBe(false);
    expect(schemas.UpdateTokenRequest.additionalProperties).toBe(false);
    expect(schemas.CreateTokenRequest.properties.note.type).toEqual(['string', 'null']);
    expect(schemas.UpdateTokenRequest.properties.allowedUrls.type).toEqual(['array', 'null']);
    expect(schemas.TokenMetadata.properties.usage).toEqual({ $ref: '#/components/schemas/Usage' });
    expect(schemas.Usage.enum).toEqual(['pk', 'sk', 'tk']);
    expect(schemas.TokenMetadata.properties.client.const).toBe('api');
    expect(schemas.RetrieveTokenResponse.properties.code.enum).toEqual([
      'TokenValid',
      'TokenMalformed',
      'TokenInvalid',
      'TokenExpired',
      'TokenRevoked',
    ]);
  });

  it('documents Link on the list page and the rate-limit headers on rate-limited operations', () => {
    const list = openapiDocument.paths['/tokens/v2/{username}'].get.responses['200'];
    expect(Object.keys(list.headers)).toContain('Link');
    for (const { operation } of listOperations(document)) {
      const responses = operation.responses as JsonObject;
      const rateLimited = operation['x-required-scope'] !== null;
      expect('429' in responses).toBe(rateLimited);
      const success = Object.entries(responses).find(([status]) => status.startsWith('2'))![1] as JsonObject;
      const headers = isObject(success.headers)
        ? success.headers
        : ((openapiDocument.components.responses as JsonObject)[String(success.$ref).split('/').pop()!] as JsonObject).headers;
      expect(Object.keys(headers as JsonObject).includes('X-Rate-Limit-Reset')).toBe(rateLimited);
    }
  });

  it('lists x-decisions with id, choice, source and rationale, and every x-decision reference resolves', () => {
    const decisions = document['x-decisions'];
    expect(Array.isArray(decisions)).toBe(true);
    const ids = (decisions as JsonObject[]).map((decision) => decision.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const decision of decisions as JsonObject[]) {
      for (const field of ['id', 'choice', 'source', 'rationale'])
        expect(typeof decision[field], `${String(decision.id)}.${field}`).toBe('string');
    }
    const references = decisionReferences({ ...document, 'x-decisions': [] });
    expect(references.length).toBeGreaterThan(20);
    expect(references.filter((id) => !ids.includes(id))).toEqual([]);
    // The choices the issue names explicitly are among them.
    expect(ids).toEqual(
      expect.arrayContaining([
        'create-status',
        'not-found-capitalisation',
        'missing-token-status',
        'temporary-response-fields',
        'limit-bounds',
        'rate-limit',
      ]),
    );
  });

  it('gives every condition a one-line trigger and a source of a known kind', () => {
    const sourceKind = /^(reference|SDK docs|tutorial|docs\/sources\.md|mock choice)/;
    for (const row of collectErrorConditions(document)) {
      expect(row.condition.length, row.conditionId).toBeGreaterThan(10);
      expect(row.condition).not.toContain('\n');
      expect(row.source, `${row.operationId} ${row.conditionId}`).toMatch(sourceKind);
      expect(row.conditionId).toMatch(/^[a-z]+(-[a-z]+)*$/);
    }
  });

  it('references every shared example in components (none is left unchecked)', () => {
    const serialised = JSON.stringify(document.paths) + JSON.stringify((document.components as JsonObject).responses);
    for (const name of Object.keys(openapiDocument.components.examples)) {
      expect(serialised, name).toContain(`"#/components/examples/${name}"`);
    }
  });

  it('serves schemas to Ajv as the handlers and the contract suite use them (addSchema(document, "tokens") + getSchema)', () => {
    // The same calls the handlers and the contract suite make, on the generated constant.
    const ajv = new Ajv2020({ strict: false });
    addFormats(ajv);
    ajv.addSchema(openapiDocument, 'tokens');
    const tokenList = ajv.getSchema('tokens#/components/schemas/TokenList');
    expect(tokenList).toBeTypeOf('function');
    const listed = {
      id: 'x',
      usage: 'sk',
      client: 'api',
      default: false,
      scopes: [],
      note: null,
      created: '2026-01-01T00:00:00.000Z',
      modified: '2026-01-01T00:00:00.000Z',
    };
    expect(tokenList!([listed])).toBe(true);
    // An sk token listed with its secret string breaks the documented rule.
    expect(tokenList!([{ ...listed, token: 'sk.x.y' }])).toBe(false);
    const error = ajv.getSchema('tokens#/components/schemas/Error')!;
    expect(error({ message: 'Not Found' })).toBe(true);
    expect(error({ message: 'Not Found', code: 1 })).toBe(false);
    const created = ajv.getSchema('tokens#/components/schemas/CreatedTokenMetadata')!;
    expect(created(listed)).toBe(false);
    const claims = ajv.getSchema('tokens#/components/schemas/RetrieveTokenResponse')!;
    expect(claims({ code: 'TokenValid', token: { usage: 'tk', user: 'u', authorization: 'a' } })).toBe(false);
    expect(claims({ code: 'TokenMalformed' })).toBe(true);
  });

  it('tells the two create request shapes apart by expires', () => {
    const ajv = createDocumentAjv(openapiDocument as unknown as JsonObject);
    const permanent = ajv.getSchema('tokens#/components/schemas/CreateTokenRequest')!;
    const temporary = ajv.getSchema('tokens#/components/schemas/CreateTemporaryTokenRequest')!;
    const permanentBody = { note: null, scopes: ['styles:read'], allowedUrls: ['https://example.com'] };
    const temporaryBody = { expires: '2026-11-22T12:00:00Z', scopes: ['styles:read'], note: 'ignored' };
    expect([permanent(permanentBody), temporary(permanentBody)]).toEqual([true, false]);
    expect([permanent(temporaryBody), temporary(temporaryBody)]).toEqual([false, true]);
    expect(temporary({ ...temporaryBody, allowedUrls: ['https://example.com'] })).toBe(false);
    expect(permanent({ scopes: ['styles:read'], resources: [] })).toBe(false);
  });
});
