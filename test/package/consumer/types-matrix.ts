// Type-checked in every supported pairing (ESM and CommonJS projects; msw 2.15 and 3; moduleResolution
// node16, nodenext and bundler) by test/package/types-matrix.test.ts. No top-level await: CommonJS too.
import { setupServer } from 'msw/node';
import {
  createTokensMock,
  createTokensMockCore,
  TokensMockError,
  type FaultName,
  type PlainResponse,
  type ScopeName,
  type TokensMock,
} from 'mapbox-tokens-mock';

const mock: TokensMock = createTokensMock({ faults: ['list-ignores-limit'] });
// The issue's failing line: msw's own handler type must accept the package's handlers.
const server = setupServer(...mock.handlers);
server.use(...mock.handlers.slice(0, 1));

// @ts-expect-error: fault names are a literal union
createTokensMock({ faults: ['no-such-fault'] });
const fault: FaultName = 'delete-is-noop';
const scope: ScopeName = 'styles:read';
// @ts-expect-error: ScopeName is a literal union
const notAScope: ScopeName = 'styles:reed';

export async function useHelpers(): Promise<number> {
  const core = createTokensMockCore({ faults: [fault] });
  const permanent = await core.issueToken('mockuser', { scopes: [scope, 'tokens:read'] });
  const temporary = await core.issueTemporaryToken('mockuser', { scopes: ['styles:read'] });
  const tokens: string[] = [permanent.token, temporary.token, temporary.expires];
  // Playwright's request shape, as page.route hands it over.
  const answer: PlainResponse = await core.handle({
    method: () => 'GET',
    url: () => `${core.baseUrl}/scopes/v1/mockuser`,
    postData: () => null,
  });
  try {
    await core.issueToken('nobody');
  } catch (error) {
    if (error instanceof TokensMockError) return error.status + answer.status + tokens.length;
  }
  return notAScope.length;
}
