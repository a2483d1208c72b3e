import { ServerUnreachableError } from './errors.ts';
import { boundedJson, detach, MAX_JSON_CHARS } from './bounded-json.ts';
import type { SecretSet } from './redact.ts';
import { abortableSleep, abortReason } from './sleep.ts';
import { TokenBucket, type PacingOptions } from './token-bucket.ts';
import type { FetchLike, RecordedExchange } from './types.ts';

/** A response read once, with its body as text and (when it parses) as JSON. */
export interface ApiResponse {
  method: string;
  url: string;
  status: number;
  headers: Headers;
  /** The body (a longer one is cut to its first 64 KiB, followed by `… (N bytes)`). */
  text: string;
  /** Parsed JSON body; undefined when the body is empty, not JSON or too deep/large (see `jsonError`). */
  json: unknown;
  jsonError?: string;
  record: RecordedExchange;
}

export interface OutgoingRequest {
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: string;
  label?: string;
}

export interface SendOptions {
  /** Waits for the pacing bucket first (default true; the rate-limit check bypasses it). */
  paced?: boolean;
  /** On 429, waits (backoff, X-Rate-Limit-Reset) and retries within the run's budget (default true). */
  retryOn429?: boolean;
  signal?: AbortSignal;
}

export interface TransportOptions {
  fetch: FetchLike;
  pacing: PacingOptions | false;
  /** Every secret of the run (the master token, token strings seen in answers): never recorded. */
  secrets: SecretSet;
  /** The only origin requests may go to (the base URL's): the token never leaves it. */
  origin?: string;
  /** Per-request timeout in ms, reading the body included (default 30 s). */
  timeoutMs?: number;
  /** Largest body read, in bytes (default 10 MiB): a longer one is cut off and the request fails. */
  maxBodyBytes?: number;
  /** Called once when the server has answered nothing but 429 for too long: the run stops. */
  onOnly429?: (message: string) => void;
}

export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_BODY_BYTES = 10 * 1024 * 1024;
/** Retries of one request after a 429. */
const MAX_429_RETRIES = 3;
/** Retries of the whole run after 429s: a server that keeps refusing cannot hold the run for hours. */
const RUN_429_RETRY_BUDGET = 12;
/** Time the whole run may spend waiting after 429s before it stops retrying. */
const RUN_429_WAIT_BUDGET_MS = 120_000;
/** Requests in a row that got only 429 (retries included) before the run stops. */
const ONLY_429_LIMIT = 8;
const MAX_RESET_WAIT_MS = 65_000;
/** Recorded bodies are cut to this many characters (after redaction). */
const RECORDED_BODY_CHARS = 16 * 1024;
/** `ApiResponse.text` keeps this many characters of a longer body (answers outlive their request). */
const RETAINED_TEXT_CHARS = 64 * 1024;

/** A request the transport refused to send or could not complete: a check error, never a pass. */
export class TransportError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TransportError';
  }
}

/**
 * The one place requests leave the suite: paces them, keeps them on the base URL's origin, never
 * follows a redirect, reads each body as a capped stream under a timeout that fires even when the
 * fetch ignores its signal, handles 429 within a budget, counts requests, and records a redacted
 * copy of each exchange.
 */
export class Transport {
  readonly #options: TransportOptions;
  readonly #bucket: TokenBucket | undefined;
  readonly #inFlight = new Set<Promise<unknown>>();
  #count = 0;
  #retries429 = 0;
  #waited429Ms = 0;
  #only429InARow = 0;

  constructor(options: TransportOptions) {
    this.#options = options;
    this.#bucket = options.pacing === false ? undefined : new TokenBucket(options.pacing);
  }

  get requestCount(): number {
    return this.#count;
  }

  get secrets(): SecretSet {
    return this.#options.secrets;
  }

  redact(text: string): string {
    return this.#options.secrets.redact(text);
  }

