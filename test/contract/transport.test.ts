import { describe, expect, it } from 'vitest';
import { SecretSet, redactText, redactValue } from '../../src/contract/redact.ts';
import { TokenBucket } from '../../src/contract/token-bucket.ts';
import { Transport, resetWaitMs } from '../../src/contract/transport.ts';
import { ServerUnreachableError } from '../../src/contract/errors.ts';
import { nextLink } from '../../src/contract/link-header.ts';

const SECRET = 'sk.eyJ1IjoibW9ja3VzZXIiLCJhIjoiY2sxMjMifQ.abcdefghijklmnopqrstuv';

describe('redaction', () => {
  it('redacts token strings, access_token values and extra secrets, keeping the usage prefix', () => {
    const text = `GET https://x/tokens/v2/u?limit=1&access_token=${SECRET} {"token":"pk.eyJ1IjoiYSJ9.sig"} tk.abc.def secret:hunter2hunter2`;
    const out = redactText(text, ['hunter2hunter2']);
    expect(out).toBe('GET https://x/tokens/v2/u?limit=1&access_token=sk.… {"token":"pk.…"} tk.… secret:…');
    expect(redactText('?access_token=not-a-token&x=1')).toBe('?access_token=…&x=1');
    expect(redactValue({ list: [{ token: SECRET, note: 'n' }] })).toEqual({ list: [{ token: 'sk.…', note: 'n' }] });
  });

  it('redacts a known secret in every spelling: JSON-escaped, percent-encoded, as a key, its signature alone', () => {
    const secrets = new SecretSet([SECRET]);
    const signature = SECRET.split('.')[2]!;
    const escaped = SECRET.replace(/\./g, '\\u002E').replace(/e/, '\\u0065');
    expect(secrets.redact(`a ${escaped} b`)).toBe('a sk.… b');
    expect(secrets.redact(`a ${encodeURIComponent(SECRET).replace(/\./g, '%2e')} b`)).toBe('a sk.… b');
    expect(secrets.redact(`sig=${signature}`)).toBe('sig=…');
    expect(redactValue({ [SECRET]: 1 }, secrets)).toEqual({ 'sk.…': 1 });
  });

  it('redacts values nested without bound without overflowing the stack', () => {
    let deep: unknown = 'sk.abc.def';
    for (let depth = 0; depth < 10_000; depth++) deep = [deep];
    expect(() => JSON.stringify(redactValue(deep))).not.toThrow();
  });
});

