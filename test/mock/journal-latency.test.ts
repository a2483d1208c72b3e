import { describe, expect, test } from 'vitest';
import { setupServer } from 'msw/node';
import { createTokensMock, createTokensMockCore, hasScopes } from '../../src/index.ts';

const T0 = Date.parse('2026-03-01T12:00:00Z');

describe('mock.journal', () => {
  test('records each answered request with its operation, status, condition, account and redacted query', async () => {
    const mock = createTokensMockCore({ seed: 1, clock: () => T0 });
    const { username, secretToken } = await mock.defaultAccount();
    const create = await mock.handle({
      method: 'POST',
      url: `https://api.mapbox.com/tokens/v2/${username}?access_token=${secretToken}`,
      text: async () => JSON.stringify({ note: 'app', scopes: ['styles:read'] }),
    });
    expect(create.status).toBe(200);
    await mock.handle(new Request(`https://api.mapbox.com/tokens/v2/${username}?access_token=sk.bad.token`));
    await mock.handle(new Request(`https://api.mapbox.com/tokens/v2?access_token=${secretToken}`));
    await mock.handle(new Request('https://api.mapbox.com/nowhere'));

    const entries = mock.journal.entries();
    expect(entries.map((entry) => [entry.operation, entry.status, entry.condition, entry.account])).toEqual([
      ['createToken', 200, null, username],
      ['listTokens', 401, 'invalid-token', username],
      ['retrieveToken', 200, null, username],
      [null, 404, 'route-not-found', null],
    ]);
    expect(entries[0]).toMatchObject({
      method: 'POST',
      path: `/tokens/v2/${username}`,
      query: { access_token: 'sk.…' },
      body: { note: 'app', scopes: ['styles:read'] },
      time: new Date(T0).toISOString(),
    });
    expect(JSON.stringify(entries)).not.toContain(secretToken);
    expect(mock.journal.entries({ operation: 'listTokens' })).toHaveLength(1);
    expect(mock.journal.entries({ status: 200 })).toHaveLength(2);
    expect(mock.journal.entries({ since: T0 + 1 })).toHaveLength(0);
    mock.journal.clear();
    expect(mock.journal.entries()).toEqual([]);
  });

  test('keeps only the last journalSize entries', async () => {
    const mock = createTokensMockCore({ journalSize: 3 });
    for (let i = 0; i < 5; i++) await mock.handle(new Request(`https://api.mapbox.com/tokens/v2/user${i}`));
    expect(mock.journal.entries().map((entry) => entry.account)).toEqual(['user2', 'user3', 'user4']);
  });

  test('expectOne: the app created exactly one token with these scopes (through msw)', async () => {
    const mock = createTokensMock({ seed: 2 });
    const server = setupServer(...mock.handlers);
    server.listen();
    try {
      const { username, secretToken } = await mock.defaultAccount();
      const createToken = (scopes: string[]) =>
        fetch(`https://api.mapbox.com/tokens/v2/${username}?access_token=${secretToken}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ scopes }),
        });
      await createToken(['styles:read']);
      const entry = mock.journal.expectOne({
        operation: 'createToken',
        account: username,
        status: 200,
        where: (e) => hasScopes(e, ['styles:read']),
      });
      expect(entry.body).toEqual({ scopes: ['styles:read'] });

      await createToken(['styles:read']);
      expect(() => mock.journal.expectOne({ operation: 'createToken', where: (e) => hasScopes(e, ['styles:read']) })).toThrow(
        /found 2\.\nRequests for this filter:\n {2}POST \/tokens\/v2\/mockuser\?access_token=sk\.%E2%80%A6 \{"scopes":\["styles:read"\]\} -> 200/,
      );
      expect(() => mock.journal.expectOne({ operation: 'deleteToken' })).toThrow('The journal holds no request for this filter.');
    } finally {
      server.close();
    }
  });
});

describe('latency', () => {
  test('a fixed latency delays mock.handle(), per operation with a default', async () => {
    const mock = createTokensMockCore({ latency: { listScopes: 120, default: 0 } });
    const { username, secretToken } = await mock.defaultAccount();
    const started = performance.now();
    // Sent together: the operation without latency answers first (an order, not a time bound).
    const answered: string[] = [];
    await Promise.all([
      mock
        .handle(new Request(`https://api.mapbox.com/scopes/v1/${username}?access_token=${secretToken}`))
        .then(() => answered.push('scopes')),
      mock
        .handle(new Request(`https://api.mapbox.com/tokens/v2/${username}?access_token=${secretToken}`))
        .then(() => answered.push('tokens')),
    ]);
    expect(answered).toEqual(['tokens', 'scopes']);
    expect(performance.now() - started).toBeGreaterThanOrEqual(110);
    expect(mock.journal.entries().find((entry) => entry.operation === 'listScopes')!.durationMs).toBeGreaterThanOrEqual(110);
  });

  test("the msw handlers wait with msw's delay()", async () => {
    const mock = createTokensMock({ latency: 100 });
    const server = setupServer(...mock.handlers);
    server.listen();
    try {
      const started = performance.now();
      const response = await fetch('https://api.mapbox.com/tokens/v2?access_token=x');
      expect(response.status).toBe(200);
      expect(performance.now() - started).toBeGreaterThanOrEqual(90);
    } finally {
      server.close();
    }
  });

  test('a seeded range draws the same delays on every run, within the range', async () => {
    const draws = async () => {
      const mock = createTokensMockCore({ seed: 9, latency: { min: 1, max: 40 } });
      const delays: number[] = [];
      for (let i = 0; i < 4; i++) {
        await mock.handle(new Request('https://api.mapbox.com/tokens/v2?access_token=x'));
        delays.push(mock.journal.entries().at(-1)!.durationMs);
      }
      return delays;
    };
    // The mock draws from the same seeded picker; each answer waited at least its draw (a timer may
    // fire up to 1 ms early against the clock that measures it). No upper bound: a busy machine is slow.
    const { createLatencyPicker } = await import('../../src/mock/latency.ts');
    const same = createLatencyPicker({ min: 1, max: 40 }, 9);
    for (const ms of await draws()) expect(ms).toBeGreaterThanOrEqual(same('retrieveToken') - 1);
    // The drawn values themselves repeat exactly with the seed.
    const a = createLatencyPicker({ min: 10, max: 500 }, 9);
    const b = createLatencyPicker({ min: 10, max: 500 }, 9);
    const sequence = [a(null), a('listTokens'), a('createToken')];
    expect([b(null), b('listTokens'), b('createToken')]).toEqual(sequence);
    for (const ms of sequence) expect(ms).toBeGreaterThanOrEqual(10);
    for (const ms of sequence) expect(ms).toBeLessThanOrEqual(500);
    expect(new Set(sequence).size).toBeGreaterThan(1);
  });

  test('refuses a latency it cannot honour', () => {
    expect(() => createTokensMockCore({ latency: -1 })).toThrow(TypeError);
    expect(() => createTokensMockCore({ latency: { min: 50, max: 10 } })).toThrow(/min <= max/);
    expect(() => createTokensMockCore({ latency: { createToken: 'slow' as never } })).toThrow(/latency\.createToken/);
  });
});