  /** Resolves when every request sent so far has settled (or `signal` aborts). */
  async settle(signal?: AbortSignal): Promise<void> {
    while (this.#inFlight.size > 0) {
      const pending = Promise.allSettled([...this.#inFlight]);
      if (!signal) await pending;
      else {
        if (signal.aborted) return;
        let onAbort = (): void => undefined;
        const aborted = new Promise<void>((resolve) => {
          onAbort = resolve;
          signal.addEventListener('abort', onAbort, { once: true });
        });
        await Promise.race([pending, aborted]);
        signal.removeEventListener('abort', onAbort);
        if (signal.aborted) return;
      }
    }
  }

  async send(request: OutgoingRequest, options: SendOptions = {}): Promise<ApiResponse> {
    for (let attempt = 0; ; attempt++) {
      if (options.paced !== false) await this.#bucket?.take(options.signal);
      const response = await this.#track(this.#sendOnce(request, options.signal));
      if (response.status !== 429) {
        this.#only429InARow = 0;
        return response;
      }
      const waitMs = Math.min(backoffMs(response.headers, attempt), RUN_429_WAIT_BUDGET_MS - this.#waited429Ms);
      const retry = options.retryOn429 !== false && attempt < MAX_429_RETRIES && this.#retries429 < RUN_429_RETRY_BUDGET && waitMs > 0;
      if (!retry) {
        if (options.retryOn429 !== false) this.#noted429(request);
        return response;
      }
      this.#retries429 += 1;
      this.#waited429Ms += waitMs;
      await abortableSleep(waitMs, options.signal);
    }
  }

  #noted429(request: OutgoingRequest): void {
    this.#only429InARow += 1;
    const budgetSpent = this.#retries429 >= RUN_429_RETRY_BUDGET || this.#waited429Ms >= RUN_429_WAIT_BUDGET_MS;
    if (this.#only429InARow === ONLY_429_LIMIT || (budgetSpent && this.#only429InARow === 1)) {
      this.#options.onOnly429?.(
        `the server answered 429 Too Many Requests to ${this.#only429InARow} request(s) in a row after ${this.#retries429} retries with backoff ` +
          `(last: ${request.method} ${this.redact(request.url)}); stopping the run`,
      );
    }
  }

  #track<T>(promise: Promise<T>): Promise<T> {
    this.#inFlight.add(promise);
    const done = (): void => {
      this.#inFlight.delete(promise);
    };
    promise.then(done, done);
    return promise;
  }

  async #sendOnce(request: OutgoingRequest, signal?: AbortSignal): Promise<ApiResponse> {
    const target = new URL(request.url);
    if (this.#options.origin !== undefined && target.origin !== this.#options.origin) {
      // Only a bug or a server-supplied URL can get here: the token must not go there.
      throw new TransportError(
        `refusing to send ${request.method} ${this.redact(request.url)}: it is not on the base URL's origin ${this.#options.origin}`,
      );
    }
    if (signal?.aborted) throw abortReason(signal);
    this.#count += 1;
    const started = Date.now();
    const record: RecordedExchange = {
      request: { method: request.method, url: this.redact(request.url) },
      durationMs: 0,
    };
    if (request.label !== undefined) record.label = request.label;
    if (request.body !== undefined) record.request.body = this.redact(request.body);

    // One controller per request, referenced here until the body is read: a signal reachable only
    // through a Request can be garbage-collected and never fire (nodejs/node#55428). The timer
    // also rejects on its own, so a fetch that ignores its signal still ends on time.
    const controller = new AbortController();
    const timeoutMs = this.#options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => {
        const error = new TransportError(
          `${request.method} ${this.redact(request.url)}: no complete answer within ${timeoutMs / 1000} s (--timeout)`,
        );
        controller.abort(error);
        reject(error);
      }, timeoutMs);
    });
    deadline.catch(() => undefined);
    const onAbort = (): void => controller.abort(signal!.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    const aborted = new Promise<never>((_resolve, reject) => {
      controller.signal.addEventListener('abort', () => reject(abortReason(controller.signal)), { once: true });
    });
    aborted.catch(() => undefined);

    try {
      const init: RequestInit = { method: request.method, headers: request.headers ?? {}, redirect: 'manual', signal: controller.signal };
      if (request.body !== undefined) init.body = request.body;
      let response: Response;
      try {
        // The fetch itself is tracked too: cleanup waits for it (a create the server completes late is then listed).
        const fetched = this.#track(this.#options.fetch(new Request(request.url, init)));
        fetched.catch(() => undefined);
        response = await Promise.race([fetched, deadline, aborted]);
      } catch (error) {
        if (signal?.aborted) throw abortReason(signal);
        if (error instanceof TransportError) throw error;
        throw new ServerUnreachableError(
          `${request.method} ${this.redact(request.url)} failed: ${this.redact(describeFetchError(error, target))}`,
          {
            cause: error,
          },
        );
      }
      const maxBytes = this.#options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
      let body: ReadBody;
      try {
        body = await Promise.race([readCapped(response, maxBytes, request), deadline, aborted]);
      } catch (error) {
        response.body?.cancel().catch(() => undefined);
        if (signal?.aborted) throw abortReason(signal);
        throw error instanceof TransportError
          ? error
          : new TransportError(`${request.method} ${this.redact(request.url)}: reading the body failed: ${this.redact(String(error))}`);
      }
      const { text } = body;
      const parsed = !body.complete
        ? {
            value: undefined,
            error: `the body has ${body.bytes} bytes, more than the ${MAX_JSON_CHARS} characters parsed as JSON; not examined`,
          }
        : text.length > 0
          ? boundedJson(text)
          : { value: undefined };
      // Every token string the server shows is a secret from now on (before anything records it).
      this.#options.secrets.harvest(text, parsed.value);
      record.durationMs = Date.now() - started;
      const recordedBody = this.redact(text);
      record.response = {
        status: response.status,
        headers: this.#redactHeaders(response.headers),
        body:
          recordedBody.length > RECORDED_BODY_CHARS || !body.complete
            ? `${detach(recordedBody.slice(0, RECORDED_BODY_CHARS))}… (${body.bytes} bytes)`
            : recordedBody,
      };
      const result: ApiResponse = {
        method: request.method,
        url: request.url,
        status: response.status,
        headers: response.headers,
        text:
          text.length > RETAINED_TEXT_CHARS || !body.complete
            ? `${detach(text.slice(0, RETAINED_TEXT_CHARS))}… (${body.bytes} bytes)`
            : text,
        json: parsed.value,
        record,
      };
      if (parsed.error !== undefined) result.jsonError = parsed.error;
      return result;
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  #redactHeaders(headers: Headers): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [name, value] of headers.entries()) out[this.redact(name)] = this.redact(value);
    return out;
  }
}

