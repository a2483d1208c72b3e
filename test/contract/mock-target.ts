import { createTokensMock, SCOPE_CATALOGUE, type FaultName, type TokensMock } from '../../src/index.ts';
import type { RunContractOptions } from '../../src/contract/index.ts';

const OTHER_USER = 'contract-other';

export interface MockTarget {
  mock: TokensMock;
  options: RunContractOptions;
  masterToken: string;
  /** Ids of the account's tokens before the run. */
  initialIds: string[];
  listIds(): Promise<string[]>;
}

/** A fresh in-process mock (with a second account and `faults`) and runContract options aimed at it. */
export async function mockTarget(overrides: Partial<RunContractOptions> = {}, faults: FaultName[] = []): Promise<MockTarget> {
  // A window that holds the whole suite's requests: only rate-limit.enforced may meet a 429.
  const mock = createTokensMock({ seed: 7, rateLimit: { limit: 1000, intervalSeconds: 60 }, faults });
  const account = await mock.defaultAccount();
  const other = await mock.createAccount({ username: OTHER_USER });
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
      otherToken: other.secretToken,
      strictMessages: true,
      expirySeconds: 1,
      // The default account holds every scope of the catalogue.
      accountScopes: SCOPE_CATALOGUE.map((scope) => scope.id),
      ...overrides,
    },
  };
}
