// Concurrency over loopback: hundreds of parallel creates, updates and deletes against the
// standalone server lose no write and duplicate no id; a spawned `tokens-mock` under a sustained,
// bounded load answers without errors and its resident memory does not keep growing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/server/index.ts';
import { call } from './support.ts';
import { spawnServer, type SpawnedServer } from './spawned-server.ts';

const PARALLEL = 200;

describe('parallel writes against startServer over loopback', () => {
  let running: RunningServer;
  let secret = '';
  beforeAll(async () => {
    running = await startServer({ mockOptions: { seed: 5, rateLimit: false }, port: 0, docsDir: false });
    secret = (await running.mock.defaultAccount()).secretToken;
  });
  afterAll(() => running.close());

  const api = (method: string, path: string, body?: unknown) =>
    call(fetch, running.url, method, path, { token: secret, ...(body !== undefined && { body }) });

  /** Every token of the account, following Link pages. */
  async function listAll(): Promise<Array<{ id: string; note: string | null; scopes: string[] }>> {
    const items = [];
    let next: string | undefined = `${running.url}/tokens/v2/mockuser?limit=100&access_token=${secret}`;
    for (let page = 0; next !== undefined && page < 100; page++) {
      const response: Response = await fetch(next);
      items.push(...((await response.json()) as Array<{ id: string; note: string | null; scopes: string[] }>));
      next = /<([^>]+)>; rel="next"/.exec(response.headers.get('link') ?? '')?.[1];
      if (next !== undefined) next += `&access_token=${secret}`;
    }
    return items;
  }

  it(`${PARALLEL} parallel creates: every one stored once, with a unique id`, async () => {
    const before = (await listAll()).length;
    const results = await Promise.all(
      Array.from({ length: PARALLEL }, (_, i) => api('POST', '/tokens/v2/mockuser', { note: `parallel ${i}`, scopes: ['styles:read'] })),
    );
    expect(results.map((result) => result.status)).toEqual(results.map(() => 200));
    const ids = results.map((result) => result.body.id as string);
    expect(new Set(ids).size).toBe(PARALLEL);
    const listed = await listAll();
    expect(listed.length).toBe(before + PARALLEL);
    expect(new Set(listed.map((item) => item.id)).size).toBe(listed.length);
    const notes = new Map(listed.map((item) => [item.id, item.note]));
    for (const [i, result] of results.entries()) expect(notes.get(result.body.id)).toBe(`parallel ${i}`);
  });

  it('parallel updates of distinct tokens all land; racing updates of one token leave one of their values', async () => {
    const created = await Promise.all(
      Array.from({ length: 100 }, (_, i) => api('POST', '/tokens/v2/mockuser', { note: `u${i}`, scopes: ['styles:read'] })),
    );
    const ids = created.map((result) => result.body.id as string);
    const distinct = ids.map((id, i) =>
      api('PATCH', `/tokens/v2/mockuser/${id}`, { note: `updated ${i}`, scopes: ['styles:read', 'fonts:read'] }),
    );
    const racing = Array.from({ length: 100 }, (_, i) => api('PATCH', `/tokens/v2/mockuser/${ids[0]}`, { note: `race ${i}` }));
    const results = await Promise.all([...distinct, ...racing]);
    expect(results.every((result) => result.status === 200)).toBe(true);
    const listed = new Map((await listAll()).map((item) => [item.id, item]));
    for (const [i, id] of ids.slice(1).entries()) {
      expect(listed.get(id)).toMatchObject({ note: `updated ${i + 1}`, scopes: ['styles:read', 'fonts:read'] });
    }
    const raced = listed.get(ids[0]!)!;
    expect([`updated 0`, ...racing.map((_, i) => `race ${i}`)]).toContain(raced.note);
    expect(raced.scopes).toEqual(['styles:read', 'fonts:read']);
  });

  it('parallel deletes, duplicate deletes and creates at once: each delete wins once, nothing else is lost', async () => {
    const created = await Promise.all(Array.from({ length: 150 }, () => api('POST', '/tokens/v2/mockuser', { scopes: ['styles:read'] })));
    const ids = created.map((result) => result.body.id as string);
    const before = new Set((await listAll()).map((item) => item.id));
    const deletes = ids.flatMap((id) => [api('DELETE', `/tokens/v2/mockuser/${id}`), api('DELETE', `/tokens/v2/mockuser/${id}`)]);
    const creates = Array.from({ length: 100 }, () => api('POST', '/tokens/v2/mockuser', { scopes: ['fonts:read'] }));
    const updates = ids.slice(0, 50).map((id) => api('PATCH', `/tokens/v2/mockuser/${id}`, { note: 'late' }));
    const [deleted, added, updated] = await Promise.all([Promise.all(deletes), Promise.all(creates), Promise.all(updates)]);
    for (let i = 0; i < ids.length; i++) {
      expect([deleted[2 * i]!.status, deleted[2 * i + 1]!.status].sort()).toEqual([204, 404]);
    }
    expect(added.every((result) => result.status === 200)).toBe(true);
    // An update racing a delete either lands first (200) or finds the token gone (404).
    expect(updated.every((result) => result.status === 200 || result.status === 404)).toBe(true);
    const after = new Set((await listAll()).map((item) => item.id));
    const expected = new Set([...before].filter((id) => !ids.includes(id)));
    for (const result of added) expected.add(result.body.id);
    expect(after).toEqual(expected);
  });
});

