// The `initialTime` option: the instant of the initial state, independent of the clock.
import { describe, expect, it } from 'vitest';
import { buildFixtures } from '../../fixtures/index.ts';
import { createTokensMock, createTokensMockCore, type TokensMockOptions } from '../../src/index.ts';
import { T0 } from '../handlers/support.ts';

const START = Date.UTC(2024, 0, 1);
const fixtures = buildFixtures({ seed: 4, accounts: 1, tokensPerAccount: 3 });

/** A clock that moves on every call, like Date.now but predictable. */
function ticking(from: number): () => number {
  let now = from;
  return () => (now += 7);
}

async function listedDates(mock: ReturnType<typeof createTokensMock>): Promise<Array<[string, string]>> {
  const { username, secretToken } = await mock.defaultAccount();
  const answer = await mock.fetch(new Request(`https://api.mapbox.com/tokens/v2/${username}?access_token=${secretToken}`));
  return ((await answer.json()) as Array<{ created: string; modified: string }>).map((token) => [token.created, token.modified]);
}

describe('createTokensMock({ initialTime })', () => {
  it('gives the same initial state for the same seed whatever the clock', async () => {
    const a = createTokensMock({ seed: 4, initialTime: START, clock: ticking(T0), fixtures });
    const b = createTokensMock({ seed: 4, initialTime: START, clock: ticking(T0 + 86_400_000), fixtures });
    expect(await a.defaultAccount()).toEqual(await b.defaultAccount());
    expect(a.snapshot()).toEqual(b.snapshot());
    // Contrast: without initialTime the same seed with those clocks gives other ids and tokens.
    const c = createTokensMock({ seed: 4, clock: ticking(T0), fixtures });
    const d = createTokensMock({ seed: 4, clock: ticking(T0 + 86_400_000), fixtures });
    await Promise.all([c.defaultAccount(), d.defaultAccount()]);
    expect(c.snapshot().tokens.map((token) => token.id)).not.toEqual(d.snapshot().tokens.map((token) => token.id));
  });

  it("dates the initial accounts' tokens and the fixture tokens at initialTime", async () => {
    const mock = createTokensMock({ seed: 4, initialTime: START, clock: () => T0, fixtures });
    await mock.defaultAccount();
    const { tokens } = mock.snapshot();
    expect(tokens).toHaveLength(2 + 2 + 3);
    for (const token of tokens) expect([token.created, token.modified]).toEqual([START, START]);
    const iso = new Date(START).toISOString();
    expect(await listedDates(mock)).toEqual([
      [iso, iso],
      [iso, iso],
    ]);
  });

  it('lets mock time follow the clock once initialised', async () => {
    const mock = createTokensMock({ seed: 4, initialTime: START, clock: () => T0 });
    await mock.defaultAccount();
    expect(mock.now()).toBe(T0);
    const issued = await mock.issueToken('mockuser', { note: 'later' });
    expect(issued.created).toBe(new Date(T0).toISOString());
    mock.advanceTime(60_000);
    expect(mock.now()).toBe(T0 + 60_000);
  });

  it('reset() re-creates the initial state at initialTime, and the clock takes over again', async () => {
    const mock = createTokensMock({ seed: 4, initialTime: START, clock: ticking(T0), fixtures });
    await mock.defaultAccount();
    const initial = mock.snapshot();
    await mock.issueToken('mockuser', { note: 'gone after reset' });
    mock.advanceTime(3_600_000);
    await mock.reset();
    expect(mock.snapshot()).toEqual(initial);
    expect(mock.now()).toBeGreaterThan(T0);
    expect(mock.now()).toBeLessThan(T0 + 3_600_000);
  });

  it('accepts a Date as well as epoch milliseconds', async () => {
    const fromNumber = createTokensMock({ seed: 4, initialTime: START, clock: () => T0 });
    const fromDate = createTokensMockCore({ seed: 4, initialTime: new Date(START), clock: () => T0 });
    expect(await fromDate.defaultAccount()).toEqual(await fromNumber.defaultAccount());
    expect(fromDate.snapshot()).toEqual(fromNumber.snapshot());
  });

  it.each<[string, unknown, string]>([
    ['NaN', Number.NaN, 'NaN'],
    ['Infinity', Number.POSITIVE_INFINITY, 'Infinity'],
    ['an invalid Date', new Date('not a date'), 'an invalid Date'],
    ['beyond the Date range', 8.64e15 + 1, '8640000000000001'],
    ['a string', '2024-01-01', '"2024-01-01"'],
    ['null', null, 'null'],
  ])('refuses %s with a TypeError', (_name, value, shown) => {
    const options = { initialTime: value } as TokensMockOptions;
    const message = `initialTime must be a valid Date or a finite number of epoch milliseconds (got ${shown})`;
    expect(() => createTokensMock(options)).toThrow(new TypeError(message));
    expect(() => createTokensMockCore(options)).toThrow(new TypeError(message));
  });
});
