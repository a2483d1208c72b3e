// The only module of the server that loads the mock itself. start-server imports it lazily, so an
// embedder passing its own `mock` never pays for (or depends on) building the default one.
import { createTokensMock, faultNames, type TokensMock, type TokensMockOptions } from '../index.ts';
import { UnknownFaultError } from './server-errors.ts';

/** Options for the mock the server builds (`faults` included: see `faultNames` / `FAULTS`). */
export type ServerMockOptions = TokensMockOptions;

/** Refuses unknown fault names up front, with the list of known ones, instead of ignoring them. */
export function checkFaultNames(requested: readonly string[]): void {
  const known: readonly string[] = faultNames;
  const unknown = requested.find((name) => !known.includes(name));
  if (unknown !== undefined) {
    throw new UnknownFaultError(`unknown fault "${unknown}"; available faults: ${known.join(', ')}`);
  }
}

export function createServerMock(options: ServerMockOptions): TokensMock {
  checkFaultNames(options.faults ?? []);
  return createTokensMock(options);
}
