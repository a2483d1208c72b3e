// The fault catalogue and the `faults` option of createTokensMock.
import { describe, expect, it } from 'vitest';
import { listChecks } from '../../src/contract/index.ts';
import { EXCHANGE_FAULTS } from '../../src/faults/exchange-faults.ts';
import { RULE_FAULTS } from '../../src/faults/rule-faults.ts';
import { createTokensMock, FAULTS, faultNames, ROUTES, type FaultName } from '../../src/index.ts';
import { CATCHING_CHECKS } from './catching-checks.ts';

const BASE = 'http://faults.test';

async function master(faults: FaultName[] = []) {
  const mock = createTokensMock({ baseUrl: BASE, seed: 3, faults });
  const account = await mock.defaultAccount();
  const url = (path: string, token: string | undefined = account.secretToken): string =>
    `${BASE}${path}${token === undefined ? '' : `${path.includes('?') ? '&' : '?'}access_token=${token}`}`;
  return { mock, account, url };
}

describe('the fault catalogue', () => {
  it('names at least 25 faults, kebab-case, each with a description, an operation, what it breaks and known checks that catch it', () => {
    expect(faultNames.length).toBeGreaterThanOrEqual(25);
    expect(Object.keys(FAULTS)).toEqual([...faultNames]);
    const checkIds = new Set(listChecks().map((check) => check.id));
    for (const name of faultNames) {
      const entry = FAULTS[name];
      expect(name).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(entry.description.length).toBeGreaterThan(10);
      expect(entry.breaks.length).toBeGreaterThan(3);
      expect(CATCHING_CHECKS[name].length).toBeGreaterThan(0);
      expect(
        CATCHING_CHECKS[name].filter((id) => !checkIds.has(id)),
        `${name} names unknown checks`,
      ).toEqual([]);
    }
  });

  it('spreads over every operation of the route table and the shared rules', () => {
    const operations = new Set(faultNames.map((name) => FAULTS[name].operation));
    const routed = ROUTES.flatMap((route) => Object.values(route.operations));
    for (const operation of [...routed, 'all']) expect(operations, `no fault for ${operation}`).toContain(operation);
  });

  it('builds each fault one way: a rule of the model replaced, or the exchange bent around the request handler', () => {
    const ruleFaults = Object.keys(RULE_FAULTS);
    const exchangeFaults = Object.keys(EXCHANGE_FAULTS);
    expect(ruleFaults.filter((name) => exchangeFaults.includes(name))).toEqual([]);
    expect([...ruleFaults, ...exchangeFaults].sort()).toEqual([...faultNames].sort());
    expect(Object.keys(CATCHING_CHECKS).sort()).toEqual([...faultNames].sort());
  });

  it('is read-only', () => {
    expect(Object.isFrozen(faultNames)).toBe(true);
  });
});

describe('createTokensMock({ faults })', () => {
  it('refuses unknown fault names with the list of known ones', () => {
    // @ts-expect-error: the type takes fault names only; at run time an unknown name throws.
    expect(() => createTokensMock({ faults: ['no-such-fault'] })).toThrow(TypeError);
    // @ts-expect-error: the type takes fault names only; at run time an unknown name throws.
    expect(() => createTokensMock({ faults: ['no-such-fault'] })).toThrow(
      /Unknown fault "no-such-fault"; known faults: missing-token-accepted, /,
    );
    // @ts-expect-error: the type takes fault names only; at run time an unknown name throws.
    expect(() => createTokensMock({ faults: ['toString'] })).toThrow(/Unknown fault "toString"/);
  });

  it('accepts an empty list as the faithful mock', async () => {
    const { mock, url } = await master([]);
    const response = await mock.fetch(new Request(url('/tokens/v2/mockuser')));
    expect(response.status).toBe(200);
  });

  it('breaks only the named behaviour: missing-token-accepted lists without a token, other rules still hold', async () => {
    const { mock, url } = await master(['missing-token-accepted']);
    const listed = await mock.fetch(new Request(url('/tokens/v2/mockuser', undefined)));
    expect(listed.status).toBe(200);
    expect(((await listed.json()) as unknown[]).length).toBe(2);
    const badUsage = await mock.fetch(new Request(url('/tokens/v2/mockuser?usage=tk', undefined)));
    expect([badUsage.status, await badUsage.json()]).toEqual([422, { message: 'usage must be pk or sk' }]);
    const forged = await mock.fetch(
      new Request(url('/tokens/v2/mockuser', 'sk.eyJ1IjoibW9ja3VzZXIiLCJhIjoiY3gifQ.AAAAAAAAAAAAAAAAAAAAAA')),
    );
    expect(forged.status).toBe(401);
  });

  it('keeps its faults across reset() and restore(), and mocks do not share them', async () => {
    const { mock, url, account } = await master(['create-answers-201']);
    const faithful = createTokensMock({ baseUrl: BASE, seed: 3 });
    const faithfulAccount = await faithful.defaultAccount();
    const create = (target: typeof mock, token: string) =>
      target.fetch(new Request(`${BASE}/tokens/v2/mockuser?access_token=${token}`, { method: 'POST', body: '{"scopes":[]}' }));
    expect((await create(mock, account.secretToken)).status).toBe(201);
    expect((await create(faithful, faithfulAccount.secretToken)).status).toBe(200);
    const state = mock.snapshot();
    await mock.reset();
    expect((await create(mock, (await mock.defaultAccount()).secretToken)).status).toBe(201);
    await mock.restore(state);
    expect((await create(mock, account.secretToken)).status).toBe(201);
    expect((await mock.fetch(new Request(url('/tokens/v2/mockuser')))).status).toBe(200);
  });

  it('combines several faults', async () => {
    const { mock, url } = await master(['cors-headers-missing', 'rate-limit-headers-missing']);
    const response = await mock.fetch(new Request(url('/tokens/v2/mockuser')));
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    expect(response.headers.get('x-rate-limit-limit')).toBeNull();
  });
});
