import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { errorConditions } from '../http/document.ts';
import { useMockServer } from './support.ts';

/**
 * Every documented error row that the official @mapbox/mapbox-sdk can provoke, provoked through
 * the SDK: its MapiError must carry the document's status and message (and getToken the
 * document's retrieve code). Rows the SDK cannot reach are listed with the reason, and a new row
 * in the document must land in one list or the other.
 */
const require = createRequire(import.meta.url);
const mbxTokens = require('@mapbox/mapbox-sdk/services/tokens') as (config: { accessToken: string; origin?: string }) => any;

const BASE_URL = 'http://sdk-errors.test';
const { mock } = useMockServer({ baseUrl: BASE_URL, clock: Date.now });

const USER = 'mockuser';
const ALL_ROUTE_SCOPES = ['tokens:read', 'tokens:write', 'scopes:list'];
const hundredAndOneUrls = Array.from({ length: 101 }, (_, index) => `https://site${index}.example`);

type Sdk = any;
type OperationId = 'listTokens' | 'createToken' | 'updateToken' | 'deleteToken' | 'listScopes';

function sdk(accessToken: string): Sdk {
  return mbxTokens({ accessToken, origin: BASE_URL });
}

async function master(): Promise<Sdk> {
  return sdk((await mock.defaultAccount()).secretToken);
}

async function tokenWith(scopes: string[], username = USER): Promise<{ id: string; token: string }> {
  return mock.issueToken(username, { note: 'sdk errors', scopes });
}

/** The SDK request of each account route, sent for a token id that exists. */
async function routeRequest(operationId: OperationId, client: Sdk): Promise<unknown> {
  const target = await tokenWith(['styles:read']);
  const requests: Record<OperationId, () => any> = {
    listTokens: () => client.listTokens(),
    createToken: () => client.createToken({ note: 'from the sdk', scopes: ['styles:read'] }),
    updateToken: () => client.updateToken({ tokenId: target.id, note: 'renamed' }),
    deleteToken: () => client.deleteToken({ tokenId: target.id }),
    listScopes: () => client.listScopes(),
  };
  return requests[operationId]().send();
}

/** The scope each route needs (a token holding the others but not this one is refused). */
const ROUTE_SCOPE: Record<OperationId, string> = {
  listTokens: 'tokens:read',
  createToken: 'tokens:write',
  updateToken: 'tokens:write',
  deleteToken: 'tokens:write',
  listScopes: 'scopes:list',
};

function forge(token: string): string {
  const [usage, payload] = token.split('.');
  return `${usage}.${payload}.AAAAAAAAAAAAAAAAAAAAAA`;
}

type Provoke = () => Promise<unknown>;

function authRows(operationId: OperationId): Record<string, Provoke> {
  return {
    'invalid-token': async () => routeRequest(operationId, sdk(forge((await mock.defaultAccount()).secretToken))),
    'expired-token': async () => {
      const temporary = (await mock.issueTemporaryToken(USER, { scopes: ALL_ROUTE_SCOPES, expires: new Date(mock.now() + 1_000) })).token;
      mock.advanceTime(2_000);
      return routeRequest(operationId, sdk(temporary));
    },
    'revoked-token': async () => {
      const doomed = await tokenWith(ALL_ROUTE_SCOPES);
      await (await master()).deleteToken({ tokenId: doomed.id }).send();
      return routeRequest(operationId, sdk(doomed.token));
    },
    'missing-scope': async () => {
      const lacking = await tokenWith(ALL_ROUTE_SCOPES.filter((scope) => scope !== ROUTE_SCOPE[operationId]));
      return routeRequest(operationId, sdk(lacking.token));
    },
    'rate-limited': async () => {
      // A fresh account has a window of its own: spend it, then the SDK's request is one too many.
      const account = await mock.createAccount({ username: `sdk-rate-${operationId.toLowerCase()}` });
      for (let spent = 0; spent < 100; spent++) {
        await mock.fetch(new Request(`${BASE_URL}/scopes/v1/${account.username}?access_token=${account.secretToken}`));
      }
      const client = sdk(account.secretToken);
      const requests: Record<OperationId, () => any> = {
        listTokens: () => client.listTokens(),
        createToken: () => client.createToken({ scopes: [] }),
        updateToken: () => client.updateToken({ tokenId: account.publicTokenId, note: 'x' }),
        deleteToken: () => client.deleteToken({ tokenId: account.publicTokenId }),
        listScopes: () => client.listScopes(),
      };
      return requests[operationId]().send();
    },
  };
}

