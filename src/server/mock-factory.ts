// The only module of the server that loads the mock itself. start-server imports it lazily, so an
// embedder passing its own `mock` never pays for (or depends on) building the default one.
// It builds the msw-free core: the server only calls mock.fetch, and loading msw would only slow
// its start (so nothing here may import the package root or create-tokens-mock.ts).
import { createTokensMockCore, type TokensMockCore, type TokensMockOptions } from '../mock/tokens-mock-core.ts';
import { faultNames } from '../faults/catalogue.ts';
import { UnknownFaultError } from './server-errors.ts';

/** Options for the mock the server builds (`faults` included: see `faultNames` / `FAULTS`). */
export type ServerMockOptions = TokensMockOptions;

/** Refuses unknown fault names up front, with the list of known ones, instead of ignoring them. */
function checkFaultNames(requested: readonly string[]): void {
  const known: readonly string[] = faultNames;
  const unknown = requested.find((name) => !known.includes(name));
  if (unknown !== undefined) {
    throw new UnknownFaultError(`unknown fault "${unknown}"; available faults: ${known.join(', ')}`);
  }
}

export function createServerMock(options: ServerMockOptions): TokensMockCore {
  checkFaultNames(options.faults ?? []);
  return createTokensMockCore(options);
}
