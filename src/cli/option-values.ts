// Parsers for the values of tokens-mock's options (flags and environment variables alike). Each
// throws an Error whose message completes "argument 'X' is invalid. ..." in commander's report.

export function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(port) || port > 65535) {
    throw new Error('The port must be an integer from 0 to 65535 (0 picks a free port)');
  }
  return port;
}

/**
 * A seed: an integer or any other non-empty text, used in full (the mock hashes it). Integers
 * beyond 2^53 stay text, so no digit is lost to floating point.
 */
export function parseSeed(value: string): number | string {
  const text = value.trim();
  if (text === '') throw new Error('The seed must be an integer or a non-empty string');
  const seed = Number(text);
  return /^-?\d+$/.test(text) && Number.isSafeInteger(seed) ? seed : text;
}

/** `off` (or `false`/`0`) turns rate limiting off; otherwise requests allowed per 60 s window. */
export function parseRateLimit(value: string): number | false {
  const text = value.trim().toLowerCase();
  if (text === 'off' || text === 'false' || text === '0') return false;
  const limit = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(limit) || limit < 1) {
    throw new Error('The rate limit must be a positive integer (requests per minute) or "off"');
  }
  return limit;
}

/** Usernames appear in URL paths; anything that would need escaping there is refused. */
export function parseUsername(value: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/.test(value)) {
    throw new Error('The username must be 1-100 letters, digits, ".", "_" or "-", starting with a letter or digit');
  }
  return value;
}

export function parseHost(value: string): string {
  const host = value.trim();
  if (host === '' || /[\s/?#@]/.test(host)) throw new Error('The host must be a hostname or an IP address');
  return host;
}

/** Fault names, from repeated `--fault` flags or the comma-separated TOKENS_MOCK_FAULTS. */
export function parseFaultList(value: string, previous: readonly string[] = []): string[] {
  const names = value
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  return [...previous, ...names];
}
