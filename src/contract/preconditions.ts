import { expectJsonBody, expectStatus, fail } from './assertions.ts';
import type { RunEnvironment } from './context.ts';
import { CheckSkipped } from './errors.ts';
import { serverTimeAfter } from './server-clock.ts';
import { nextLink } from './link-header.ts';
import { abortableSleep } from './sleep.ts';
import type { TokensApi } from './tokens-api.ts';
import type { ApiResponse } from './transport.ts';

/**
 * Shared state built once per run and used by many checks, so the whole suite stays well under
 * the documented 100 requests per minute. Each precondition is created lazily on first use.
 */
export interface ScopeEntry {
  id: string;
  description?: string;
  public?: boolean;
}

export interface AccountFacts {
  scopesResponse: ApiResponse;
  catalogue: ScopeEntry[];
  /** Scopes of the master token (from its listed metadata, or its tk claims). */
  masterScopes: string[];
  /** Public scopes the master holds, in catalogue order (at least one). */
  publicScopes: string[];
  defaultTokenId: string | undefined;
  /** The default token as listed by the preflight, before the run wrote anything. */
  defaultToken?: Record<string, unknown> | undefined;
}

export interface CreatedToken {
  label: string;
  requested: { note: string; scopes: string[]; allowedUrls?: string[] };
  response: ApiResponse;
  body: Record<string, unknown>;
  id: string;
  token: string;
}

interface TemporaryPrecondition {
  requested: { expires: string; scopes: string[] };
  response: ApiResponse;
  body: Record<string, unknown>;
  token: string;
}

interface UpdatedToken {
  requested: { note: string; scopes: string[]; allowedUrls: string[] };
  response: ApiResponse;
  /** Server-side `modified` of the token before the update. */
  modifiedBefore: string;
}

interface DeletedToken {
  created: CreatedToken;
  deleteResponse: ApiResponse;
}

export interface ListedPages {
  items: Record<string, unknown>[];
  responses: ApiResponse[];
}

export interface Preconditions {
  account: AccountFacts;
  /** pk with two public scopes and an allowed URL (created by the master). */
  pk: CreatedToken;
  /** sk holding tokens:read and a public scope, without tokens:write. */
  sk: CreatedToken;
  /** sk holding tokens:read, tokens:write and exactly one public scope (escalation actor). */
  writer: CreatedToken;
  /** token created with no scopes. */
  scopeless: CreatedToken;
  /** pk created and then deleted. */
  deleted: DeletedToken;
  /** tk holding tokens:read, tokens:write and a public scope, valid for 10 minutes. */
  tk: TemporaryPrecondition;
  /** tk that lived `expirySeconds` and has expired by the time the precondition resolves. */
  expiredTk: TemporaryPrecondition;
  /** the pk after a PATCH of note, scopes and allowedUrls. */
  pkUpdated: UpdatedToken;
  /** every token of the account (limit=100 pages) after the preconditions above were made. */
  listing: ListedPages;
}

export type PreconditionName = keyof Preconditions;

interface PreconditionEnv {
  api: TokensApi;
  env: RunEnvironment;
  use<K extends PreconditionName>(name: K): Promise<Preconditions[K]>;
  signal: AbortSignal | undefined;
}

type PreconditionBuilders = { [K in PreconditionName]: (fx: PreconditionEnv) => Promise<Preconditions[K]> };

const REQUIRED_MASTER_SCOPES = ['tokens:read', 'tokens:write'];
const TEN_MINUTES_MS = 10 * 60_000;

export const preconditionBuilders: PreconditionBuilders = {
  async account(fx) {
    // Read once by the preflight (before any write); absent when the token lacks tokens:read or scopes:list.
    if (fx.env.accountProblem !== undefined) fail(fx.env.accountProblem);
    if (!fx.env.account) throw new CheckSkipped('the account could not be read (the preflight found no listing or no scopes catalogue)');
    const account = fx.env.account;
    const missing = REQUIRED_MASTER_SCOPES.filter((scope) => !account.masterScopes.includes(scope));
    if (missing.length > 0) throw new CheckSkipped(`the token lacks ${missing.join(', ')}`);
    if (account.publicScopes.length === 0) throw new CheckSkipped('the token holds no public scope');
    return account;
  },

  async pk(fx) {
    const { publicScopes } = await fx.use('account');
    return createPermanent(fx, 'pk', { scopes: publicScopes.slice(0, 2), allowedUrls: ['https://example.com'] });
  },

  async sk(fx) {
    const { publicScopes } = await fx.use('account');
    return createPermanent(fx, 'sk', { scopes: [publicScopes[0]!, 'tokens:read'] });
  },

  async writer(fx) {
    const { publicScopes } = await fx.use('account');
    // Created strictly after the pk: list.sort-order relies on pk.created < writer.created < pk.modified.
    await fx.use('pk');
    await abortableSleep(5, fx.signal);
    return createPermanent(fx, 'writer', { scopes: ['tokens:read', 'tokens:write', publicScopes[0]!] });
  },

  async scopeless(fx) {
    return createPermanent(fx, 'scopeless', { scopes: [] });
  },

  async deleted(fx) {
    const { publicScopes } = await fx.use('account');
    const created = await createPermanent(fx, 'revoked', { scopes: [publicScopes[0]!] });
    const deleteResponse = await fx.api.remove(fx.env.masterToken, created.id);
    expectStatus(deleteResponse, 204, describe);
    return { created, deleteResponse };
  },

  async tk(fx) {
    const { publicScopes } = await fx.use('account');
    const expires = serverTimeAfter(fx.env, TEN_MINUTES_MS);
    return createTemporary(fx, { expires, scopes: ['tokens:read', 'tokens:write', publicScopes[0]!] });
  },

  async expiredTk(fx) {
    const { publicScopes } = await fx.use('account');
    const expiresAt = fx.env.serverNow() + fx.env.expirySeconds * 1000;
    const created = await createTemporary(fx, { expires: new Date(expiresAt).toISOString(), scopes: ['tokens:read', publicScopes[0]!] });
    // Wait for the real expiry (a margin covers the server's whole-second `exp`).
    await abortableSleep(expiresAt - fx.env.serverNow() + 1200, fx.signal);
    return created;
  },

  async pkUpdated(fx) {
    const pk = await fx.use('pk');
    const { publicScopes } = await fx.use('account');
    // Let the clock move so `modified` differs from every `created` (sort checks rely on it).
    await abortableSleep(20, fx.signal);
    const requested = {
      note: fx.api.owned.note('pk updated'),
      scopes: [publicScopes[0]!],
      allowedUrls: ['https://example.org', 'https://example.net'],
    };
    const response = await fx.api.update(fx.env.masterToken, pk.id, requested);
    return { requested, response, modifiedBefore: String(pk.body['modified']) };
  },

  async listing(fx) {
    await Promise.all([fx.use('sk'), fx.use('writer'), fx.use('scopeless'), fx.use('deleted')]);
    await fx.use('pkUpdated');
    return walkPages(fx.api, fx.env.masterToken, [['limit', '100']]);
  },
};

