// Issue 14: anonymous clients cannot make the server hold memory. Request bodies buffered at once
// are bounded in total (503 JSON past the bound), slow or unfinished uploads time out (408) and
// give their memory back, and the token verification cache is a bounded LRU.
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createCachingSigner as createSigner, VERIFY_CACHE_MAX_KEY_CHARS, VERIFY_CACHE_SIZE } from '../../src/state/signer.ts';
import { startServer, type RunningServer } from '../../src/server/index.ts';
import { rawRequest } from './http-client.ts';
import { createStandInMock, type StandInMock } from './stand-in-mock.ts';

const running: RunningServer<StandInMock>[] = [];
const sockets: Socket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await Promise.all(running.splice(0).map((server) => server.close()));
});

async function serve(options: { totalBodyLimit: number; bodyTimeoutMs: number }): Promise<RunningServer<StandInMock>> {
  const server = await startServer({ mock: createStandInMock(), port: 0, docsDir: false, bodyLimit: 2000, ...options });
  running.push(server);
  return server;
}

/** Starts an upload of `declared` bytes, sends `sent` of them, and keeps the connection open. */
function stalledUpload(server: RunningServer<StandInMock>, declared: number, sent: number): { socket: Socket; answer: Promise<string> } {
  const socket = connect(server.port, '127.0.0.1');
  sockets.push(socket);
  socket.write(`POST /upload HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: ${declared}\r\n\r\n${'x'.repeat(sent)}`);
  let received = '';
  socket.setEncoding('utf8').on('data', (chunk: string) => (received += chunk));
  const answer = new Promise<string>((resolve) => {
    socket.on('close', () => resolve(received));
    socket.on('error', () => undefined);
  });
  return { socket, answer };
}

describe('request bodies', () => {
  it('bounds the bytes buffered at once: past the bound 503 JSON; memory is released when uploads go away', async () => {
    const server = await serve({ totalBodyLimit: 3000, bodyTimeoutMs: 30_000 });
    const first = stalledUpload(server, 1500, 1000);
    const second = stalledUpload(server, 1500, 1000);
    // Let the server buffer both partial bodies (2000 of 3000 bytes).
    await new Promise((resolve) => setTimeout(resolve, 200));
    const refused = await rawRequest(`${server.url}/upload`, { method: 'POST', body: 'y'.repeat(1500) });
    expect(refused.status).toBe(503);
    expect(JSON.parse(refused.body)).toEqual({ message: 'Service Unavailable: too many request bodies in progress, retry later' });
    expect(refused.headers['content-type']).toBe('application/json; charset=utf-8');
    // A small body still fits.
    expect((await rawRequest(`${server.url}/upload`, { method: 'POST', body: 'small' })).status).toBe(200);
    first.socket.destroy();
    second.socket.destroy();
    await Promise.all([first.answer, second.answer]);
    // Their bytes were given back: a body that did not fit before now does (once the server has
    // seen the connections close; bounded wait).
    let accepted = await rawRequest(`${server.url}/upload`, { method: 'POST', body: 'z'.repeat(1900) });
    for (let attempt = 0; attempt < 100 && accepted.status === 503; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      accepted = await rawRequest(`${server.url}/upload`, { method: 'POST', body: 'z'.repeat(1900) });
    }
    expect(accepted.status).toBe(200);
    expect(JSON.parse(accepted.body).body).toHaveLength(1900);
  });

  it('times out a slow or unfinished upload with 408 JSON, closes it and gives its memory back', async () => {
    const server = await serve({ totalBodyLimit: 2500, bodyTimeoutMs: 300 });
    const slow = stalledUpload(server, 2000, 1500);
    const answer = await slow.answer;
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(answer).toContain('{"message":"Request Timeout: the request body did not arrive in time"}');
    // The connection was closed by the server (the answer promise resolves on close) and the 1500
    // bytes are free again: a 2000-byte body fits the 2500-byte bound.
    const accepted = await rawRequest(`${server.url}/upload`, { method: 'POST', body: 'z'.repeat(2000) });
    expect(accepted.status).toBe(200);
  });
});

describe('the token verification cache', () => {
  it('holds at most VERIFY_CACHE_SIZE verdicts, and never one for a token longer than the bound', async () => {
    const signer = await createSigner(new Uint8Array(32).fill(7));
    // Forged long tokens (15 KB), as an anonymous client could send: verified, never cached.
    const long = `pk.${'A'.repeat(15_000)}`;
    for (let i = 0; i < 50; i++) expect(await signer.verify(`${long}${i}`, 'forgedsignature0000000')).toBe(false);
    expect(signer.cachedVerdicts()).toBe(0);
    expect(`${long}.x`.length).toBeGreaterThan(VERIFY_CACHE_MAX_KEY_CHARS);
    // Many short forged tokens: the cache stops growing at its bound.
    for (let i = 0; i < VERIFY_CACHE_SIZE + 500; i++) await signer.verify(`pk.payload${i}`, 'forgedsignature0000000');
    expect(signer.cachedVerdicts()).toBe(VERIFY_CACHE_SIZE);
    // A genuine signature still verifies (and is cached) after all that.
    const signature = await signer.sign('pk.genuine');
    expect(await signer.verify('pk.genuine', signature)).toBe(true);
    expect(await signer.verify('pk.genuine', signature)).toBe(true);
    expect(signer.cachedVerdicts()).toBe(VERIFY_CACHE_SIZE);
  });
});
