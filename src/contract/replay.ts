import type { RecordedExchange } from './types.ts';

/** Which token an exchange sent: the one the run was given, another one (created by the run), or none. */
export type ReplayToken = 'given' | 'other' | 'none';

/**
 * A curl command that replays one recorded (already redacted) exchange. The given token becomes
 * `$MAPBOX_ACCESS_TOKEN`; another token becomes `$TOKEN`, with a comment saying which one it was
 * (its string is never shown). Everything else is quoted for a POSIX shell.
 */
export function replayCommand(exchange: RecordedExchange, token: ReplayToken): string {
  const { method, url, body } = exchange.request;
  let target = url;
  let comment = '';
  if (token !== 'none') {
    let redacted = '';
    target = url.replace(/([?&]access_token=)([^&#]*)/, (_match, prefix: string, value: string) => {
      redacted = value;
      return `${prefix}\u0000${token === 'given' ? 'MAPBOX_ACCESS_TOKEN' : 'TOKEN'}\u0000`;
    });
    if (token === 'other') comment = `  # $TOKEN: the ${redacted || 'redacted'} token of this run (deleted at cleanup)`;
  }
  // biome-ignore lint/suspicious/noControlCharactersInRegex: NUL brackets the placeholders this module puts in URLs; no URL holds one.
  const quotedUrl = `"${target.replace(/[\\"`$]/g, (character) => `\\${character}`).replace(/\u0000([A-Z_]+)\u0000/g, '$$$1')}"`;
  const parts = ['curl', '-sS', '-i'];
  if (method !== 'GET') parts.push('-X', method);
  if (body !== undefined) parts.push('-H', "'Content-Type: application/json'", '--data-raw', singleQuoted(body));
  parts.push(quotedUrl);
  return `${parts.join(' ')}${comment}`;
}

function singleQuoted(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}
