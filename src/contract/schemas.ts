import Ajv2020Module from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { ValidateFunction } from 'ajv';
import { contractDocument } from './document.ts';

/** Component schema names the suite validates bodies against. */
export type SchemaName =
  | 'TokenMetadata'
  | 'StoredTokenMetadata'
  | 'CreatedTokenMetadata'
  | 'TokenList'
  | 'TemporaryToken'
  | 'RetrieveTokenResponse'
  | 'ScopeList'
  | 'Error';

// ajv and ajv-formats are CommonJS: under NodeNext the class/function is on `.default`.
const Ajv2020 = ((Ajv2020Module as unknown as { default?: unknown }).default ?? Ajv2020Module) as typeof Ajv2020Module.default;
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as typeof addFormatsModule.default;

export interface SchemaValidator {
  /** Undefined when valid, else a one-line list of Ajv errors. */
  errors(schema: SchemaName, value: unknown): string | undefined;
}

/** Ajv (draft 2020-12 + formats) compiled from the contract document's components. */
export function createSchemaValidator(document: Record<string, unknown> = contractDocument()): SchemaValidator {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema(document, 'tokens');
  const cache = new Map<SchemaName, ValidateFunction>();
  return {
    errors(schema, value) {
      let validate = cache.get(schema);
      if (!validate) {
        validate = ajv.getSchema(`tokens#/components/schemas/${schema}`);
        if (!validate) throw new Error(`the contract document has no schema ${schema}`);
        cache.set(schema, validate);
      }
      if (validate(value)) return undefined;
      return (validate.errors ?? [])
        .slice(0, 5)
        .map((error) => `${error.instancePath || '(body)'} ${error.message ?? 'is invalid'}${paramsText(error.params)}`)
        .join('; ');
    },
  };
}

function paramsText(params: Record<string, unknown>): string {
  if ('additionalProperty' in params) return ` (${String(params['additionalProperty'])})`;
  if ('allowedValues' in params) return ` (${JSON.stringify(params['allowedValues'])})`;
  return '';
}
