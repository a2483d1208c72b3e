import type { ServerResponse } from 'node:http';
import type { PlainResponse } from '../http/plain-http.ts';

/** Statuses that never carry a body (and so no Content-Length). */
const NO_BODY_STATUSES = new Set([101, 204, 205, 304]);

/**
 * Writes a Fetch `Response` to a Node response: status, every header value (repeated names
 * included: `Set-Cookie` stays separate, other repeats keep Fetch's combined form), and the body.
 * `Response.error()` (status 0) cannot be written as HTTP, so the connection is cut instead.
 */
export async function writeFetchResponse(res: ServerResponse, response: Response, isHead: boolean): Promise<void> {
  if (response.status === 0) {
    res.destroy();
    return;
  }
  const body = NO_BODY_STATUSES.has(response.status) ? undefined : Buffer.from(await response.arrayBuffer());
  const rawHeaders: string[] = [];
  for (const [name, value] of response.headers) {
    // Headers iteration joins repeated Set-Cookie values with ", ", which breaks cookies; they are added below.
    if (name === 'set-cookie') continue;
    // Content-Length is recomputed from the bytes actually sent.
    if (name === 'content-length') continue;
    rawHeaders.push(name, value);
  }
  for (const cookie of response.headers.getSetCookie()) rawHeaders.push('set-cookie', cookie);
  if (body !== undefined) rawHeaders.push('content-length', String(body.byteLength));
  res.writeHead(response.status, response.statusText || undefined, rawHeaders);
  if (isHead || body === undefined) res.end();
  else res.end(body);
}

/**
 * Writes a plain answer (`mock.handle()`, the server's own errors) to a Node response: status, its
 * headers as given, Content-Length of the UTF-8 body, then the body; without a body for HEAD, and
 * without body or Content-Length for statuses that carry none (204). Same bytes on the wire as
 * writeFetchResponse for the same answer, header name case aside (HTTP names are case-insensitive).
 */
export function writePlainResponse(res: ServerResponse, answer: PlainResponse, isHead: boolean): void {
  const body = NO_BODY_STATUSES.has(answer.status) ? null : (answer.body ?? '');
  const rawHeaders: string[] = [];
  const { headers } = answer;
  for (const name in headers) {
    // Content-Length is computed from the bytes actually sent.
    if (name.length === 14 && name.toLowerCase() === 'content-length') continue;
    rawHeaders.push(name, headers[name]!);
  }
  if (body !== null) rawHeaders.push('Content-Length', String(Buffer.byteLength(body, 'utf8')));
  res.writeHead(answer.status, rawHeaders);
  if (isHead || body === null) res.end();
  else res.end(body, 'utf8');
}