const reachable: Record<OperationId, Record<string, Provoke>> = {
  listTokens: authRows('listTokens'),
  listScopes: authRows('listScopes'),
  createToken: {
    ...authRows('createToken'),
    'scopes-unknown': async () => (await master()).createToken({ scopes: ['not:a:valid:scope'] }).send(),
    'scopes-escalation': async () =>
      sdk((await tokenWith(['tokens:write', 'styles:read'])).token)
        .createToken({ scopes: ['fonts:read'] })
        .send(),
    'allowed-urls-too-many': async () => (await master()).createToken({ scopes: ['styles:read'], allowedUrls: hundredAndOneUrls }).send(),
    'allowed-urls-invalid': async () => (await master()).createToken({ scopes: ['styles:read'], allowedUrls: [''] }).send(),
    'resources-invalid': async () => (await master()).createToken({ scopes: ['styles:read'], resources: ['tileset'] }).send(),
    'expires-in-past': async () =>
      (await master()).createTemporaryToken({ expires: new Date(mock.now() - 60_000), scopes: ['styles:read'] }).send(),
    'expires-too-far': async () =>
      (await master()).createTemporaryToken({ expires: new Date(mock.now() + 2 * 3_600_000), scopes: ['styles:read'] }).send(),
    'expires-after-parent': async () => {
      const parent = (
        await mock.issueTemporaryToken(USER, { scopes: ['tokens:write', 'styles:read'], expires: new Date(mock.now() + 600_000) })
      ).token;
      return sdk(parent)
        .createTemporaryToken({ expires: new Date(mock.now() + 1_200_000), scopes: ['styles:read'] })
        .send();
    },
  },
  updateToken: {
    ...authRows('updateToken'),
    'token-not-found': async () => (await master()).updateToken({ tokenId: 'cnosuchtoken0000abcd1234x', note: 'x' }).send(),
    'scopes-unknown': async () =>
      (await master()).updateToken({ tokenId: (await tokenWith(['styles:read'])).id, scopes: ['not:a:valid:scope'] }).send(),
    'scopes-escalation': async () => {
      const target = await tokenWith(['styles:read']);
      return sdk((await tokenWith(['tokens:write', 'styles:read'])).token)
        .updateToken({ tokenId: target.id, scopes: ['fonts:read'] })
        .send();
    },
    'pk-secret-scope': async () =>
      (await master()).updateToken({ tokenId: (await tokenWith(['styles:read'])).id, scopes: ['styles:read', 'uploads:read'] }).send(),
    'scopeless-gains-scopes': async () =>
      (await master()).updateToken({ tokenId: (await tokenWith([])).id, scopes: ['styles:read'] }).send(),
    'allowed-urls-on-default': async () =>
      (await master()).updateToken({ tokenId: (await mock.defaultAccount()).publicTokenId, allowedUrls: ['https://docs.example'] }).send(),
    'allowed-urls-too-many': async () =>
      (await master()).updateToken({ tokenId: (await tokenWith(['styles:read'])).id, allowedUrls: hundredAndOneUrls }).send(),
    'allowed-urls-invalid': async () =>
      (await master()).updateToken({ tokenId: (await tokenWith(['styles:read'])).id, allowedUrls: [''] }).send(),
    'resources-invalid': async () =>
      (await master()).updateToken({ tokenId: (await tokenWith(['styles:read'])).id, resources: ['tileset'] }).send(),
  },
  deleteToken: {
    ...authRows('deleteToken'),
    'token-not-found': async () => (await master()).deleteToken({ tokenId: 'cnosuchtoken0000abcd1234x' }).send(),
    'delete-default': async () => (await master()).deleteToken({ tokenId: (await mock.defaultAccount()).publicTokenId }).send(),
  },
};

/** Retrieve codes the SDK's getToken() can see: it always retrieves the token it holds. */
const retrieveCodes: Record<string, () => Promise<string>> = {
  'token-valid': async () =>
    (await master())
      .getToken()
      .send()
      .then((response: any) => response.body.code),
  'token-invalid': async () =>
    sdk(forge((await mock.defaultAccount()).secretToken))
      .getToken()
      .send()
      .then((response: any) => response.body.code),
  'token-expired': async () => {
    const temporary = (await mock.issueTemporaryToken(USER, { scopes: ['styles:read'], expires: new Date(mock.now() + 1_000) })).token;
    mock.advanceTime(2_000);
    return sdk(temporary)
      .getToken()
      .send()
      .then((response: any) => response.body.code);
  },
  'token-revoked': async () => {
    const doomed = await tokenWith(['styles:read']);
    await (await master()).deleteToken({ tokenId: doomed.id }).send();
    return sdk(doomed.token)
      .getToken()
      .send()
      .then((response: any) => response.body.code);
  },
};

