// The OpenAPI document of tokens-mock's control surface (/__admin/), served at
// /__admin/openapi.json and rendered as its own section of docs/api.md by scripts/build-docs.ts.
// It describes the mock's own endpoints, not the Mapbox API, so it lives apart from openapi/tokens.yaml.

const message = { type: 'object', required: ['message'], properties: { message: { type: 'string' } } } as const;
const json = (schema: unknown, description: string) => ({ description, content: { 'application/json': { schema } } });
const jsonBody = (schema: unknown, required = true) => ({ required, content: { 'application/json': { schema } } });
const error = (description: string) => json({ $ref: '#/components/schemas/Message' }, description);
const noContent = { description: 'Done.' } as const;
const unauthorized = error('The server has an admin token and the request did not send it as `Authorization: Bearer <token>`.');

export const ADMIN_BASE_PATH = '/__admin';

export const adminOpenapiDocument = {
  openapi: '3.1.0',
  info: {
    title: 'tokens-mock control surface',
    version: '1',
    description:
      'HTTP endpoints to drive a running `tokens-mock` from any language: reset, isolated accounts, the clock, ' +
      'state snapshots, faults, the request journal and strict-mode violations.\n\n' +
      '**Availability.** On by default only when the server listens on a loopback address (127.0.0.1, ::1, ' +
      'localhost). On any other address it is off unless `--admin-token` is given; `--no-admin` always turns it off. ' +
      'When off, these paths answer 404 like any unknown path.\n\n' +
      '**Authentication.** With `--admin-token`, every request needs `Authorization: Bearer <token>` (401 otherwise).\n\n' +
      "**Side effects.** Control requests never count against an account's rate limit and never appear in the journal.",
  },
  servers: [{ url: 'http://127.0.0.1:4010' }],
  security: [{}, { adminToken: [] }],
  paths: {
    '/__admin/openapi.json': {
      get: {
        operationId: 'adminOpenapi',
        summary: 'This document',
        responses: { 200: json({ type: 'object' }, "The control surface's OpenAPI document."), 401: unauthorized },
      },
    },
    '/__admin/reset': {
      post: {
        operationId: 'adminReset',
        summary: 'Back to the initial state',
        description: 'Initial accounts, tokens, clock offset and faults, as at start; empties the journal and the violations.',
        responses: { 204: noContent, 401: unauthorized },
      },
    },
    '/__admin/accounts': {
      post: {
        operationId: 'adminCreateAccount',
        summary: 'A new, isolated account',
        description:
          'Parallel CI jobs sharing one server each take their own account: its tokens, journal entries and rate-limit window are its own.',
        requestBody: jsonBody({ $ref: '#/components/schemas/AccountRequest' }, false),
        responses: {
          201: json({ $ref: '#/components/schemas/Account' }, 'The account and its two initial tokens.'),
          400: error('The body is not a JSON object of the documented shape.'),
          401: unauthorized,
          409: error('An account with that username exists.'),
        },
      },
    },
    '/__admin/clock': {
      get: {
        operationId: 'adminGetClock',
        summary: 'Mock time',
        responses: { 200: json({ $ref: '#/components/schemas/Clock' }, 'Mock time.'), 401: unauthorized },
      },
      post: {
        operationId: 'adminSetClock',
        summary: 'Advance mock time, or set it to an instant',
        description: 'Expires temporary tokens and rolls rate-limit windows without waiting. Give exactly one of `advance` and `at`.',
        requestBody: jsonBody({ $ref: '#/components/schemas/ClockChange' }),
        responses: {
          200: json({ $ref: '#/components/schemas/Clock' }, 'Mock time after the change.'),
          400: error('Neither or both of `advance` and `at`, or an unreadable value.'),
          401: unauthorized,
        },
      },
    },
    '/__admin/state': {
      get: {
        operationId: 'adminGetState',
        summary: 'Snapshot of the whole state',
        description: "In the `--state` file's format (it holds the signing key).",
        responses: { 200: json({ type: 'object' }, 'The state.'), 401: unauthorized },
      },
      put: {
        operationId: 'adminPutState',
        summary: 'Restore a snapshot',
        requestBody: jsonBody({ type: 'object' }),
        responses: { 204: noContent, 400: error('Not a state snapshot; the current state is kept.'), 401: unauthorized },
      },
    },
    '/__admin/faults': {
      get: {
        operationId: 'adminGetFaults',
        summary: 'Faults in effect, and every fault available',
        responses: { 200: json({ $ref: '#/components/schemas/Faults' }, 'The faults.'), 401: unauthorized },
      },
      put: {
        operationId: 'adminPutFaults',
        summary: 'Replace the faults in effect',
        description: '`{"active": []}` turns every fault off.',
        requestBody: jsonBody({ $ref: '#/components/schemas/FaultChange' }),
        responses: {
          200: json({ $ref: '#/components/schemas/Faults' }, 'The faults after the change.'),
          400: error('An unknown fault name or a malformed body; nothing changes.'),
          401: unauthorized,
        },
      },
    },
    '/__admin/requests': {
      get: {
        operationId: 'adminGetRequests',
        summary: 'The request journal, oldest first',
        description:
          'The last `--journal-size` requests to the API (never control requests). Query tokens are redacted to their kind (`sk.…`). ' +
          'Filters combine: to check that an app created exactly one token, ask for `?account=NAME&operation=createToken&status=200` and expect `count` 1.',
        parameters: [
          { name: 'account', in: 'query', schema: { type: 'string' }, description: 'The account the request acted on.' },
          {
            name: 'operation',
            in: 'query',
            schema: { type: 'string', enum: ['listTokens', 'createToken', 'updateToken', 'deleteToken', 'retrieveToken', 'listScopes'] },
          },
          { name: 'status', in: 'query', schema: { type: 'integer' } },
          {
            name: 'since',
            in: 'query',
            schema: { type: 'string', format: 'date-time' },
            description: 'Entries at or after this instant (mock time).',
          },
        ],
        responses: {
          200: json({ $ref: '#/components/schemas/Journal' }, 'Matching entries.'),
          400: error('A filter value is malformed.'),
          401: unauthorized,
        },
      },
      delete: { operationId: 'adminClearRequests', summary: 'Empty the journal', responses: { 204: noContent, 401: unauthorized } },
    },
    '/__admin/violations': {
      get: {
        operationId: 'adminGetViolations',
        summary: 'Strict-mode findings',
        description:
          'Requests the API document does not describe, each with the schema path and the rule it broke (`--strict`; empty otherwise).',
        responses: { 200: json({ $ref: '#/components/schemas/Violations' }, 'The violations, oldest first.'), 401: unauthorized },
      },
      delete: { operationId: 'adminClearViolations', summary: 'Forget the violations', responses: { 204: noContent, 401: unauthorized } },
    },
  },
  components: {
    securitySchemes: { adminToken: { type: 'http', scheme: 'bearer', description: 'The value of `--admin-token`.' } },
    schemas: {
      Message: message,
      AccountRequest: {
        type: 'object',
        additionalProperties: false,
        properties: {
          username: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$', description: 'Default: a fresh `job-…` name.' },
          scopes: { type: 'array', items: { type: 'string' }, description: 'Scopes the account may grant (default: every scope).' },
        },
      },
      Account: {
        type: 'object',
        required: ['username', 'secretToken', 'publicToken', 'secretTokenId', 'publicTokenId'],
        properties: {
          username: { type: 'string' },
          secretToken: { type: 'string', description: 'The master token (sk), with every scope of the account.' },
          publicToken: { type: 'string', description: 'The default public token (pk).' },
          secretTokenId: { type: 'string' },
          publicTokenId: { type: 'string' },
        },
      },
      Clock: {
        type: 'object',
        required: ['now', 'offsetMs'],
        properties: {
          now: { type: 'string', format: 'date-time', description: 'Mock time.' },
          offsetMs: { type: 'number', description: 'How far mock time is from the real clock.' },
        },
      },
      ClockChange: {
        type: 'object',
        additionalProperties: false,
        properties: {
          advance: {
            oneOf: [{ type: 'number' }, { type: 'string' }],
            description: 'Milliseconds, or a duration such as `90s`, `15m`, `1h`, `2d`, `500ms` (negative goes back).',
          },
          at: { type: 'string', format: 'date-time', description: 'The instant mock time jumps to.' },
        },
      },
      Faults: {
        type: 'object',
        required: ['active', 'available'],
        properties: {
          active: { type: 'array', items: { type: 'string' } },
          available: {
            type: 'array',
            items: {
              type: 'object',
              properties: { name: { type: 'string' }, operation: { type: 'string' }, description: { type: 'string' } },
            },
          },
        },
      },
      FaultChange: {
        type: 'object',
        required: ['active'],
        additionalProperties: false,
        properties: { active: { type: 'array', items: { type: 'string' } } },
      },
      Journal: {
        type: 'object',
        required: ['count', 'requests'],
        properties: {
          count: { type: 'integer' },
          requests: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                time: { type: 'string', format: 'date-time' },
                method: { type: 'string' },
                path: { type: 'string' },
                query: { type: 'object', additionalProperties: { type: 'string' } },
                operation: { type: ['string', 'null'] },
                status: { type: 'integer' },
                condition: { type: ['string', 'null'], description: "The API document's condition id of an error answer." },
                durationMs: { type: 'number' },
                account: { type: ['string', 'null'] },
                body: { description: 'The JSON body of a create or update, else null.' },
              },
            },
          },
        },
      },
      Violations: {
        type: 'object',
        required: ['count', 'violations'],
        properties: {
          count: { type: 'integer' },
          violations: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                request: { type: 'string' },
                operation: { type: ['string', 'null'] },
                rule: {
                  type: 'string',
                  description: 'The JSON Schema keyword or the rule broken, e.g. `additionalProperties`, `unknown-query-parameter`.',
                },
                schemaPath: { type: 'string', description: 'JSON pointer into the API document.' },
                location: { type: 'string' },
                message: { type: 'string' },
              },
            },
          },
        },
      },
    },
  },
} as const;