describe('sustained load against a spawned tokens-mock', () => {
  let server: SpawnedServer;
  beforeAll(async () => {
    server = await spawnServer(['--rate-limit', 'off', '--quiet']);
  });
  afterAll(() => server.stop());

  it('answers a bounded mixed load without errors, and its memory does not keep growing', async () => {
    const LOAD_MS = 5_000;
    const WORKERS = 16;
    const MAX_REQUESTS = 60_000;
    const base = server.baseUrl;
    const token = server.token;
    const unexpected: string[] = [];
    const rss: number[] = [];
    let requests = 0;
    const started = Date.now();
    const check = async (method: string, path: string, expected: number, body?: unknown, rawBody?: string): Promise<any> => {
      requests++;
      const result = await call(fetch, base, method, path, {
        token,
        ...(body !== undefined && { body }),
        ...(rawBody !== undefined && { rawBody }),
      });
      if (result.status !== expected) unexpected.push(`${method} ${path.slice(0, 40)} -> ${result.status} ${result.text.slice(0, 100)}`);
      return result.body;
    };
    // One cycle creates, reads, updates and deletes, so the account's size stays flat: memory
    // that keeps growing would be a leak, not data.
    const worker = async (n: number): Promise<void> => {
      while (Date.now() - started < LOAD_MS && requests < MAX_REQUESTS && unexpected.length < 20) {
        const created = await check('POST', '/tokens/v2/mockuser', 200, { note: `load ${n}`, scopes: ['styles:read'] });
        await check('GET', '/tokens/v2/mockuser', 200);
        await check('GET', `/tokens/v2`, 200);
        await check('PATCH', `/tokens/v2/mockuser/${created.id}`, 200, { note: 'updated' });
        await check('POST', '/tokens/v2/mockuser', 400, undefined, '{"note":');
        await check('DELETE', `/tokens/v2/mockuser/${created.id}`, 204);
      }
    };
    const sampler = (async () => {
      while (Date.now() - started < LOAD_MS) {
        rss.push(await server.rssKiB());
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    })();
    await Promise.all([...Array.from({ length: WORKERS }, (_, n) => worker(n)), sampler]);
    expect(unexpected).toEqual([]);
    expect(requests).toBeGreaterThan(500);
    expect(server.stderr()).toBe('');
    const third = Math.floor(rss.length / 3);
    const median = (values: number[]): number => [...values].sort((a, b) => a - b)[values.length >> 1]!;
    const first = median(rss.slice(0, third));
    const last = median(rss.slice(-third));
    // Generous: warm-up (JIT, caches filling) may add some; a leak under this load adds far more.
    expect(last, `RSS KiB samples: ${rss.join(',')}`).toBeLessThan(first * 1.5 + 40 * 1024);
  });
});
