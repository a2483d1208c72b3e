import { requestFieldValidators } from '../generated/request-validators.ts';
import { apiError, unknownPropertyError, type ApiErrorId } from './errors.ts';

/**
 * Structural validation of request bodies, field by field, with the Ajv standalone validators that
 * scripts/build-openapi.ts compiles from the OpenAPI document's request schemas (so starting the
 * mock loads no Ajv and compiles nothing). Per-field validation (rather than one whole-body schema) lets the service report the
 * documented message of the first offending field in the documented order (x-decisions `request-bodies`, `temporary-validation-order`).
 */
export type BodyKind = 'createToken' | 'createTemporaryToken' | 'updateToken';
export type BodyField = 'note' | 'scopes' | 'allowedUrls' | 'expires';

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

/** JSON syntax and object shape: the first body checks (400 / 422). */
export function checkBodyObject(body: ParsedBody): Record<string, unknown> {
  if (body === INVALID_JSON) throw apiError('invalid-json');
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw apiError('body-not-object');
  return body as Record<string, unknown>;
}

/**
 * Properties the request schema of this kind does not declare are refused (mock choice);
 * `ignoreUnknown` is the fault `create-accepts-unknown-property` (unknown ones pass silently).
 */
export function checkKnownProperties(kind: BodyKind, body: Record<string, unknown>, ignoreUnknown = false): void {
  const known = validators(kind);
  for (const name of Object.keys(body)) {
    // `resources` (beta, not implemented) gets the reference's own message (document decision "resources").
    if (name === 'resources') throw apiError('resources-invalid');
    if (!known.has(name) && !ignoreUnknown) throw unknownPropertyError(name);
  }
}

/** Structural check of one present field against its schema. */
export function checkBodyField(kind: BodyKind, field: BodyField, value: unknown): void {
  const validate = validators(kind).get(field);
  if (validate !== undefined && !validate(value)) throw apiError(FIELD_ERRORS[field]);
}

/** ISO 8601 date-time with an offset -> epoch ms (the schema's format check ran before). */
export function parseDateTime(value: string): number | undefined {
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? ms : undefined;
}
