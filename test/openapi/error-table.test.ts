// The error table as data: every row of the reference's "Tokens API errors" table, and every condition
// the project's design names, is found in the document (as a named example of a response), with the
// documented status and message.
import { describe, expect, it } from 'vitest';
import { collectErrorConditions, loadDocument, type ErrorConditionRow } from '../../scripts/build-openapi.ts';
import { errorConditions } from '../../src/generated/openapi.ts';

/** A row of the reference's error table, copied from it (plus the 429 its limits section implies). */
interface ReferenceRow {
  status: number;
  message?: string;
  code?: string;
  condition: string;
}

const referenceErrorTable: ReferenceRow[] = [
  { status: 200, code: 'TokenInvalid', condition: 'Check the access token used in the query when retrieving a token.' },
  { status: 200, code: 'TokenMalformed', condition: 'Check the access token used in the query when retrieving a token.' },
  { status: 200, code: 'TokenExpired', condition: 'The temporary token has expired and needs to be regenerated when retrieving a token.' },
  { status: 200, code: 'TokenRevoked', condition: 'The token has been revoked and needs to be regenerated when retrieving a token.' },
  {
    status: 401,
    message: 'Unauthorized',
    condition:
      'The token used in the query was not valid, or no token was used in the query. If a temporary token was used, it may be expired.',
  },
  {
    status: 404,
    message: 'Not found',
    condition:
      'The access token used in the query needs the tokens:read (to list) or tokens:write scope (to create, update, or delete). This error may also mean that a token is not associated with a user account.',
  },
  { status: 404, message: 'No such user', condition: 'Check the username used in the query.' },
  { status: 422, message: 'access token is required', condition: 'No access token was used in the query.' },
  {
    status: 422,
    message: 'usage must be pk or sk',
    condition: 'The usage parameter must be one of pk (public token) or sk (secret token).',
  },
  {
    status: 422,
    message: 'expires is in the past',
    condition: "You can't create a temporary token with an expires parameter that occurs in the past.",
  },
  {
    status: 422,
    message: 'expires is more than one hour in the future',
    condition: 'When creating a temporary token, the expiration must be no more than one hour in the future.',
  },
  {
    status: 422,
    message: 'expires may not be greater than the expiration of the authorizing token',
    condition:
      'When creating a temporary token using another temporary token, the expiration of the created token cannot be greater than that of the creating token.',
  },
  {
    status: 422,
    message: 'scopes are invalid',
    condition: 'You cannot create a new token with scopes that exceed those of the token you are using to create it.',
  },
  {
    status: 422,
    message: 'resources are invalid',
    condition:
      'When creating or updating a token, the resources in the body are malformed, empty, or require higher permissions that those of the creating token.',
  },
  { status: 500, message: 'Internal Server Error', condition: 'This error can occur if the start value is not valid.' },
  { status: 429, message: 'Too Many Requests', condition: 'The Tokens API is limited to 100 requests per minute per account.' },
];

/** The rows of the document that realise a reference row: same status, same message (or the message the reference prints) or code. */
function matchingConditions(row: ReferenceRow, conditions: readonly ErrorConditionRow[]): readonly ErrorConditionRow[] {
  return conditions.filter(
    (condition) =>
      condition.status === row.status &&
      (row.code !== undefined
        ? condition.code === row.code
        : condition.message === row.message || condition.referenceMessage === row.message),
  );
}

function missingRows(rows: ReferenceRow[], conditions: readonly ErrorConditionRow[]): ReferenceRow[] {
  return rows.filter((row) => matchingConditions(row, conditions).length === 0);
}

type Expected = Record<string, [status: number, messageOrCode: string]>;

const unauthorized: Expected = {
  'missing-token': [401, 'Unauthorized'],
  'invalid-token': [401, 'Unauthorized'],
  'expired-token': [401, 'Unauthorized'],
  'revoked-token': [401, 'Unauthorized'],
};
const rateLimited: Expected = { 'rate-limited': [429, 'Too Many Requests'] };
const userAndScope: Expected = {
  'no-such-user': [404, 'No such user'],
  'other-user': [404, 'Not Found'],
  'missing-scope': [404, 'Not Found'],
};
const bodyShape: Expected = {
  'invalid-json': [400, 'Invalid JSON body'],
  'body-not-object': [422, 'Invalid request body: body must be an object'],
  'unknown-property': [422, 'Invalid request body: unknown property "color"'],
  'note-invalid': [422, 'note is invalid'],
  'scopes-invalid': [422, 'scopes are invalid'],
  'scopes-unknown': [422, 'scopes are invalid'],
  'scopes-escalation': [422, 'scopes are invalid'],
  'allowed-urls-invalid': [422, 'allowedUrls are invalid'],
  'allowed-urls-too-many': [422, 'allowedUrls are invalid'],
  'resources-invalid': [422, 'resources are invalid'],
};

/** The conditions every account route has (token, rate limit, user and scope), plus the route's own. */
function accountRoute(own: Expected): Expected {
  return { ...unauthorized, ...rateLimited, ...userAndScope, ...own };
}

/** An account route that takes a JSON body: the body-shape conditions too. */
function bodyRoute(own: Expected): Expected {
  return accountRoute({ ...bodyShape, ...own });
}

