// Valid state files for the state-file tests: made by a real mock, so they are what tokens-mock writes.
import { createTokensMockCore, type MockState } from '../../src/index.ts';

export const STATE_T0 = Date.parse('2026-03-01T12:00:00.000Z');

/** A version 2 state with two accounts and a few tokens (renamed and scoped ones included). */
export async function validState(extraTokens = 4): Promise<MockState> {
  const mock = createTokensMockCore({
    seed: 14,
    clock: () => STATE_T0,
    accounts: [{ username: 'mockuser' }, { username: 'other', scopes: ['styles:read', 'tokens:read'] }],
  });
  await mock.defaultAccount();
  for (let i = 0; i < extraTokens; i++) {
    await mock.issueToken(i % 2 === 0 ? 'mockuser' : 'other', {
      note: `token ${i}`,
      scopes: ['styles:read'],
      ...(i === 0 && { allowedUrls: ['https://example.com'] }),
    });
  }
  return JSON.parse(JSON.stringify(mock.snapshot())) as MockState;
}

/** The same state in version 1 (what tokens-mock wrote before issue 14). */
export function asVersion1(state: MockState): Record<string, unknown> {
  const { version: _version, ...rest } = state;
  return {
    ...rest,
    format: 'mapbox-tokens-mock/state@1',
    accounts: state.accounts.map(({ username, scopes }) => ({ username, scopes })),
  };
}
