import type { ServerResponse } from 'node:http';

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