const SDK_ALWAYS_SENDS_ITS_TOKEN = 'the SDK always sends the access token it was built with';
const USERNAME_FROM_TOKEN = "the SDK takes the username from its token's payload";
const CLIENT_SIDE_VALIDATION = 'the SDK validates bodies client-side (strict shapes, typed fields) and always sends JSON';
const accountRouteUnreachable = {
  'missing-token': SDK_ALWAYS_SENDS_ITS_TOKEN,
  'no-such-user': USERNAME_FROM_TOKEN,
  'other-user': USERNAME_FROM_TOKEN,
};
const bodyUnreachable = {
  'invalid-json': CLIENT_SIDE_VALIDATION,
  'body-not-object': CLIENT_SIDE_VALIDATION,
  'unknown-property': CLIENT_SIDE_VALIDATION,
  'note-invalid': CLIENT_SIDE_VALIDATION,
  'scopes-invalid': CLIENT_SIDE_VALIDATION,
};
const unreachable: Record<string, Record<string, string>> = {
  listTokens: {
    ...accountRouteUnreachable,
    'bad-usage': 'listTokens() takes no options',
    'bad-default': 'listTokens() takes no options',
    'bad-sortby': 'listTokens() takes no options',
    'bad-limit': 'listTokens() takes no options',
    'invalid-start': 'the SDK only follows the Link header the server sends',
  },
  listScopes: accountRouteUnreachable,
  createToken: {
    ...accountRouteUnreachable,
    ...bodyUnreachable,
    'allowed-urls-on-temporary': 'createTemporaryToken() has no allowedUrls',
    'expires-invalid': 'createTemporaryToken() sends expires through Date#toISOString',
  },
  updateToken: { ...accountRouteUnreachable, ...bodyUnreachable },
  deleteToken: accountRouteUnreachable,
  retrieveToken: {
    'access-token-required': SDK_ALWAYS_SENDS_ITS_TOKEN,
    'token-malformed': 'the SDK refuses to build a client around a token it cannot parse',
  },
};

function documentedRow(operationId: string, conditionId: string) {
  const row = errorConditions.find((candidate) => candidate.operationId === operationId && candidate.conditionId === conditionId);
  if (row === undefined) throw new Error(`no documented row ${operationId} ${conditionId}`);
  return row;
}

describe('the official SDK sees every documented error it can provoke', () => {
  it('every documented row is either provoked through the SDK here or listed as out of its reach', () => {
    const covered = (operationId: string, conditionId: string) =>
      conditionId in (reachable[operationId as OperationId] ?? {}) ||
      conditionId in (unreachable[operationId] ?? {}) ||
      (operationId === 'retrieveToken' && conditionId in retrieveCodes);
    const missing = errorConditions
      .filter((row) => !covered(row.operationId, row.conditionId))
      .map((row) => `${row.operationId} ${row.conditionId}`);
    expect(missing).toEqual([]);
  });

  for (const [operationId, rows] of Object.entries(reachable)) {
    for (const [conditionId, provoke] of Object.entries(rows)) {
      const row = documentedRow(operationId, conditionId);
      it(`${operationId} ${conditionId}: MapiError ${row.status} ${String(row.message)}`, async () => {
        const error = await provoke().then(
          (response: any) => ({ unexpectedSuccess: response.statusCode }),
          (rejection: unknown) => rejection,
        );
        expect(row.message).toEqual(expect.any(String));
        expect(error).toMatchObject({ type: 'HttpError', statusCode: row.status, message: row.message, body: row.body });
      });
    }
  }

  for (const [conditionId, retrieve] of Object.entries(retrieveCodes)) {
    const row = documentedRow('retrieveToken', conditionId);
    it(`getToken ${conditionId}: code ${String(row.code)}`, async () => {
      expect(row.code).toEqual(expect.any(String));
      expect(await retrieve()).toBe(row.code);
    });
  }
});
