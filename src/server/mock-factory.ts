// The only module of the server that loads the mock itself. start-server imports it lazily, so an
// embedder passing its own `mock` never pays for (or depends on) building the default one.
import * as core from '../index.ts';
import type { TokensMock, TokensMockOptions } from '../index.ts';
import { UnknownFaultError } from './server-errors.ts';

/** Options for the mock the server builds: the public ones plus the fault names of the contract issue. */
export type ServerMockOptions = TokensMockOptions & { faults?: readonly string[] };


/**
 * The fault names the mock supports, when the package exports a `faultNames` list (the
 * contract-suite issue adds it); undefined while no fault injection exists.
 */
export function availableFaultNames(): readonly string[] | undefined {
  const exported: unknown = (core as Record<string, unknown>)['faultNames'];
  return Array.isArray(exported) && exported.every((name) => typeof name === 'string') ? exported : undefined;
}

/** Refuses unknown fault names up front, with the list of known ones, instead of ignoring them. */
export function checkFaultNames(requested: readonly string[]): void {
  if (requested.length === 0) return;
  const known = availableFaultNames();
  if (known === undefined) {
    throw new UnknownFaultError(`unknown fault "${requested[0]}": no faults are available yet`);
  }
  const unknown = requested.find((name) => !known.includes(name));
  if (unknown !== undefined) {
    throw new UnknownFaultError(`unknown fault "${unknown}"; available faults: ${known.join(', ')}`);
  }
}

export function createServerMock(options: ServerMockOptions): TokensMock {
  checkFaultNames(options.faults ?? []);
  const { faults, ...rest } = options;
  // Only hand `faults` over when some were asked for, so a mock without fault support sees its documented options.
  return core.createTokensMock(faults !== undefined && faults.length > 0 ? { ...rest, faults } as TokensMockOptions : rest);
}
