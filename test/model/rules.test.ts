// The model applies its rules through the rules object it is built with: API_RULES by default, and
// whatever another object of the same shape says instead, rule by rule.
import { describe, expect, it } from 'vitest';
import { createClock } from '../../src/state/mock-clock.ts';
import { API_RULES, type ModelRules } from '../../src/model/rules.ts';
import { ALL_SCOPE_IDS } from '../../src/model/scopes.ts';
import { createModel } from '../../src/state/model-state.ts';
import { createAccount } from '../../src/mock/account-credentials.ts';

async function accountWith(rules?: ModelRules) {
  const model = await createModel({ clock: createClock(() => Date.UTC(2026, 0, 1)), rateLimit: false, ...(rules && { rules }) });
  const account = await createAccount(model.service, { username: 'mockuser', scopes: [...ALL_SCOPE_IDS] });
  return { service: model.service, account };
}

describe('the rules object of a model', () => {
  it('is API_RULES by default, which no one can change', async () => {
    const { service, account } = await accountWith();
    expect(service.rules).toBe(API_RULES);
    expect(Object.isFrozen(API_RULES)).toBe(true);
    const refused = service.deleteToken({ accessToken: account.secretToken, username: 'mockuser', tokenId: account.publicTokenId });
    await expect(refused).rejects.toMatchObject({ id: 'delete-default' });
  });

  it('decides each rule it names: another checkDeletable lets the default token go, the other rules hold', async () => {
    const { service, account } = await accountWith({ ...API_RULES, checkDeletable: () => undefined });
    const deleted = await service.deleteToken({ accessToken: account.secretToken, username: 'mockuser', tokenId: account.publicTokenId });
    expect(deleted.value).toBeNull();
    expect(service.parts.store.get(account.publicTokenId)).toBeUndefined();
    const other = service.listTokens({ accessToken: account.secretToken, username: 'someone-else', query: {} });
    await expect(other).rejects.toMatchObject({ id: 'no-such-user' });
  });

  it('is kept by the service atomically() binds for one operation', async () => {
    const rules: ModelRules = { ...API_RULES, presentListedToken: (record) => ({ ...API_RULES.presentListedToken(record), note: 'seen' }) };
    const { service, account } = await accountWith(rules);
    const listed = await service.atomically((bound) =>
      bound.listTokens({ accessToken: account.secretToken, username: 'mockuser', query: {} }),
    );
    expect(listed.value.tokens.map((token) => token.note)).toEqual(['seen', 'seen']);
  });
});
