// The model's clock follows the server's: its Date header and the iat of the tokens it issues.
import { afterEach, describe, expect, it } from 'vitest';
import { exploreContract } from '../../../src/contract/explore/explore.ts';
import { ServerClock } from '../../../src/contract/explore/server-clock.ts';
import { startCountingServer, type CountingServer } from './counting-server.ts';

let server: CountingServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('ServerClock', () => {
  it('follows a Date header that is off by more than its resolution, not one within it', () => {
    const clock = new ServerClock();
    const local = Date.now();
    clock.observeDate(new Date(local + 1500).toUTCString(), local, local);
    expect(clock.skewMs).toBe(0);
    clock.observeDate(new Date(local + 3_600_000).toUTCString(), local, local);
    expect(Math.abs(clock.now() - (Date.now() + 3_600_000))).toBeLessThan(1500);
  });

  it("follows a temporary token's iat", () => {
    const clock = new ServerClock();
    const local = Date.now();
    clock.observeIssuedAt(Math.floor((local - 600_000) / 1000), local, local);
    expect(Math.abs(clock.now() - (Date.now() - 600_000))).toBeLessThan(1500);
    clock.observeDate('not a date', local, local);
    expect(Math.abs(clock.now() - (Date.now() - 600_000))).toBeLessThan(1500);
  });
});

describe('exploring a server whose clock is 30 minutes ahead', { timeout: 60_000 }, () => {
  it("judges temporary token lifetimes by the server's clock: no divergence", async () => {
    server = await startCountingServer(100_000, 30 * 60_000);
    const report = await exploreContract({
      baseUrl: server.baseUrl,
      username: server.username,
      token: server.token,
      runs: 150,
      seed: 8,
      waits: false,
      maxRequests: 5000,
      pacing: false,
    });
    expect(report.divergence?.step).toBeUndefined();
    expect(report.stopped).toBe('done');
    // Temporary tokens were issued, some at the one-hour edge.
    expect(server.answers.filter((answer) => answer === 'POST 200').length).toBeGreaterThan(20);
  });
});
