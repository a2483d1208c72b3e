import { ServerUnreachableError } from './errors.ts';
import { redactText } from './redact.ts';
import { abortableSleep } from './sleep.ts';
import { TokenBucket, type PacingOptions } from './token-bucket.ts';
import type { FetchLike, RecordedExchange } from './types.ts';

/** A response read once, with its body as text and (when it parses) as JSON. */
export interface ApiResponse {
  method: string;
  url: string;
  status: number;
  headers: Headers;
  text: string;
  /** Parsed JSON body; undefined when the body is empty or not JSON (see `jsonError`). */
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
  /** On 429, waits until X-Rate-Limit-Reset and retries (default true). */
  retryOn429?: boolean;
  signal?: AbortSignal;
}

export interface TransportOptions {
  fetch: FetchLike;
  pacing: PacingOptions | false;
  /** Strings that must never appear in records (the master token). */
  secrets: readonly string[];
  /** Per-request timeout in ms (default 30 s). */
  timeoutMs?: number;
}

const MAX_429_RETRIES = 3;
const MAX_RESET_WAIT_MS = 65_000;

/**
 * The one place requests leave the suite: paces them, honours 429 + X-Rate-Limit-Reset,
 * counts them and records a redacted copy of each exchange.
 */
export class Transport {
  readonly #options: TransportOptions;
  readonly #bucket: TokenBucket | undefined;
  #count = 0;

  constructor(options: TransportOptions) {
    this.#options = options;
    this.#bucket = options.pacing === false ? undefined : new TokenBucket(options.pacing);
  }

  get requestCount(): number {
    return this.#count;
  }

  redact(text: string): string {
    return redactText(text, this.#options.secrets);
  }

  async send(request: OutgoingRequest, options: SendOptions = {}): Promise<ApiResponse> {
    for (let attempt = 0; ; attempt++) {
      if (options.paced !== false) await this.#bucket?.take(options.signal);
      const response = await this.#sendOnce(request, options.signal);
      const mayRetry = options.retryOn429 !== false && attempt < MAX_429_RETRIES;
      if (response.status !== 429 || !mayRetry) return response;
      await abortableSleep(resetWaitMs(response.headers), options.signal);
    }
  }

  async #sendOnce(request: OutgoingRequest, signal?: AbortSignal): Promise<ApiResponse> {
    this.#count += 1;
    const started = Date.now();
    const timeout = AbortSignal.timeout(this.#options.timeoutMs ?? 30_000);
    const init: RequestInit = {
      method: request.method,
      headers: request.headers ?? {},
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    };
    if (request.body !== undefined) init.body = request.body;
    const record: RecordedExchange = {
      request: { method: request.method, url: this.redact(request.url) },
      durationMs: 0,
    };
    if (request.label !== undefined) record.label = request.label;
    if (request.body !== undefined) record.request.body = this.redact(request.body);
    let response: Response;
    try {
      response = await this.#options.fetch(new Request(request.url, init));
    } catch (error) {
      if (signal?.aborted) throw error;
      const cause = error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
      throw new ServerUnreachableError(
        `${request.method} ${this.redact(request.url)} failed: ${this.redact(cause)}`,
        { cause: error },
      );
    }
    const text = await response.text();
    record.durationMs = Date.now() - started;
    record.response = {
      status: response.status,
      headers: Object.fromEntries(response.headers.entries()),
      body: this.redact(text),
    };
    const result: ApiResponse = {
      method: request.method,
      url: request.url,
      status: response.status,
      headers: response.headers,
      text,
      json: undefined,
      record,
    };
    if (text.length > 0) {
      try {
        result.json = JSON.parse(text);
      } catch (error) {
        result.jsonError = error instanceof Error ? error.message : String(error);
      }
    }
    return result;
  }
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
