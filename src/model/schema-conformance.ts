/**
 * Compile-time tie between the model and the document: every body the model accepts must take
 * what openapi-typescript generates from openapi/tokens.yaml (src/generated/api-types.ts, kept
 * fresh by `npm run check:openapi`). The answers need no such tie: presenters.ts types them with
 * the document's schema types. Type-only: nothing of this module exists at run time.
 */
import type { components } from '../generated/api-types.ts';
import type { PermanentTokenInit } from './service.ts';

type Schemas = components['schemas'];

/** `true` when every value of Actual is a value of Documented. */
type Fits<Actual, Documented> = [Actual] extends [Documented] ? true : false;
type Holds<Check extends true> = Check;

/** Every body the document allows, the model's input types accept. */
export type RequestsFitTheModel = [
  Holds<Fits<Schemas['CreateTokenRequest'], PermanentTokenInit>>,
  Holds<Fits<Schemas['UpdateTokenRequest'], PermanentTokenInit>>,
];
