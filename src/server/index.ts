// Public entry of the standalone server (node only; the package root entry stays browser-safe).
export {
  startServer,
  ServerStartError,
  DEFAULT_PORT,
  DEFAULT_HOST,
  DEFAULT_BODY_LIMIT,
  DEFAULT_TOTAL_BODY_LIMIT,
  DEFAULT_BODY_TIMEOUT_MS,
  type StartServerOptions,
  type RunningServer,
  type ServableMock,
} from './start-server.ts';
export { InputFileError } from './state-file.ts';
export type { StateSync } from './durable-state.ts';
export { UnknownFaultError } from './server-errors.ts';
export type { ServerMockOptions } from './mock-factory.ts';
// The type of the mock startServer builds (the msw-free core: this entry never loads msw).
export type { TokensMockCore } from '../mock/tokens-mock-core.ts';
// What an optional `handle` of a ServableMock takes and gives (the server then never builds Fetch objects).
export type { PlainRequest, PlainResponse } from '../http/plain-http.ts';
export { formatBanner, formatJsonLine, type BannerInfo } from './banner.ts';
export { DOCS_PATH } from './docs-route.ts';
