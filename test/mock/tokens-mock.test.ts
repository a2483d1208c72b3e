import { describe, expect, it } from 'vitest';
import { createTokensMock, createTokensMockCore, type TokensMockCore } from '../../src/index.ts';
import { buildFixtures } from '../../fixtures/index.ts';
import { decodePayload, T0 } from '../handlers/support.ts';

const fixed = () => T0;

describe('createTokensMock()', () => {
  it('is ready without configuration: mockuser with a default pk and a master sk', async () => {
    const mock = createTokensMock();
    expect(mock.baseUrl).toBe('https://api.mapbox.com');
    expect(mock.handlers).toHaveLength(4);
    const account = await mock.defaultAccount();
    expect(account.username).toBe('mockuser');
    expect(account.publicToken).toMatch(/^pk\./);
    expect(account.secretToken).toMatch(/^sk\./);
    expect(decodePayload(account.secretToken)).toEqual({ u: 'mockuser', a: account.secretTokenId });
  });

  it('answers requests sent before initialisation finished', async () => {
    const mock = createTokensMock({ seed: 1, clock: fixed });
    const pending = mock.fetch(new Request('https://api.mapbox.com/tokens/v2?access_token=pk.x.y'));
    expect(await (await pending).json()).toEqual({ code: 'TokenInvalid' });
  });

  it('is deterministic for a seed and a clock, and reset() returns to the initial state', async () => {
    const a = createTokensMock({ seed: 42, clock: fixed });
    const b = createTokensMock({ seed: 42, clock: fixed });
    const first = await a.defaultAccount();
    expect(await b.defaultAccount()).toEqual(first);
    await a.issueToken('mockuser', { note: 'extra' });
    a.advanceTime(10_000);
    await a.reset();
    expect(await a.defaultAccount()).toEqual(first);
    expect(a.now()).toBe(T0);
    expect(a.snapshot().tokens).toHaveLength(2);
    const c = createTokensMock({ seed: 43, clock: fixed });
    expect((await c.defaultAccount()).secretToken).not.toBe(first.secretToken);
  });

  it('snapshot() and restore() round-trip the whole state through JSON', async () => {
    const mock = createTokensMock({ seed: 3, clock: fixed });
    const { secretToken } = await mock.defaultAccount();
    const issued = await mock.issueToken('mockuser', { note: 'keep', scopes: ['styles:read'], allowedUrls: ['a.com'] });
    mock.advanceTime(5000);
    const state = JSON.parse(JSON.stringify(mock.snapshot()));
    const next = await mock.issueToken('mockuser', { note: 'after' });

    const copy = createTokensMock({ clock: fixed });
    await copy.restore(state);
    expect(copy.now()).toBe(T0 + 5000);
    expect(copy.snapshot()).toEqual(state);
    const retrieved = await copy.fetch(new Request(`https://api.mapbox.com/tokens/v2?access_token=${issued.token}`));
    expect(((await retrieved.json()) as { code: string }).code).toBe('TokenValid');
    const list = await copy.fetch(new Request(`https://api.mapbox.com/tokens/v2/mockuser?access_token=${secretToken}`));
    expect(((await list.json()) as Array<{ note: string }>).map((t) => t.note)).toEqual(['Default public token', 'Master token', 'keep']);
    // The default account after restore() is the snapshot's first account.
    const aliceMock = createTokensMock({ clock: fixed, accounts: [{ username: 'alice' }] });
    await aliceMock.restore(state);
    expect((await aliceMock.defaultAccount()).username).toBe('mockuser');
    // A restored seeded mock continues the same id sequence.
    expect((await copy.issueToken('mockuser', { note: 'after' })).id).toBe(next.id);
  });

  it('a state restored while the mock is still initialising is not overwritten by that initialisation', async () => {
    const source = createTokensMock({ seed: 5, clock: fixed });
    await source.issueToken('mockuser', { note: 'restored' });
    const state = source.snapshot();
    // Fixtures make the initialisation long: restore() is called (and would finish) well before it does.
    const fixtures = buildFixtures({ seed: 5, accounts: 3, tokensPerAccount: 10 });
    const target = createTokensMock({ clock: fixed, fixtures });
    await target.restore(state);
    expect(target.snapshot()).toEqual(state);
    // Long enough for any initialisation still running in the background to end (a few ms).
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(target.snapshot()).toEqual(state);
    expect((await target.defaultAccount()).secretToken).toBe((await source.defaultAccount()).secretToken);
  });

  it('restore() refuses an invalid state and keeps the previous one', async () => {
    const mock = createTokensMock({ seed: 3, clock: fixed });
    const before = await mock.defaultAccount();
    await expect(mock.restore({ format: 'nope' } as never)).rejects.toThrow(/Invalid mock state/);
    await expect(mock.restore({ ...mock.snapshot(), accounts: [] })).rejects.toThrow(/at least one account/);
    const broken = { ...mock.snapshot(), tokens: [{ id: 1 }] };
    await expect(mock.restore(broken as never)).rejects.toThrow(/tokens\[0\]: not a stored token record/);
    expect(await mock.defaultAccount()).toEqual(before);
  });

  it('issueToken and issueTemporaryToken follow the same rules as the API', async () => {
    const mock = createTokensMock({ seed: 3, clock: fixed, accounts: [{ username: 'alice', scopes: ['styles:read', 'tokens:read'] }] });
    const alice = await mock.defaultAccount();
    expect(alice.username).toBe('alice');
    await expect(mock.issueToken('alice', { scopes: ['fonts:read'] })).rejects.toThrow('scopes are invalid');
    await expect(mock.issueToken('bob')).rejects.toThrow(/No such account/);
    const sk = await mock.issueToken('alice', { scopes: ['tokens:read'] });
    expect(sk).toMatchObject({ usage: 'sk', token: expect.stringMatching(/^sk\./) });
    const tk = (await mock.issueTemporaryToken('alice', { scopes: ['styles:read'] })).token;
    expect(decodePayload(tk)).toMatchObject({ u: 'alice', exp: T0 / 1000 + 3600, iat: T0 / 1000 });
    await expect(mock.issueTemporaryToken('alice', { scopes: [], expires: new Date(T0 + 2 * 3600_000) })).rejects.toThrow(
      'more than one hour',
    );
  });

  it('loads fixtures, adding accounts and tokens', async () => {
    const fixtures = buildFixtures({ seed: 9, accounts: 2, tokensPerAccount: 4 });
    const mock = createTokensMock({ seed: 9, clock: fixed, fixtures });
    await mock.defaultAccount();
    const state = mock.snapshot();
    expect(state.accounts.map((a) => a.username)).toEqual(['mockuser', ...fixtures.accounts.map((a) => a.username)]);
    expect(state.tokens).toHaveLength(2 + 2 * (2 + 4));
    const notes = state.tokens.filter((t) => t.username === fixtures.accounts[0]!.username).map((t) => t.note);
    expect(notes.slice(2)).toEqual(fixtures.accounts[0]!.tokens!.map((t) => t.note ?? null));
  });

  it('refuses invalid fixtures and options with clear errors', async () => {
    const mock = createTokensMock({ fixtures: { accounts: [{ username: 'mockuser', tokens: [{ scopes: ['nope'] }] }] } });
    await expect(mock.defaultAccount()).rejects.toThrow('Invalid fixture token 0 of mockuser: scopes are invalid');
    const fromJson = JSON.parse('{"accounts":[{"username":"mockuser","tokens":[{"note":"ok"},{"note":5}]}]}');
    await expect(createTokensMock({ fixtures: fromJson }).defaultAccount()).rejects.toThrow(
      'Invalid fixture token 1 of mockuser: note is invalid',
    );
    await expect(
      createTokensMock({ fixtures: { accounts: [{ username: 'mockuser', tokens: [{ color: 'red' } as never] }] } }).defaultAccount(),
    ).rejects.toThrow('unknown property "color"');
    expect(() => createTokensMock({ baseUrl: 'not a url' })).toThrow(/Invalid baseUrl/);
    expect(() => createTokensMock({ rateLimit: { limit: 0 } })).toThrow(/rateLimit.limit/);
    await expect(createTokensMock({ accounts: [{ username: 'bad/name' }] }).defaultAccount()).rejects.toThrow(/Invalid account username/);
  });

  it('issues atob-safe payloads (no - or _) for usual usernames', async () => {
    const mock = createTokensMock({ seed: 11, accounts: [{ username: 'mockuser' }, { username: 'jane-doe' }] });
    await mock.defaultAccount();
    for (let i = 0; i < 40; i++) {
      const token = (await mock.issueToken(i % 2 ? 'mockuser' : 'jane-doe', { scopes: ['styles:read'] })).token;
      expect(token.split('.')[1]).not.toMatch(/[-_]/);
      const tk = (await mock.issueTemporaryToken('mockuser', { scopes: ['styles:read', 'fonts:read'].slice(0, 1 + (i % 2)) })).token;
      expect(tk.split('.')[1]).not.toMatch(/[-_]/);
      mock.advanceTime(1000);
    }
  });
});