/** The account as read by the preflight: the scopes catalogue, the token's own scopes, the default token. */
export function accountFacts(
  scopesResponse: ApiResponse,
  items: readonly Record<string, unknown>[],
  knownMasterScopes: string[] | undefined,
): AccountFacts {
  const body = scopesResponse.json;
  const catalogue = (Array.isArray(body) ? (body as ScopeEntry[]) : []).filter(
    (entry) => entry !== null && typeof entry === 'object' && typeof entry.id === 'string',
  );
  const masterScopes = knownMasterScopes ?? catalogue.map((entry) => entry.id);
  const publicScopes = catalogue.filter((entry) => entry.public === true && masterScopes.includes(entry.id)).map((entry) => entry.id);
  const defaultToken = items.find((item) => item['default'] === true);
  return {
    scopesResponse,
    catalogue,
    masterScopes,
    publicScopes,
    defaultTokenId: typeof defaultToken?.['id'] === 'string' ? defaultToken['id'] : undefined,
    defaultToken,
  };
}

async function createPermanent(
  fx: PreconditionEnv,
  label: string,
  init: { scopes: string[]; allowedUrls?: string[] },
): Promise<CreatedToken> {
  const requested = { note: fx.api.owned.note(label), ...init };
  const response = await fx.api.create(fx.env.masterToken, requested, label);
  // Any 2xx lets the dependent checks run; create.* checks assert the documented 200 exactly.
  expect2xx(response);
  const body = expectJsonBody(response, describe) as Record<string, unknown>;
  if (typeof body?.['id'] !== 'string' || typeof body['token'] !== 'string') {
    fail(`${describe(response)}: the created ${label} token has no string id and token`, { actual: body });
  }
  return { label, requested, response, body, id: body['id'] as string, token: body['token'] as string };
}

async function createTemporary(fx: PreconditionEnv, requested: { expires: string; scopes: string[] }): Promise<TemporaryPrecondition> {
  const response = await fx.api.create(fx.env.masterToken, requested, 'temporary');
  expect2xx(response);
  const body = expectJsonBody(response, describe) as Record<string, unknown>;
  if (typeof body?.['token'] !== 'string') fail(`${describe(response)}: the temporary token response has no token`, { actual: body });
  return { requested, response, body, token: body['token'] as string };
}

/** Follows `Link: <…>; rel="next"` from a first request until no next page (at most 25 pages). */
export async function walkPages(
  api: TokensApi,
  token: string,
  query: readonly (readonly [string, string])[],
  maxPages = 25,
  first?: ApiResponse,
): Promise<ListedPages> {
  const items: Record<string, unknown>[] = [];
  const responses: ApiResponse[] = [];
  const seenUrls = new Set<string>();
  let response = first ?? (await api.list(token, query));
  for (;;) {
    responses.push(response);
    expectStatus(response, 200, describe);
    const body = expectJsonBody(response, describe);
    if (!Array.isArray(body)) fail(`${describe(response)}: expected a JSON array of tokens`, { actual: body });
    for (const item of body as Record<string, unknown>[]) items.push(item);
    const next = nextLink(response.headers.get('link'));
    if (!next) return { items, responses };
    if (responses.length >= maxPages) fail(`${describe(response)}: pagination did not end after ${maxPages} pages`);
    const url = new URL(next, response.url);
    // Never send the token anywhere but the server under test (a Link to api.mapbox.com from a mock would).
    if (url.origin !== new URL(response.url).origin) {
      fail(`${describe(response)}: Link rel="next" points to another origin (${url.origin}); it must use the request's origin`, {
        expected: new URL(response.url).origin,
        actual: url.origin,
      });
    }
    if (seenUrls.has(url.toString())) fail(`${describe(response)}: Link rel="next" points back to a page already visited`);
    seenUrls.add(url.toString());
    // Clients re-add their own token (the Link carries none); replace one if it does.
    url.searchParams.delete('access_token');
    response = await api.call({ method: 'GET', path: url.toString(), token });
  }
}

function expect2xx(response: ApiResponse): void {
  if (response.status < 200 || response.status > 299) expectStatus(response, 200, describe);
}

function describe(response: ApiResponse): string {
  return `${response.method} ${response.url.replace(/([?&]access_token=)[^&#]*/g, '$1…')}`;
}
