import type { IncomingMessage } from 'node:http';
import type { PlainRequest } from '../../handlers/plain-http.ts';
import { PayloadTooLargeError } from './server-errors.ts';

/** A Host header usable as an origin: name, IPv4 or [IPv6], optional port; nothing that changes the URL's shape. */
const HOST_HEADER = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/** Methods whose requests carry no body in Fetch (`new Request` refuses one). */
const BODYLESS_METHODS = new Set(['GET', 'HEAD']);

/**
 * Reads the whole request body, refusing more than `limit` bytes. A declared Content-Length over
 * the limit is refused before reading anything; a chunked body is refused as soon as it passes
 * the limit. After a refusal the caller answers 413 and closes the connection (see start-server).
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.reject(new PayloadTooLargeError(limit));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    const onData = (chunk: Buffer): void => {
      received += chunk.byteLength;
      if (received > limit) {
        cleanup();
        reject(new PayloadTooLargeError(limit));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      cleanup();
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, received));
    };
    const onError = (error: Error): void => {
      cleanup();
      reject(error);
    };
    const cleanup = (): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}

/**
 * The request's absolute URL. The origin comes from the Host header, as the client addressed the
 * server (the mock builds `Link` URLs from it, so a client following them comes back here); when
 * the Host header is missing or unusable, from the listening address.
 */
export function requestUrl(req: IncomingMessage, fallbackOrigin: string): URL {
  const target = req.url ?? '/';
  const host = req.headers.host;
  const origin = host !== undefined && HOST_HEADER.test(host) ? `http://${host}` : fallbackOrigin;
  // Origin-form targets (`/path?query`, the usual case) are appended, so `//x/...` stays a path;
  // absolute-form ones (`GET http://h/p HTTP/1.1`) are taken as they are.
  try {
    return target.startsWith('/') ? new URL(`${origin}${target}`) : new URL(target, origin);
  } catch {
    return new URL(target.startsWith('/') ? `${fallbackOrigin}${target}` : '/', fallbackOrigin);
  }
}

/** Converts a Node request (with its body already read) into a Fetch `Request`. */
export function toFetchRequest(req: IncomingMessage, url: URL, body: Buffer | undefined): Request {
  const headers = new Headers();
  const raw = req.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!;
    // Pseudo-headers (HTTP/2 compat) are not legal Fetch header names.
    if (name.charCodeAt(0) !== 58 /* ':' */) headers.append(name, raw[i + 1]!);
  }
  const method = req.method ?? 'GET';
  const init: RequestInit = { method, headers };
  if (!BODYLESS_METHODS.has(method.toUpperCase()) && body !== undefined && body.byteLength > 0) {
    // Buffers read from a socket live on a plain ArrayBuffer, never a SharedArrayBuffer.
    init.body = body as Uint8Array<ArrayBuffer>;
  }
  return new Request(url, init);
}

/**
 * Decodes request bodies as Fetch's `Request.text()` does (UTF-8, a leading BOM dropped, malformed
 * bytes replaced), so `mock.handle()` reads the same text as `mock.fetch()` would.
 */
const UTF8 = new TextDecoder();

/**
 * The plain request `mock.handle()` takes, straight from a Node request (its body already read):
 * no Fetch objects, so the server pays neither for building them nor for loading undici. The mock
 * reads no headers, so none are copied; the body is decoded only if the mock asks for it.
 */
export function toPlainRequest(method: string, url: URL, body: Buffer | undefined): PlainRequest {
  return {
    method,
    url: url.href,
    text: async () => (body === undefined || body.byteLength === 0 ? '' : UTF8.decode(body)),
  };
}

export function isBodylessMethod(method: string): boolean {
  return BODYLESS_METHODS.has(method.toUpperCase());
}
