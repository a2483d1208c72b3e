// Safe on a real account: against a server that counts what it receives, exploration keeps to its
// request budget (cleanup included), paces itself, and leaves the account as it found it, also
// when interrupted.
import { afterEach, describe, expect, it } from 'vitest';
import { exploreContract } from '../../../src/contract/explore/explore.ts';
import { startCountingServer, type CountingServer } from './counting-server.ts';

let server: CountingServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('exploration against a server that counts requests', { timeout: 60_000 }, () => {
  it('the default budget (90) fits in one minute of the rate limit; the report counts what the server saw; cleanup leaves the account as it was', async () => {
    server = await startCountingServer();
    const before = await server.tokenIds();
    const report = await exploreContract({
      baseUrl: server.baseUrl,
      username: server.username,
      token: server.token,
      runs: 500,
      seed: 1,
      waits: false,
    });
    expect(report.requests.budget).toBe(90);
    expect(report.stopped).toBe('budget');
    expect(server.arrivals.length).toBeLessThanOrEqual(90);
    expect(server.arrivals.length).toBeGreaterThan(60);
    expect(report.requests.target).toBe(server.arrivals.length);
    expect(report.sequences.run).toBeGreaterThan(1);
    expect(report.divergence).toBeUndefined();
    expect(server.answers.filter((answer) => answer === 'POST 200').length).toBeGreaterThan(0);
    expect(report.cleanup).toMatchObject({ failures: [], remaining: [] });
    expect(await server.tokenIds()).toEqual(before);
  });

  it('a larger budget paces itself: never more than the burst plus the refill rate', async () => {
    server = await startCountingServer();
    const report = await exploreContract({
      baseUrl: server.baseUrl,
      username: server.username,
      token: server.token,
      runs: 500,
      seed: 2,
      waits: false,
      maxRequests: 30,
      pacing: { perMinute: 600, burst: 5 },
    });
    const arrivals = server.arrivals;
    expect(arrivals.length).toBeLessThanOrEqual(30);
    expect(report.requests.target).toBe(arrivals.length);
    // 600 a minute is one per 100 ms after a burst of 5 (10 ms of slack for timer rounding).
    for (let index = 5; index < arrivals.length; index++)
      expect(arrivals[index]! - arrivals[0]!).toBeGreaterThanOrEqual((index - 5) * 100 - 10);
  });

  it("never writes to a token it did not create; with such tokens in the account, listings compare on the run's own tokens", async () => {
    server = await startCountingServer(100_000);
    const foreign = await server.mock.issueToken(server.username, { note: "not the explorer's", scopes: ['styles:read', 'tokens:read'] });
    const report = await exploreContract({
      baseUrl: server.baseUrl,
      username: server.username,
      token: server.token,
      runs: 60,
      seed: 4,
      waits: false,
      maxRequests: 2000,
      pacing: false,
    });
    expect(report.divergence?.step).toBeUndefined();
    expect(server.requests.filter((request) => request.startsWith('PATCH') || request.startsWith('DELETE')).length).toBeGreaterThan(5);
    expect(server.requests.filter((request) => request.endsWith(`/${foreign.id}`))).toEqual([]);
    const after = await server.mock.handle({
      method: 'GET',
      url: `http://x/tokens/v2/${server.username}?access_token=${server.token}`,
      text: async () => '',
    });
    expect((JSON.parse(after.body!) as { id: string; modified: string }[]).find((token) => token.id === foreign.id)?.modified).toBe(
      foreign.modified,
    );
  });

  it('an interrupted run still deletes every token it created', async () => {
    server = await startCountingServer();
    const before = await server.tokenIds();
    const abort = new AbortController();
    server.onRequest = (count) => {
      if (count === 25) abort.abort(new Error('interrupted'));
    };
    const report = await exploreContract({
      baseUrl: server.baseUrl,
      username: server.username,
      token: server.token,
      runs: 500,
      seed: 3,
      waits: false,
      maxRequests: 1000,
      pacing: false,
      signal: abort.signal,
    });
    expect(report.stopped).toBe('aborted');
    // Tokens were created before the interruption, and all of them are gone after it.
    expect(server.answers.filter((answer) => answer === 'POST 200').length).toBeGreaterThan(0);
    expect(report.cleanup).toMatchObject({ failures: [], remaining: [] });
    expect(await server.tokenIds()).toEqual(before);
    expect(report.requests.target).toBe(server.arrivals.length);
  });
});
