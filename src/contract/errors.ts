/** An assertion about the server's behaviour did not hold: the check fails. */
export class ContractAssertionError extends Error {
  readonly expected?: unknown;
  readonly actual?: unknown;
  constructor(message: string, details: { expected?: unknown; actual?: unknown } = {}) {
    super(message);
    this.name = 'ContractAssertionError';
    if ('expected' in details) this.expected = details.expected;
    if ('actual' in details) this.actual = details.actual;
  }
}

/** A check cannot run here (missing option, account lacks a scope): reported as skipped. */
export class CheckSkipped extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'CheckSkipped';
  }
}

/** The server could not be reached at all (exit code 2 in the CLI). */
export class ServerUnreachableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ServerUnreachableError';
  }
}

/** The run cannot start: bad options or credentials the server does not accept (exit code 2). */
export class ContractUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ContractUsageError';
  }
}

/** The suite refused to write to a token it did not create (a bug in a check, never sent). */
export class UnsafeWriteError extends Error {
  constructor(tokenId: string, reason = 'the contract suite did not prove it created it') {
    super(`refusing to update or delete token ${tokenId}: ${reason}`);
    this.name = 'UnsafeWriteError';
  }
}

/** The token given lacks a capability the suite needs (exit code 2, one line naming what is missing). */
export class MissingCapabilityError extends ContractUsageError {
  readonly missing: readonly string[];
  constructor(message: string, missing: readonly string[]) {
    super(message);
    this.name = 'MissingCapabilityError';
    this.missing = missing;
  }
}
