import Ajv2020Module from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { StateError, stateVersionOf, migrateStateV1 } from '../state/state-rules.ts';
import { STATE_SCHEMA } from '../state/state-schema.ts';
import { upgradeState, type MockState } from '../state/model-state.ts';

// ajv is CommonJS: under NodeNext the class is on `.default`.
const Ajv2020 = ((Ajv2020Module as unknown as { default?: unknown }).default ?? Ajv2020Module) as typeof Ajv2020Module.default;

let compiled: ValidateFunction | undefined;

/** The state schema compiled once (Ajv, draft 2020-12, strict; `x-message` is a known annotation). */
function stateValidator(): ValidateFunction {
  if (compiled === undefined) {
    const ajv = new Ajv2020({ strict: true, allErrors: false, verbose: true });
    ajv.addVocabulary(['x-message']);
    compiled = ajv.compile(STATE_SCHEMA);
  }
  return compiled;
}

/** `/tokens/3/created` as `tokens[3].created`. */
function fieldPath(pointer: string, child?: string): string {
  const parts = pointer
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (child !== undefined) parts.push(child);
  let path = '';
  for (const part of parts) path += /^\d+$/.test(part) ? `[${part}]` : path === '' ? part : `.${part}`;
  return path === '' ? 'state' : path;
}

/** One Ajv error as a StateError: the field's path and a reason a person can act on. */
function toStateError(error: ErrorObject): StateError {
  const params = error.params as Record<string, unknown>;
  const own = (error.parentSchema as Record<string, unknown> | undefined)?.['x-message'];
  switch (error.keyword) {
    case 'required':
      return new StateError(fieldPath(error.instancePath, String(params.missingProperty)), 'missing');
    case 'additionalProperties':
      return new StateError(fieldPath(error.instancePath, String(params.additionalProperty)), 'unknown field');
    case 'type':
      return new StateError(
        fieldPath(error.instancePath),
        typeof own === 'string' ? own : `not ${String(params.type).split(',').join(' or ')}`,
      );
    case 'const':
      return new StateError(fieldPath(error.instancePath), `must be ${JSON.stringify(params.allowedValue)}`);
    case 'enum':
      return new StateError(
        fieldPath(error.instancePath),
        typeof own === 'string'
          ? own
          : `must be one of ${(params.allowedValues as unknown[]).map((value) => JSON.stringify(value)).join(', ')}`,
      );
    default:
      return new StateError(fieldPath(error.instancePath), typeof own === 'string' ? own : (error.message ?? 'invalid'));
  }
}

/**
 * A parsed state file checked in full: the version (version 1 is migrated), then the JSON Schema
 * with Ajv, then the cross-record rules. Throws the first StateError (its path names the field);
 * never changes `input`.
 */
export function validateStateDocument(input: unknown): MockState {
  const state = stateVersionOf(input) === 1 ? migrateStateV1(input as Record<string, unknown>) : input;
  const validate = stateValidator();
  if (!validate(state)) throw toStateError(validate.errors![0]!);
  return upgradeState(state);
}
