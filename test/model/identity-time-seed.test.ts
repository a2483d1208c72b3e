// Issue 14: the account knows its default and master tokens by id, mock time stays within what a
// Date can hold, a request answering 500 changes nothing, seeds are used in full, HEAD = GET.
import { describe, expect, it } from 'vitest';
import { createTokensMock, createTokensMockCore } from '../../src/index.ts';
import { T0, tokenState } from '../handlers/support.ts';

async function call(mock: { fetch(request: Request): Promise<Response> }, method: string, path: string, token: string, body?: unknown) {
  const response = await mock.fetch(
    new Request(`https://api.mapbox.com${path}?access_token=${token}`, {
      method,
      ...(body !== undefined && { body: JSON.stringify(body) }),
    }),
  );
  const text = await response.text();
  return { status: response.status, body: text === '' ? null : JSON.parse(text), headers: response.headers };
}

describe('identity by id', () => {
  it('renaming the master token is ordinary: the account still offers it, and the state round-trips', async () => {
    const mock = createTokensMockCore({ seed: 5, clock: () => T0 });
    const before = await mock.defaultAccount();
    const renamed = await call(mock, 'PATCH', `/tokens/v2/${before.username}/${before.secretTokenId}`, before.secretToken, {
      note: 'ops key',
    });
    expect([renamed.status, renamed.body.note]).toEqual([200, 'ops key']);
    const publicRenamed = await call(mock, 'PATCH', `/tokens/v2/${before.username}/${before.publicTokenId}`, before.secretToken, {
      note: 'web',
    });
    expect(publicRenamed.status).toBe(200);
    expect(await mock.defaultAccount()).toEqual(before);
    const copy = createTokensMockCore({ seed: 6 });
    await copy.restore(JSON.parse(JSON.stringify(mock.snapshot())));
    expect(await copy.defaultAccount()).toEqual(before);
  });

  it('after the master token is deleted, the account gets a new working one that survives a snapshot', async () => {
    const mock = createTokensMockCore({ seed: 5, clock: () => T0 });
    const before = await mock.defaultAccount();
    const deleted = await call(mock, 'DELETE', `/tokens/v2/${before.username}/${before.secretTokenId}`, before.secretToken);
    expect(deleted.status).toBe(204);
    const after = await mock.defaultAccount();
    expect(after.secretTokenId).not.toBe(before.secretTokenId);
    expect(after.publicToken).toBe(before.publicToken);
    expect((await call(mock, 'GET', `/tokens/v2/${after.username}`, after.secretToken)).status).toBe(200);
    expect((await call(mock, 'GET', `/tokens/v2/${after.username}`, before.secretToken)).status).toBe(401);
    const copy = createTokensMockCore();
    await copy.restore(mock.snapshot());
    expect(await copy.defaultAccount()).toEqual(after);
  });
});

describe('mock time within what a Date can hold', () => {
  it('advanceTime and setTime refuse a time no Date can hold, and change nothing', async () => {
    const mock = createTokensMock({ clock: () => T0 });
    expect(() => mock.advanceTime(1e17)).toThrow(RangeError);
    expect(() => mock.advanceTime(Number.MAX_VALUE)).toThrow(/outside the range a Date can hold/);
    expect(() => mock.setTime(8.64e15 + 1)).toThrow(TypeError);
    expect(() => mock.setTime(new Date(Number.NaN))).toThrow(/setTime/);
    expect(mock.now()).toBe(T0);
    mock.advanceTime(8.64e15 - T0);
    expect(mock.now()).toBe(8.64e15);
    expect(() => mock.advanceTime(1)).toThrow(RangeError);
    mock.setTime(new Date('2030-01-01T00:00:00Z'));
    expect(mock.now()).toBe(Date.parse('2030-01-01T00:00:00Z'));
    // Still serving and saving.
    const { username, secretToken } = await mock.defaultAccount();
    expect((await call(mock, 'POST', `/tokens/v2/${username}`, secretToken, { note: 'later' })).status).toBe(200);
    expect((await call(mock, 'GET', `/tokens/v2/${username}`, secretToken)).status).toBe(200);
  });

  it('a request answering 500 (the clock left the range of a Date) changes nothing; later requests work', async () => {
    let now = T0;
    const mock = createTokensMock({ clock: () => now, rateLimit: false });
    const { username, secretToken } = await mock.defaultAccount();
    const before = tokenState(mock.snapshot());
    now = 1e17;
    const created = await call(mock, 'POST', `/tokens/v2/${username}`, secretToken, { note: 'never stored' });
    expect(created.status).toBe(500);
    now = T0;
    expect(tokenState(mock.snapshot())).toEqual(before);
    const listed = await call(mock, 'GET', `/tokens/v2/${username}`, secretToken);
    expect(listed.status).toBe(200);
    expect(listed.body.map((token: { note: string }) => token.note)).not.toContain('never stored');
  });
});

describe('seeds', () => {
  const keyOf = async (seed: number | bigint | string) => {
    const mock = createTokensMockCore({ seed, clock: () => T0 });
    await mock.defaultAccount();
    return mock.snapshot().signingKey;
  };

  it('use all of the seed: seeds equal in their low 32 bits differ, strings and bigints work', async () => {
    const keys = await Promise.all([0, 4294967296, 2 ** 53, 2n ** 64n, 'zero', '0'].map(keyOf));
    expect(keys[0]).not.toBe(keys[1]);
    expect(keys[2]).not.toBe(keys[0]);
    expect(keys[3]).not.toBe(keys[2]);
    expect(keys[4]).not.toBe(keys[0]);
    // An integer and its decimal text are one seed.
    expect(keys[5]).toBe(keys[0]);
    expect(await keyOf('zero')).toBe(keys[4]);
    const first = createTokensMockCore({ seed: 4294967296, clock: () => T0 });
    const second = createTokensMockCore({ seed: 0, clock: () => T0 });
    expect((await first.defaultAccount()).secretToken).not.toBe((await second.defaultAccount()).secretToken);
  });

  it('refuse what cannot be used in full', () => {
    expect(() => createTokensMockCore({ seed: 1.5 })).toThrow(/seed must be an integer or a string/);
    expect(() => createTokensMockCore({ seed: Number.NaN })).toThrow(TypeError);
    expect(() => createTokensMockCore({ seed: '' })).toThrow(/non-empty string/);
  });
});

describe('HEAD', () => {
  it('answers like GET on GET routes (status and headers)', async () => {
    const mock = createTokensMockCore({ seed: 5, clock: () => T0, rateLimit: false });
    const { username, secretToken } = await mock.defaultAccount();
    for (const path of [`/tokens/v2/${username}`, `/scopes/v1/${username}`, '/tokens/v2']) {
      const get = await call(mock, 'GET', path, secretToken);
      const head = await mock.handle({
        method: 'HEAD',
        url: `https://api.mapbox.com${path}?access_token=${secretToken}`,
        text: async () => '',
      });
      expect(head.status).toBe(get.status);
      expect(head.headers['Content-Type'] ?? head.headers['content-type']).toBe(get.headers.get('content-type'));
    }
  });
});