interface ReadBody {
  /** The body, or (`complete` false) its first chunks up to MAX_JSON_CHARS characters when it is longer. */
  text: string;
  bytes: number;
  complete: boolean;
}

/**
 * The body read chunk by chunk; more than `maxBytes` cancels the stream and fails. Only what can
 * be parsed as JSON is decoded and kept; the rest is counted and dropped (nothing past it is ever
 * recorded), so a long body never sits in memory whole.
 */
async function readCapped(response: Response, maxBytes: number, request: OutgoingRequest): Promise<ReadBody> {
  if (!response.body) return { text: '', bytes: 0, complete: true };
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  const kept: string[] = [];
  let keptChars = 0;
  let complete = true;
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    if (bytes > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new TransportError(
        `${request.method} ${new URL(request.url).pathname}: the response body exceeds ${maxBytes} bytes (--max-body); stopped reading`,
      );
    }
    if (!complete) continue;
    const piece = decoder.decode(value, { stream: true });
    if (keptChars + piece.length > MAX_JSON_CHARS) complete = false;
    else {
      kept.push(piece);
      keptChars += piece.length;
    }
  }
  if (complete) kept.push(decoder.decode());
  return { text: kept.join(''), bytes, complete };
}

/** The low-level reason of a failed fetch, with a hint when the scheme looks wrong. */
function describeFetchError(error: unknown, target: URL): string {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  const message = cause instanceof Error ? cause.message : String(cause);
  const code = (cause as { code?: unknown } | undefined)?.code;
  const text = `${typeof code === 'string' ? `${code} ` : ''}${message}`;
  if (target.protocol === 'https:' && /wrong version number|packet length too long|EPROTO|ERR_SSL|record layer failure/i.test(text)) {
    return `${message} (the server does not speak TLS here: is it http://${target.host}?)`;
  }
  if (target.protocol === 'http:' && /HPE_|ECONNRESET|socket hang up|other side closed|Expected HTTP/i.test(text)) {
    return `${message} (the server may expect TLS: is it https://${target.host}?)`;
  }
  return message;
}

/** How long to wait after a 429: the later of X-Rate-Limit-Reset and an exponential backoff, bounded. */
function backoffMs(headers: Headers, attempt: number): number {
  return Math.min(MAX_RESET_WAIT_MS, Math.max(resetWaitMs(headers), 1000 * 2 ** attempt));
}

/** How long to wait after a 429: until X-Rate-Limit-Reset (epoch seconds) plus a margin, bounded. */
export function resetWaitMs(headers: Headers, now: number = Date.now()): number {
  const reset = Number(headers.get('x-rate-limit-reset'));
  if (Number.isFinite(reset) && reset > 0) {
    return Math.min(MAX_RESET_WAIT_MS, Math.max(250, reset * 1000 - now + 250));
  }
  const interval = Number(headers.get('x-rate-limit-interval'));
  return Number.isFinite(interval) && interval > 0 ? Math.min(MAX_RESET_WAIT_MS, interval * 1000) : 60_000;
}
