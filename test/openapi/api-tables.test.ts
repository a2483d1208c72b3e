// src/generated/api-tables.ts says what the document says: its routes, scopes, statuses, error
// rows and query rules come from openapi/tokens.yaml, and a new operation or error row in the
// document reaches them with no other edit.
import { describe, expect, it } from 'vitest';
import { collectApiErrors, loadDocument, renderTablesModule, type JsonObject } from '../../scripts/build-openapi.ts';
import { API_ERRORS, OPERATION_RULES, QUERY_PARAMETERS, QUERY_VALIDATORS, RETRIEVE_CODES, ROUTES } from '../../src/generated/api-tables.ts';
import { operations } from '../../src/generated/openapi.ts';

const document = await loadDocument();

describe('the generated tables', () => {
  it('route every operation of the document, and only those', () => {
    const routed = ROUTES.flatMap((route) => Object.entries(route.operations).map(([method, id]) => `${method} ${route.path} ${id}`));
    expect(routed.sort()).toEqual(
      operations
        .map(
          (operation) => `${operation.method.toUpperCase()} ${operation.path.replaceAll(/\{([^}]+)\}/g, ':$1')} ${operation.operationId}`,
        )
        .sort(),
    );
  });

  it('give each operation its x-required-scope and 2xx status', () => {
    for (const operation of operations) {
      expect(OPERATION_RULES[operation.operationId]).toMatchObject({
        requiredScope: operation.requiredScope,
        successStatus: operation.successStatus,
      });
    }
    expect(OPERATION_RULES.deleteToken.successStatus).toBe(204);
    expect(OPERATION_RULES.retrieveToken.requiredScope).toBeNull();
  });

  it('hold each error row once, with the documented status and message, and the retrieve codes', () => {
    expect(API_ERRORS['missing-scope']).toEqual({ status: 404, message: 'Not Found', referenceMessage: 'Not found' });
    expect(API_ERRORS['unknown-property'].messageTemplate).toBe('Invalid request body: unknown property "<name>"');
    expect(API_ERRORS['method-not-allowed']).toEqual({ status: 405, message: 'Method Not Allowed' });
    expect(RETRIEVE_CODES['token-revoked']).toBe('TokenRevoked');
  });

  it('validate the query parameters as the document bounds them', () => {
    const list = QUERY_VALIDATORS.listTokens;
    expect([list.usage('pk'), list.usage('sk'), list.usage('tk')]).toEqual([true, true, false]);
    expect([list.default('true'), list.default('false'), list.default('1')]).toEqual([true, true, false]);
    expect([list.sortby('created'), list.sortby('modified'), list.sortby('id')]).toEqual([true, true, false]);
    expect(['1', '250', '0', '-1', '1e3', '2.5', '', '1234567890123'].map((value) => list.limit(value))).toEqual([
      1,
      250,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
    expect(QUERY_PARAMETERS.listTokens.limit).toEqual({ minimum: 1, default: 100, servedMaximum: 100 });
    expect(QUERY_PARAMETERS.listTokens.sortby.default).toBe('created');
  });
});

describe('one edit to the document', () => {
  it('adds an operation: its route, scope, status and error rows', () => {
    const changed = structuredClone(document) as JsonObject & { paths: Record<string, unknown> };
    changed.paths['/styles/v1/{username}'] = {
      get: {
        operationId: 'listStyles',
        'x-required-scope': 'styles:list',
        responses: {
          '200': { description: 'ok' },
          '403': {
            description: 'refused',
            content: {
              'application/json': {
                examples: {
                  'styles-locked': {
                    value: { message: 'styles are locked' },
                    'x-condition': 'locked',
                    'x-source': 'test',
                  },
                },
              },
            },
          },
        },
      },
    };
    const module = renderTablesModule(changed);
    expect(module).toContain('"listScopes" | "listStyles"');
    expect(module).toMatch(/"path": "\/styles\/v1\/:username",\s+"operations": \{\s+"GET": "listStyles"/);
    expect(module).toMatch(
      /"listStyles": \{\s+"method": "GET",\s+"path": "\/styles\/v1\/:username",\s+"requiredScope": "styles:list",\s+"successStatus": 200/,
    );
    expect(collectApiErrors(changed)['styles-locked']).toEqual({ status: 403, message: 'styles are locked' });
  });

  it('cannot answer one condition two ways', () => {
    const changed = structuredClone(document);
    const routeErrors = changed['x-route-errors'] as Record<string, { status: number; message: string }>;
    routeErrors['missing-token'] = { status: 401, message: 'Who are you?' };
    expect(() => collectApiErrors(changed)).toThrow(/missing-token is answered two ways/);
  });
});
