// Consumer check (d): one use of every public entry, type-checked by a strict `nodenext` project
// (skipLibCheck off, so the package's declarations are checked too) and then run by Node.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { setupServer } from 'msw/node';
import {
  API_ERRORS,
  ROUTES,
  SCOPE_CATALOGUE,
  createTokensMock,
  type AccountCredentials,
  type Fixtures,
  type OperationId,
  type TokenMetadata,
  type TokensMock,
} from 'mapbox-tokens-mock';
import { DEFAULT_PORT, startServer, type RunningServer } from 'mapbox-tokens-mock/server';
import { listChecks, runContract, type ContractReport } from 'mapbox-tokens-mock/contract';
import { buildFixtures } from 'mapbox-tokens-mock/fixtures';
import openapi from 'mapbox-tokens-mock/openapi.json' with { type: 'json' };
import manifest from 'mapbox-tokens-mock/package.json' with { type: 'json' };

const fixtures: Fixtures = buildFixtures({ seed: 3, accounts: ['alice'], tokensPerAccount: 2 });
const mock: TokensMock = createTokensMock({ seed: 3, fixtures, rateLimit: false });
const operationIds = new Set<OperationId>(
  ROUTES.flatMap((route) => Object.values(route.operations).filter((id): id is OperationId => id !== undefined)),
);
const scopeIds: string[] = SCOPE_CATALOGUE.map((scope) => scope.id);

// Root: the msw handlers in this project's msw.
const msw = setupServer(...mock.handlers);
msw.listen();
let owner: AccountCredentials;
let aliceTokens: TokenMetadata[];
try {
  owner = await mock.defaultAccount();
  // alice comes from the fixtures: a token of hers that may list her tokens.
  const reader = await mock.issueToken('alice', { note: 'reader', scopes: ['tokens:read'] });
  const response = await fetch(`${mock.baseUrl}/tokens/v2/alice?access_token=${reader.token}`);
  aliceTokens = (await response.json()) as TokenMetadata[];
} finally {
  msw.close();
}

// Server entry: the same mock over HTTP. Contract entry: two of its checks against that server.
const server: RunningServer = await startServer({ mock, port: 0 });
let report: ContractReport;
try {
  const only = listChecks()
    .map((check) => check.id)
    .filter((id) => id === 'headers.cors-preflight' || id === 'routes.method-not-allowed');
  report = await runContract({ baseUrl: server.url, username: owner.username, token: owner.secretToken, only });
} finally {
  await server.close();
}

// The document, as JSON (typed by TypeScript from the file) and as the YAML source.
const yamlPath = fileURLToPath(import.meta.resolve('mapbox-tokens-mock/openapi.yaml'));
const yaml = await readFile(yamlPath, 'utf8');
const openapiVersion: string = openapi.openapi;

console.log(
  JSON.stringify({
    version: manifest.version,
    defaultPort: DEFAULT_PORT,
    operations: operationIds.size,
    scopes: scopeIds.length,
    errors: Object.keys(API_ERRORS).length,
    aliceTokens: aliceTokens.length,
    contract: report.summary,
    openapi: openapiVersion,
    paths: Object.keys(openapi.paths).length,
    yamlStartsWithOpenapi: yaml.startsWith('openapi: 3.1') || /^openapi:\s*3\.1/m.test(yaml),
  }),
);
