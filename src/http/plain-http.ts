// The mock's own request and response shapes: plain objects, so the request handler needs no Fetch API
// classes. Under Node, the first `new Request`/`new Headers`/`new Response` loads undici (tens of
// milliseconds of a server's cold start), and building those objects and reading their bodies back
// costs a server a large share of its time per request; the standalone server calls `handle()` and
// builds none. mock.fetch() and the msw handlers convert at the edge with toFetchResponse().

/**
 * What the mock reads of a request: its method, absolute URL and body text. A Fetch `Request`
 * satisfies it as it is, so `mock.handle(request)` accepts one too.
 */
export interface PlainRequest {
  /** HTTP method, any case. */
  readonly method: string;
  /** Absolute URL, query included; the mock builds pagination `Link` URLs from its origin. */
  readonly url: string;
  /** The body as text ('' when there is none). A rejection is answered like an unparsable body. */
  text(): Promise<string>;
}

/**
 * What Playwright's `route.request()` is (playwright-core's `Request`): the same facts behind
 * methods, the body as `postData()` (null when there is none). `mock.handle()` takes one as it is,
 * so a `page.route` handler needs no adapter.
 */
export interface PlaywrightRequestLike {
  method(): string;
  url(): string;
  postData(): string | null;
}

/** Everything `mock.handle()` takes: a `PlainRequest` (a Fetch `Request` fits) or Playwright's request. */
export type HandleableRequest = PlainRequest | PlaywrightRequestLike;

/** Playwright's request as a PlainRequest; a PlainRequest as it is. */
export function toPlainRequest(request: HandleableRequest): PlainRequest {
  if (typeof request.url !== 'function') return request as PlainRequest;
  const playwright = request as PlaywrightRequestLike;
  const body = playwright.postData() ?? '';
  return { method: playwright.method(), url: playwright.url(), text: async () => body };
}

/**
 * An answer of the mock as plain data: exactly what `mock.fetch()` would answer, before it becomes
 * a Fetch `Response`. Header names are unique ignoring case; there is no Content-Length (a server
 * writes the length of the bytes it sends); `body` is null when the status carries none (204).
 */
export interface PlainResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | null;
}

/** The Fetch `Response` for a plain answer: the one conversion mock.fetch() and the msw handlers share. */
export function toFetchResponse(answer: PlainResponse): Response {
  return new Response(answer.body, { status: answer.status, headers: answer.headers });
}