/** Every condition of every operation, by the stable condition ids the project chose, with status and message. */
const expectedConditions: Record<string, Expected> = {
  listTokens: accountRoute({
    'bad-usage': [422, 'usage must be pk or sk'],
    'bad-default': [422, 'default must be true or false'],
    'bad-sortby': [422, 'sortby must be created or modified'],
    'bad-limit': [422, 'limit must be a positive integer'],
    'invalid-start': [500, 'Internal Server Error'],
  }),
  createToken: bodyRoute({
    'allowed-urls-on-temporary': [422, 'allowedUrls are invalid'],
    'expires-invalid': [422, 'expires is invalid'],
    'expires-in-past': [422, 'expires is in the past'],
    'expires-too-far': [422, 'expires is more than one hour in the future'],
    'expires-after-parent': [422, 'expires may not be greater than the expiration of the authorizing token'],
  }),
  updateToken: bodyRoute({
    'token-not-found': [404, 'Not Found'],
    'pk-secret-scope': [422, 'scopes are invalid'],
    'scopeless-gains-scopes': [422, 'scopes are invalid'],
    'allowed-urls-on-default': [422, 'allowedUrls are invalid'],
  }),
  deleteToken: accountRoute({
    'token-not-found': [404, 'Not Found'],
    'delete-default': [422, 'the default token cannot be deleted'],
  }),
  retrieveToken: {
    'access-token-required': [422, 'access token is required'],
    'token-valid': [200, 'TokenValid'],
    'token-malformed': [200, 'TokenMalformed'],
    'token-invalid': [200, 'TokenInvalid'],
    'token-expired': [200, 'TokenExpired'],
    'token-revoked': [200, 'TokenRevoked'],
  },
  listScopes: accountRoute({}),
};

/** The condition ids the project chose (held here as data). */
const designConditionIds = [
  'missing-token',
  'invalid-token',
  'expired-token',
  'revoked-token',
  'rate-limited',
  'no-such-user',
  'other-user',
  'missing-scope',
  'bad-usage',
  'bad-default',
  'bad-sortby',
  'bad-limit',
  'invalid-start',
  'invalid-json',
  'body-not-object',
  'unknown-property',
  'note-invalid',
  'scopes-invalid',
  'scopes-unknown',
  'scopes-escalation',
  'pk-secret-scope',
  'scopeless-gains-scopes',
  'allowed-urls-invalid',
  'allowed-urls-too-many',
  'allowed-urls-on-temporary',
  'allowed-urls-on-default',
  'expires-invalid',
  'expires-in-past',
  'expires-too-far',
  'expires-after-parent',
  'token-not-found',
  'delete-default',
  'access-token-required',
  'token-valid',
  'token-malformed',
  'token-invalid',
  'token-expired',
  'token-revoked',
];

const conditionsFromYaml = collectErrorConditions(await loadDocument());

describe('the error table in the document', () => {
  it('holds every row of the reference error table', () => {
    expect(missingRows(referenceErrorTable, errorConditions)).toEqual([]);
  });

  it('maps the reference rows to the intended conditions', () => {
    const ids = (row: ReferenceRow) =>
      [...new Set(matchingConditions(row, errorConditions).map((condition) => condition.conditionId))].sort();
    expect(ids(referenceErrorTable[4]!)).toEqual(['expired-token', 'invalid-token', 'missing-token', 'revoked-token']);
    expect(ids(referenceErrorTable[5]!)).toEqual(['missing-scope', 'other-user']);
    expect(matchingConditions(referenceErrorTable[7]!, errorConditions).map((condition) => condition.operationId)).toEqual([
      'retrieveToken',
    ]);
    expect(matchingConditions(referenceErrorTable[14]!, errorConditions).map((condition) => condition.operationId)).toEqual(['listTokens']);
  });

  it('notices a row that is missing (the check can fail)', () => {
    const withoutPast = errorConditions.filter((condition) => condition.conditionId !== 'expires-in-past');
    expect(missingRows(referenceErrorTable, withoutPast)).toEqual([referenceErrorTable[9]]);
    const recapitalised = errorConditions.map((condition) => ({ ...condition, referenceMessage: undefined }));
    expect(missingRows(referenceErrorTable, recapitalised).map((row) => row.message)).toEqual(['Not found']);
  });

  it('has exactly the designed conditions per operation, with their status and message or code', () => {
    const actual: Record<string, Expected> = {};
    for (const condition of errorConditions) {
      actual[condition.operationId] ??= {};
      actual[condition.operationId]![condition.conditionId] = [condition.status, condition.message ?? condition.code ?? ''];
    }
    expect(actual).toEqual(expectedConditions);
  });

  it('uses every condition id the design lists', () => {
    const used = new Set<string>(errorConditions.map((condition) => condition.conditionId));
    expect(designConditionIds.filter((id) => !used.has(id))).toEqual([]);
  });

  it('derives the same table from the YAML as the generated module holds', () => {
    expect(conditionsFromYaml).toEqual(errorConditions);
  });

  it('gives error bodies exactly a message and retrieve verdicts a code', () => {
    for (const condition of errorConditions) {
      if (condition.status === 200) expect(Object.keys(condition.body as object)).toContain('code');
      else expect(Object.keys(condition.body as object)).toEqual(['message']);
    }
  });

  it('names the variable part of a templated message', () => {
    const unknown = errorConditions.filter((condition) => condition.conditionId === 'unknown-property');
    expect(unknown.map((condition) => condition.messageTemplate)).toEqual([
      'Invalid request body: unknown property "<name>"',
      'Invalid request body: unknown property "<name>"',
    ]);
  });
});
