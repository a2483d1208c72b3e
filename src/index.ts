/** mapbox-tokens-mock: MSW handlers and an in-memory model of the Mapbox Tokens API. */
export { createTokensMock, type TokensMock } from '../handlers/create-tokens-mock.ts';
// The same mock without msw (createTokensMockCore): for servers, Playwright's page.route, or anything
// that takes a fetch function. The server entry builds it, so it never loads msw.
export {
  createTokensMockCore,
  type TokensMockCore,
  type TokensMockOptions,
  type IssueTokenInit,
  type IssueTemporaryTokenInit,
  type AccountCredentials,
  type AccountInit,
  type MockState,
  type TokenMetadata,
} from './mock/tokens-mock-core.ts';
// What the helpers (createAccount, issueToken, issueTemporaryToken) throw when they refuse a call.
export { TokensMockError, type TokensMockHelper } from './mock/helper-error.ts';
// Strict mode, latency and the request journal (options `strict`, `latency`, `journalSize`).
export {
  hasScopes,
  type JournalEntry,
  type JournalExpectation,
  type JournalFilter,
  type RequestJournal,
} from './mock/request-journal.ts';
export { StrictModeViolationError, type OnViolation, type StrictViolation, type ViolationLog } from './mock/strict-mode.ts';
export type { LatencyOption, LatencySpec } from './mock/latency.ts';
// What mock.handle() takes and gives: fetch()'s answers as plain data, for servers and framework adapters.
export type { HandleableRequest, PlainRequest, PlainResponse, PlaywrightRequestLike } from './http/plain-http.ts';
// Types only: the faker-based builders live in fixtures/ (their own entry) so the root stays light.
export type { Fixtures, FixtureAccount, FixtureToken } from '../fixtures/types.ts';
export { ROUTES, type OperationId, type RouteDefinition } from './http/routes.ts';
export { API_ERRORS, type ApiErrorId } from './model/errors.ts';
// The state format (snapshot(), restore(), tokens-mock --state): its JSON Schema and its refusals.
export { STATE_SCHEMA, STATE_FORMAT, STATE_VERSION } from './state/state-schema.ts';
export { StateError } from './state/state-rules.ts';
export { FAULTS, faultNames, type FaultName, type FaultDefinition, type FaultOperation } from './faults/catalogue.ts';
export { SCOPE_CATALOGUE, type ScopeDefinition, type ScopeName, type ScopeInput } from './model/scopes.ts';
export type {
  RetrieveTokenResponse,
  RetrieveCode,
  RetrievedClaims,
  ScopeResponse,
  TemporaryTokenResponse,
} from './model/presenters.ts';
