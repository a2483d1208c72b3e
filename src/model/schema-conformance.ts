/**
 * Compile-time tie between the model and the document: every shape the model answers with, or
 * accepts, must fit the type openapi-typescript generates from openapi/tokens.yaml
 * (src/generated/api-types.ts, kept fresh by `npm run check:openapi`). When the document changes
 * a schema and the model does not follow, `npm run check` fails here. Type-only: nothing of this
 * module exists at run time.
 */
import type { components } from '../generated/api-types.ts';
import type {
  RetrieveTokenResponse, ScopeResponse, TemporaryTokenResponse, TokenMetadata,
} from './presenters.ts';
import type { PermanentTokenInit } from './service.ts';

type Schemas = components['schemas'];

/** `true` when every value of Actual is a value of Documented. */
type Fits<Actual, Documented> = [Actual] extends [Documented] ? true : false;
type Holds<Check extends true> = Check;

export type ResponsesFitTheDocument = [
  Holds<Fits<TokenMetadata, Schemas['TokenMetadata']>>,
  Holds<Fits<TokenMetadata & { token: string }, Schemas['CreatedTokenMetadata']>>,
  Holds<Fits<TemporaryTokenResponse, Schemas['TemporaryToken']>>,
  Holds<Fits<RetrieveTokenResponse, Schemas['RetrieveTokenResponse']>>,
  Holds<Fits<ScopeResponse, Schemas['Scope']>>,
];

/** Every body the document allows, the model's input types accept (the reverse direction). */
export type RequestsFitTheModel = [
  Holds<Fits<Schemas['CreateTokenRequest'], PermanentTokenInit>>,
  Holds<Fits<Schemas['UpdateTokenRequest'], PermanentTokenInit>>,
];
