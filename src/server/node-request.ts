import type { IncomingMessage } from 'node:http';
import type { PlainRequest } from '../http/plain-http.ts';
import { BodyBudgetError, BodyTimeoutError, PayloadTooLargeError } from './server-errors.ts';

/** A Host header usable as an origin: name, IPv4 or [IPv6], optional port; nothing that changes the URL's shape. */
const HOST_HEADER = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/** Methods whose requests carry no body in Fetch (`new Request` refuses one). */
const BODYLESS_METHODS = new Set(['GET', 'HEAD']);

/**
 * Bytes of request bodies buffered at once, across all requests of a server. Anonymous clients
 * decide how many uploads are in flight, so the sum is bounded, not only each body.
 */
export interface BodyBudget {
  used: number;
  readonly limit: number;
}

/**
 * Reads the whole request body, refusing more than `limit` bytes. A declared Content-Length over
 * the limit is refused before reading anything; a chunked body is refused as soon as it passes
 * the limit. Its bytes count against `budget` while buffered (over it: BodyBudgetError) and are
 * released on every outcome; a body not complete within `timeoutMs` is a BodyTimeoutError. After
 * any refusal the caller answers and closes the connection (see start-server).
 */
export function readBody(
  req: IncomingMessage,
  limit: number,
  budget: BodyBudget = { used: 0, limit: Infinity },
  timeoutMs = Infinity,
): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.reject(new PayloadTooLargeError(limit));
  if (Number.isFinite(declared) && budget.used + declared > budget.limit) return Promise.reject(new BodyBudgetError());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    const fail = (error: Error): void => {
      cleanup();
      chunks.length = 0;
      reject(error);
    };
    const onData = (chunk: Buffer): void => {
      if (received + chunk.byteLength > limit) {
        fail(new PayloadTooLargeError(limit));
        return;
      }
      if (budget.used + chunk.byteLength > budget.limit) {
        fail(new BodyBudgetError());
        return;
      }
      received += chunk.byteLength;
      budget.used += chunk.byteLength;
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      cleanup();
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, received));
    };
    const onError = (error: Error): void => fail(error);
    // The client went away before the end: nothing will come, release what it sent.
    const onClose = (): void => fail(new Error('the client closed the connection during the request body'));
    const timer = Number.isFinite(timeoutMs) ? setTimeout(() => fail(new BodyTimeoutError(timeoutMs)), timeoutMs) : undefined;
    timer?.unref();
    const cleanup = (): void => {
      clearTimeout(timer);
      budget.used -= received;
      received = 0;
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
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
