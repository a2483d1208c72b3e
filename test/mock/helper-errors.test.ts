import { describe, expect, it } from 'vitest';
import { createTokensMockCore, TokensMockError, type TokensMockCore } from '../../src/index.ts';
import { T0 } from '../handlers/support.ts';

/** The error a helper call rejects with (fails the test when it resolves). */
async function refusal(call: Promise<unknown>): Promise<TokensMockError> {
  const error = await call.then(
    () => expect.unreachable('the helper should have refused the call'),
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(TokensMockError);
  return error as TokensMockError;
}

function mock(): TokensMockCore {
  return createTokensMockCore({ seed: 5, clock: () => T0, accounts: [{ username: 'alice', scopes: ['styles:read', 'tokens:read'] }] });
}

describe('the helpers throw one exported error class, TokensMockError', () => {
  it.each([
    [
      'issueToken, unknown account',
      (m: TokensMockCore) => m.issueToken('bob'),
      { helper: 'issueToken', argument: 'username', status: 404, code: undefined, message: 'issueToken(username): No such account: bob' },
    ],
    [
      'issueToken, a scope the account lacks',
      (m: TokensMockCore) => m.issueToken('alice', { scopes: ['fonts:read'] }),
      {
        helper: 'issueToken',
        argument: 'init.scopes',
        status: 422,
        code: 'scopes-escalation',
        message: 'issueToken(init.scopes): scopes are invalid',
      },
    ],
    [
      'issueToken, a scope outside the catalogue (the API takes any string and answers 422)',
      (m: TokensMockCore) => m.issueToken('alice', { scopes: ['no:such'] }),
      {
        helper: 'issueToken',
        argument: 'init.scopes',
        status: 422,
        code: 'scopes-unknown',
        message: 'issueToken(init.scopes): scopes are invalid',
      },
    ],
    [
      'issueToken, too many allowedUrls',
      (m: TokensMockCore) => m.issueToken('alice', { allowedUrls: Array.from({ length: 101 }, (_, i) => `https://${i}.test`) }),
      {
        helper: 'issueToken',
        argument: 'init.allowedUrls',
        status: 422,
        code: 'allowed-urls-too-many',
        message: 'issueToken(init.allowedUrls): allowedUrls are invalid',
      },
    ],
    [
      'issueTemporaryToken, unknown account',
      (m: TokensMockCore) => m.issueTemporaryToken('bob', { scopes: [] }),
      {
        helper: 'issueTemporaryToken',
        argument: 'username',
        status: 404,
        code: undefined,
        message: 'issueTemporaryToken(username): No such account: bob',
      },
    ],
    [
      'issueTemporaryToken, expires too far',
      (m: TokensMockCore) => m.issueTemporaryToken('alice', { scopes: [], expires: new Date(T0 + 2 * 3600_000) }),
      {
        helper: 'issueTemporaryToken',
        argument: 'init.expires',
        status: 422,
        code: 'expires-too-far',
        message: 'issueTemporaryToken(init.expires): expires is more than one hour in the future',
      },
    ],
    [
      'issueTemporaryToken, expires not a date',
      (m: TokensMockCore) => m.issueTemporaryToken('alice', { scopes: [], expires: 'soon' }),
      {
        helper: 'issueTemporaryToken',
        argument: 'init.expires',
        status: 422,
        code: undefined,
        message: 'issueTemporaryToken(init.expires): Invalid expires: soon',
      },
    ],
    [
      'createAccount, a bad username',
      (m: TokensMockCore) => m.createAccount({ username: 'bad/name' }),
      {
        helper: 'createAccount',
        argument: 'init.username',
        status: 422,
        code: undefined,
        message: expect.stringMatching(/^createAccount\(init\.username\): Invalid account username: "bad\/name"/),
      },
    ],
    [
      'createAccount, a taken username',
      (m: TokensMockCore) => m.createAccount({ username: 'alice' }),
      {
        helper: 'createAccount',
        argument: 'init.username',
        status: 409,
        code: undefined,
        message: 'createAccount(init.username): Account alice already exists',
      },
    ],
    [
      'createAccount, an unknown scope',
      (m: TokensMockCore) => m.createAccount({ username: 'carol', scopes: ['no:such'] }),
      {
        helper: 'createAccount',
        argument: 'init.scopes',
        status: 422,
        code: undefined,
        message: 'createAccount(init.scopes): Unknown scopes for account carol: no:such',
      },
    ],
  ] as const)('%s', async (_label, call, expected) => {
    const error = await refusal(call(mock()));
    expect(error).toMatchObject({ name: 'TokensMockError', ...expected });
    // The rule that refused the call travels along as the cause, unless the helper's own check did.
    if (expected.argument !== 'username') expect(error.cause).toBeInstanceOf(Error);
  });

  it('a refused call changes nothing', async () => {
    const m = mock();
    await m.defaultAccount();
    const before = m.snapshot();
    await refusal(m.issueToken('alice', { scopes: ['fonts:read'] }));
    await refusal(m.createAccount({ username: 'alice' }));
    expect(m.snapshot()).toEqual(before);
  });
});

describe('issueToken and issueTemporaryToken answer what the API create call answers', () => {
  it('both resolve to an object with the token string', async () => {
    const m = mock();
    const permanent = await m.issueToken('alice', { scopes: ['styles:read'] });
    const temporary = await m.issueTemporaryToken('alice', { scopes: ['styles:read'] });
    expect(permanent).toMatchObject({ usage: 'pk', token: expect.stringMatching(/^pk\./) });
    expect(temporary).toEqual({
      token: expect.stringMatching(/^tk\./),
      issued_at: new Date(T0).toISOString(),
      expires: new Date(T0 + 3600_000).toISOString(),
      expires_in: 3600,
    });
  });
});