describe('createTokensMockCore()', () => {
  /** The same requests through a mock's fetch: status, headers and body of each. */
  async function answers(mock: Pick<TokensMockCore, 'fetch' | 'defaultAccount'>): Promise<unknown[]> {
    const { username, secretToken, publicToken } = await mock.defaultAccount();
    const requests = [
      new Request(`https://api.mapbox.com/tokens/v2/${username}?access_token=${secretToken}`),
      new Request(`https://api.mapbox.com/tokens/v2?access_token=${publicToken}`),
      new Request(`https://api.mapbox.com/tokens/v2/${username}?access_token=${secretToken}`, {
        method: 'POST',
        body: JSON.stringify({ note: 'core', scopes: ['styles:read'] }),
      }),
      new Request(`https://api.mapbox.com/scopes/v1/${username}?access_token=${secretToken}`),
      new Request('https://api.mapbox.com/tokens/v2', { method: 'PUT' }),
      new Request('https://api.mapbox.com/styles/v1/mockuser'),
    ];
    const results: unknown[] = [];
    for (const request of requests) {
      const response = await mock.fetch(request);
      results.push({ status: response.status, headers: [...response.headers], body: await response.text() });
    }
    return results;
  }

  it('answers through fetch exactly like createTokensMock().fetch, and has no msw handlers', async () => {
    const core = createTokensMockCore({ seed: 8, clock: fixed });
    const full = createTokensMock({ seed: 8, clock: fixed });
    expect('handlers' in core).toBe(false);
    expect(Object.keys(core).sort()).toEqual(
      Object.keys(full)
        .filter((key) => key !== 'handlers')
        .sort(),
    );
    const fromCore = await answers(core);
    expect(fromCore).toEqual(await answers(full));
    expect(fromCore.map((answer) => (answer as { status: number }).status)).toEqual([200, 200, 200, 200, 405, 404]);
    expect(core.snapshot()).toEqual(full.snapshot());
  });

  it('validates its options like createTokensMock', () => {
    expect(() => createTokensMockCore({ baseUrl: 'ftp://x' })).toThrow(/Invalid baseUrl protocol/);
    // @ts-expect-error: the type takes fault names only; at run time an unknown name throws.
    expect(() => createTokensMockCore({ faults: ['no-such-fault'] })).toThrow(TypeError);
  });
});
