import { CUID_PATTERN } from '../model/ids.ts';
import { ALL_SCOPE_IDS } from '../model/scopes.ts';
import { SIGNING_KEY_BYTES } from '../model/signing.ts';

/**
 * The state format: what snapshot() returns, restore() accepts and `tokens-mock --state` keeps on
 * disk. Versioned: `format` names the document type, `version` its revision. Version 1 (no
 * `version` field, `format: "mapbox-tokens-mock/state@1"`) is still read and migrated on load.
 */
export const STATE_FORMAT = 'mapbox-tokens-mock/state';
export const STATE_VERSION = 2;
/** The `format` of version 1 files (accounts without token ids; read and migrated). */
export const STATE_FORMAT_V1 = 'mapbox-tokens-mock/state@1';

/** Largest distance from the epoch a Date can hold, in ms (ECMAScript time values). */
const DATE_LIMIT_MS = 8.64e15;
/** The id generator's counter wraps at 36^4 (four base36 digits in every id). */
const ID_COUNTER_LIMIT = 36 ** 4 - 1;
/** base64url length of SIGNING_KEY_BYTES bytes, unpadded. */
const KEY_CHARS = Math.ceil((SIGNING_KEY_BYTES * 4) / 3);

const date = {
  type: 'integer',
  minimum: -DATE_LIMIT_MS,
  maximum: DATE_LIMIT_MS,
  'x-message': `not a date (integer epoch milliseconds within ±${DATE_LIMIT_MS})`,
} as const;
const tokenId = { type: 'string', pattern: CUID_PATTERN.source, 'x-message': 'not a token id (a 25-character cuid)' } as const;
const scopeList = {
  type: 'array',
  items: { type: 'string', enum: ALL_SCOPE_IDS, 'x-message': 'not a known scope' },
} as const;
const username = {
  type: 'string',
  pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$',
  'x-message': 'not a username (letters, digits, "_", "." and "-", at most 64)',
} as const;

/**
 * JSON Schema (2020-12) of a version 2 state file. The rules that relate records to each other
 * (unique ids, each account's default and master tokens exist, token strings match their records)
 * are in state-rules.ts. `x-message` is this project's annotation: the reason printed when the
 * node's own keyword fails.
 */
export const STATE_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://github.com/mapbox-tokens-mock/mapbox-tokens-mock/state.schema.json',
  title: 'mapbox-tokens-mock state',
  type: 'object',
  required: ['format', 'version', 'signingKey', 'timeOffsetMs', 'randomState', 'ids', 'accounts', 'tokens', 'rateLimits'],
  additionalProperties: false,
  properties: {
    format: { const: STATE_FORMAT },
    version: { const: STATE_VERSION },
    signingKey: {
      type: 'string',
      pattern: `^[A-Za-z0-9_-]{${KEY_CHARS},}$`,
      'x-message': `not a base64url signing key of at least ${SIGNING_KEY_BYTES} bytes`,
    },
    timeOffsetMs: {
      type: 'integer',
      minimum: -2 * DATE_LIMIT_MS,
      maximum: 2 * DATE_LIMIT_MS,
      'x-message': 'not an offset a Date can hold',
    },
    randomState: { type: ['integer', 'null'], minimum: 0, maximum: 2 ** 32 - 1, 'x-message': 'not a 32-bit unsigned integer or null' },
    ids: {
      type: 'object',
      required: ['counter', 'fingerprint'],
      additionalProperties: false,
      properties: {
        counter: { type: 'integer', minimum: 0, maximum: ID_COUNTER_LIMIT, 'x-message': `not an integer from 0 to ${ID_COUNTER_LIMIT}` },
        fingerprint: { type: 'string', pattern: '^[0-9a-z]{4}$', 'x-message': 'not 4 base36 characters' },
      },
    },
    accounts: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['username', 'scopes', 'defaultTokenId', 'masterTokenId'],
        additionalProperties: false,
        properties: { username, scopes: scopeList, defaultTokenId: tokenId, masterTokenId: tokenId },
      },
    },
    tokens: {
      type: 'array',
      items: {
        type: 'object',
        required: [
          'id',
          'username',
          'usage',
          'isDefault',
          'scopes',
          'note',
          'allowedUrls',
          'created',
          'modified',
          'token',
          'createdWithoutScopes',
        ],
        additionalProperties: false,
        properties: {
          id: tokenId,
          username,
          usage: { enum: ['pk', 'sk'] },
          isDefault: { type: 'boolean' },
          scopes: scopeList,
          note: { type: ['string', 'null'] },
          allowedUrls: { type: ['array', 'null'], maxItems: 100, items: { type: 'string', minLength: 1 } },
          created: date,
          modified: date,
          token: { type: 'string', pattern: '^(pk|sk)\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]{22}$', 'x-message': 'not a pk/sk token string' },
          createdWithoutScopes: { type: 'boolean' },
        },
      },
    },
    rateLimits: {
      type: 'array',
      items: {
        type: 'object',
        required: ['username', 'windowStartMs', 'count'],
        additionalProperties: false,
        properties: { username, windowStartMs: date, count: { type: 'integer', minimum: 0 } },
      },
    },
    /** Written by tokens-mock --state: the last journal record the snapshot includes. */
    journalSeq: { type: 'integer', minimum: 0 },
  },
} as const;
