// The msw layer: the msw-free mock (src/mock/tokens-mock-core.ts) plus one msw handler per route.
// Only this module and msw-handlers.ts load msw; the standalone server builds the msw-free mock alone.
import { delay, type HttpHandler } from 'msw';
import { createMswHandlers } from './msw-handlers.ts';
import { buildTokensMock, type TokensMockCore, type TokensMockOptions } from '../src/mock/tokens-mock-core.ts';

// Kept here too, so imports of these names from this module keep working.
export type { TokensMockOptions } from '../src/mock/tokens-mock-core.ts';

export interface TokensMock extends TokensMockCore {
  /** msw request handlers (msw >= 2.12.10 and 3.x), one per route path. */
  readonly handlers: HttpHandler[];
}

/** A mock of the Mapbox Tokens API. Synchronous: requests and helpers wait for initialisation. */
export function createTokensMock(options: TokensMockOptions = {}): TokensMock {
  const { mock, observedHandler } = buildTokensMock(options);
  // The msw-free mock is a fresh object of closures and class instances (no `this`, no getters): spreading it loses nothing.
  return {
    ...mock,
    handlers: createMswHandlers(
      mock.baseUrl,
      observedHandler((ms) => delay(ms)),
    ),
  };
}
