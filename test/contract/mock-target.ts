import { createTokensMock, type TokensMock } from '../../src/index.ts';
import type { RunContractOptions } from '../../src/contract/index.ts';

export const OTHER_USER = 'contract-other';

export interface MockTarget {
  mock: TokensMock;
  options: RunContractOptions;
  masterToken: string;
  /** Ids of the account's tokens before the run. */
  initialIds: string[];
  listIds(): Promise<string[]>;
}

/** A fresh in-process mock (with a second account) and runContract options aimed at it. */
export async function mockTarget(overrides: Partial<RunContractOptions> = {}): Promise<MockTarget> {
  const mock = createTokensMock({ seed: 7 });
  const account = await mock.defaultAccount();
  await mock.createAccount({ username: OTHER_USER });
  const listIds = async (): Promise<string[]> => {
    const url = `${mock.baseUrl}/tokens/v2/${account.username}?limit=100&access_token=${account.secretToken}`;
    const body = (await (await mock.fetch(new Request(url))).json()) as { id: string }[];
    return body.map((item) => item.id).sort();
  };
  return {
    mock,
    masterToken: account.secretToken,
    initialIds: await listIds(),
    listIds,
    options: {
      baseUrl: mock.baseUrl,
      username: account.username,
      token: account.secretToken,
      fetch: (request) => mock.fetch(request),
      pacing: false,
      otherUsername: OTHER_USER,
      strictMessages: true,
      expirySeconds: 1,
      ...overrides,
    },
  };
}
