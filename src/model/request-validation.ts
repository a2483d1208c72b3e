import type { components } from '../generated/api-types.ts';
import { requestFieldValidators } from '../generated/request-validators.ts';
import { apiError, unknownPropertyError, type ApiErrorId } from './errors.ts';

/**
 * Structural validation of request bodies, field by field, with the Ajv standalone validators that
 * scripts/build-openapi.ts compiles from the OpenAPI document's request schemas (so starting the
 * mock loads no Ajv and compiles nothing). Per-field validation (rather than one whole-body schema) lets the service report the
 * documented message of the first offending field in the documented order (x-decisions `request-bodies`, `temporary-validation-order`).
 */
export type BodyKind = 'createToken' | 'createTemporaryToken' | 'updateToken';
type BodyField = 'note' | 'scopes' | 'allowedUrls' | 'expires';

type Schemas = components['schemas'];

/** Each body kind's request schema type, from the document. */
interface RequestBodies {
  createToken: Schemas['CreateTokenRequest'];
  createTemporaryToken: Schemas['CreateTemporaryTokenRequest'];
  updateToken: Schemas['UpdateTokenRequest'];
}

/** The fields of a kind's schema. */
export type FieldOf<K extends BodyKind> = Extract<keyof RequestBodies[K], BodyField>;

/** A present field's value once its schema accepted it. */
export type FieldValue<K extends BodyKind, F extends FieldOf<K>> = Exclude<RequestBodies[K][F], undefined>;

type FieldValidator = (value: unknown) => boolean;

/** The request schema of each body kind in the OpenAPI document (components/schemas). */
const REQUEST_SCHEMAS = {
  createToken: 'CreateTokenRequest',
  createTemporaryToken: 'CreateTemporaryTokenRequest',
  updateToken: 'UpdateTokenRequest',
} as const satisfies Record<BodyKind, keyof typeof requestFieldValidators>;

/**
 * Properties a kind accepts beyond its schema, because a documented rule refuses them with its own
 * message rather than as unknown: allowedUrls on a temporary token (allowed-urls-on-temporary).
 */
const RULE_HANDLED_PROPERTIES: Record<BodyKind, readonly BodyField[]> = {
  createToken: [],
  createTemporaryToken: ['allowedUrls'],
  updateToken: [],
};

const FIELD_ERRORS: Record<BodyField, ApiErrorId> = {
  note: 'note-invalid',
  scopes: 'scopes-invalid',
  allowedUrls: 'allowed-urls-invalid',
  expires: 'expires-invalid',
};

function buildValidators(): Record<BodyKind, Map<string, FieldValidator | undefined>> {
  const result = {} as Record<BodyKind, Map<string, FieldValidator | undefined>>;
  for (const kind of Object.keys(REQUEST_SCHEMAS) as BodyKind[]) {
    const generated = requestFieldValidators[REQUEST_SCHEMAS[kind]] as Record<string, FieldValidator>;
    const fields = new Map<string, FieldValidator | undefined>(Object.entries(generated));
    for (const field of RULE_HANDLED_PROPERTIES[kind]) if (!fields.has(field)) fields.set(field, undefined);
    result[kind] = fields;
  }
  return result;
}

const VALIDATORS = buildValidators();

function validators(kind: BodyKind): Map<string, FieldValidator | undefined> {
  return VALIDATORS[kind];
}

/** Marker for a body that is not JSON (400 Invalid JSON body). */
export const INVALID_JSON: unique symbol = Symbol('invalid JSON body');
export type ParsedBody = unknown | typeof INVALID_JSON;

function isJsonObject(body: unknown): body is Record<string, unknown> {
  return typeof body === 'object' && body !== null && !Array.isArray(body);
}

/** JSON syntax and object shape: the first body checks (400 / 422). */
export function checkBodyObject(body: ParsedBody): Record<string, unknown> {
  if (body === INVALID_JSON) throw apiError('invalid-json');
  if (!isJsonObject(body)) throw apiError('body-not-object');
  return body;
}

/** Properties the request schema of this kind does not declare are refused (mock choice). */
export function checkKnownProperties(kind: BodyKind, body: Record<string, unknown>): void {
  const known = validators(kind);
  for (const name of Object.keys(body)) {
    // `resources` (beta, not implemented) gets the reference's own message (document decision "resources").
    if (name === 'resources') throw apiError('resources-invalid');
    if (!known.has(name)) throw unknownPropertyError(name);
  }
}

function isValidField<K extends BodyKind, F extends FieldOf<K>>(kind: K, field: F, value: unknown): value is FieldValue<K, F> {
  const validate = validators(kind).get(field);
  return validate === undefined || validate(value);
}

/** Structural check of one present field against its schema; the value, typed as the schema says. */
export function checkBodyField<K extends BodyKind, F extends FieldOf<K>>(kind: K, field: F, value: unknown): FieldValue<K, F> {
  if (!isValidField(kind, field, value)) throw apiError(FIELD_ERRORS[field]);
  return value;
}

/** ISO 8601 date-time with an offset -> epoch ms (the schema's format check ran before). */
export function parseDateTime(value: string): number | undefined {
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? ms : undefined;
}