describe('setFaults', () => {
  test('changes the faults in effect at runtime and refuses unknown names', async () => {
    const mock = createTokensMockCore();
    const { username, secretToken } = await mock.defaultAccount();
    const create = () =>
      mock.handle({
        method: 'POST',
        url: `https://api.mapbox.com/tokens/v2/${username}?access_token=${secretToken}`,
        text: async () => '{}',
      });
    expect((await create()).status).toBe(200);
    mock.setFaults(['create-answers-201']);
    expect(mock.faults).toEqual(['create-answers-201']);
    expect((await create()).status).toBe(201);
    expect(() => mock.setFaults(['no-such-fault'])).toThrow(TypeError);
    expect(mock.faults).toEqual(['create-answers-201']);
    mock.setFaults([]);
    expect((await create()).status).toBe(200);
  });
});

describe('reset()', () => {
  test('restores the initial faults and empties the journal and the violations', async () => {
    const mock = createTokensMockCore({ faults: ['create-answers-201'], strict: true, onViolation: () => undefined });
    await mock.handle(new Request('https://api.mapbox.com/tokens/v2/mockuser?colour=1'));
    mock.setFaults([]);
    expect(mock.journal.entries()).toHaveLength(1);
    expect(mock.violations.all()).toHaveLength(1);
    await mock.reset();
    expect(mock.faults).toEqual(['create-answers-201']);
    expect(mock.journal.entries()).toEqual([]);
    expect(mock.violations.all()).toEqual([]);
  });

  test('a bad onViolation is refused at creation', () => {
    expect(() => createTokensMockCore({ strict: true, onViolation: 'throw' as never })).toThrow(/onViolation must be/);
  });
});