describe('Transport', () => {
  it('waits for X-Rate-Limit-Reset after a 429 and retries, recording both exchanges redacted', async () => {
    const statuses = [429, 200];
    const seen: string[] = [];
    const fetch = async (request: Request): Promise<Response> => {
      seen.push(request.url);
      const status = statuses.shift()!;
      const headers = { 'content-type': 'application/json; charset=utf-8', 'x-rate-limit-reset': String(Math.floor(Date.now() / 1000)) };
      return new Response(JSON.stringify(status === 429 ? { message: 'Too Many Requests' } : []), { status, headers });
    };
    const transport = new Transport({ fetch, pacing: false, secrets: new SecretSet([SECRET]) });
    const response = await transport.send({ method: 'GET', url: `https://x/tokens/v2/u?access_token=${SECRET}` });
    expect(response.status).toBe(200);
    expect(response.json).toEqual([]);
    expect(seen).toHaveLength(2);
    expect(transport.requestCount).toBe(2);
    expect(response.record.request.url).toBe('https://x/tokens/v2/u?access_token=sk.…');
  });

  it('returns the 429 itself when retries are off', async () => {
    const fetch = async (): Promise<Response> => new Response('{"message":"Too Many Requests"}', { status: 429 });
    const transport = new Transport({ fetch, pacing: false, secrets: new SecretSet() });
    const response = await transport.send({ method: 'GET', url: 'https://x/' }, { retryOn429: false });
    expect(response.status).toBe(429);
    expect(transport.requestCount).toBe(1);
  });

  it('turns a network failure into ServerUnreachableError without leaking the token', async () => {
    const fetch = async (): Promise<Response> => {
      throw new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED 127.0.0.1:9') });
    };
    const transport = new Transport({ fetch, pacing: false, secrets: new SecretSet([SECRET]) });
    const attempt = transport.send({ method: 'GET', url: `http://127.0.0.1:9/tokens/v2?access_token=${SECRET}` });
    await expect(attempt).rejects.toBeInstanceOf(ServerUnreachableError);
    await expect(attempt).rejects.toThrow('GET http://127.0.0.1:9/tokens/v2?access_token=sk.… failed: connect ECONNREFUSED 127.0.0.1:9');
  });

  it('times out a request whose fetch ignores its signal and never answers (the timeout really fires)', async () => {
    const fetch = (): Promise<Response> => new Promise(() => undefined);
    const transport = new Transport({ fetch, pacing: false, secrets: new SecretSet([SECRET]), timeoutMs: 200 });
    await expect(transport.send({ method: 'GET', url: `https://x/tokens/v2?access_token=${SECRET}` })).rejects.toThrow(
      'GET https://x/tokens/v2?access_token=sk.…: no complete answer within 0.2 s (--timeout)',
    );
  });

  it('times out a body that never ends, and cuts off one longer than the cap', async () => {
    const endless = (): Promise<Response> =>
      Promise.resolve(new Response(new ReadableStream({ pull: (controller) => controller.enqueue(new Uint8Array(1024)) })));
    const capped = new Transport({ fetch: endless, pacing: false, secrets: new SecretSet(), maxBodyBytes: 64 * 1024 });
    await expect(capped.send({ method: 'GET', url: 'https://x/tokens/v2' })).rejects.toThrow(
      'the response body exceeds 65536 bytes (--max-body)',
    );
    const stalled = (): Promise<Response> =>
      Promise.resolve(new Response(new ReadableStream({ start: (controller) => controller.enqueue(new Uint8Array(8)) })));
    const timed = new Transport({ fetch: stalled, pacing: false, secrets: new SecretSet(), timeoutMs: 200 });
    await expect(timed.send({ method: 'GET', url: 'https://x/tokens/v2' })).rejects.toThrow('no complete answer within 0.2 s');
  });

  it("never sends to another origin than the base URL's, and never follows a redirect", async () => {
    const seen: Request[] = [];
    const fetch = async (request: Request): Promise<Response> => {
      seen.push(request);
      return new Response(null, { status: 302, headers: { location: 'https://elsewhere.example/' } });
    };
    const transport = new Transport({ fetch, pacing: false, secrets: new SecretSet([SECRET]), origin: 'https://x' });
    await expect(transport.send({ method: 'GET', url: `https://elsewhere.example/?access_token=${SECRET}` })).rejects.toThrow(
      /not on the base URL's origin https:\/\/x/,
    );
    const response = await transport.send({ method: 'GET', url: 'https://x/tokens/v2' });
    expect(response.status).toBe(302);
    expect(seen.map((request) => [request.url, request.redirect])).toEqual([['https://x/tokens/v2', 'manual']]);
  });

  it('reads the wait from X-Rate-Limit-Reset, else X-Rate-Limit-Interval, bounded', () => {
    const now = 1_700_000_000_000;
    expect(resetWaitMs(new Headers({ 'x-rate-limit-reset': String(now / 1000 + 10) }), now)).toBe(10_250);
    expect(resetWaitMs(new Headers({ 'x-rate-limit-reset': String(now / 1000 + 3600) }), now)).toBe(65_000);
    expect(resetWaitMs(new Headers({ 'x-rate-limit-interval': '60' }), now)).toBe(60_000);
  });
});

describe('TokenBucket', () => {
  it('grants the burst at once, then one permit per refill period', async () => {
    let now = 0;
    const bucket = new TokenBucket({ perMinute: 60_000, burst: 2 }, () => now);
    await bucket.take();
    await bucket.take();
    let third = false;
    const pending = bucket.take().then(() => {
      third = true;
    });
    await Promise.resolve();
    expect(third).toBe(false);
    now += 1; // one permit per millisecond at 60 000 per minute
    await pending;
    expect(third).toBe(true);
  });

  it('rejects a wait when aborted', async () => {
    const bucket = new TokenBucket({ perMinute: 1, burst: 1 }, () => 0);
    await bucket.take();
    const controller = new AbortController();
    const waiting = bucket.take(controller.signal);
    controller.abort(new Error('stop'));
    await expect(waiting).rejects.toThrow('stop');
  });
});

describe('nextLink', () => {
  it('finds rel="next" (quoted or not) and nothing else', () => {
    expect(nextLink('<https://a/tokens/v2/u?start=x&limit=2>; rel="next"')).toBe('https://a/tokens/v2/u?start=x&limit=2');
    expect(nextLink('<https://a/p1>; rel=prev, <https://a/p3>; rel=next')).toBe('https://a/p3');
    expect(nextLink('<https://a/p1>; rel="prev"')).toBeUndefined();
    expect(nextLink(null)).toBeUndefined();
  });
});
