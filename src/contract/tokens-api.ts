import { operationPath } from '../generated/api-tables.ts';
import { fail } from './assertions.ts';
import { CheckSkipped } from './errors.ts';
import type { OwnedTokens } from './owned-tokens.ts';
import { replayCommand } from './replay.ts';
import type { ApiResponse, SendOptions, Transport } from './transport.ts';
import type { RecordedExchange } from './types.ts';

export type QueryInit = Record<string, string> | readonly (readonly [string, string])[];

export interface CallInit {
  method: string;
  /** Path below the base URL, e.g. `/tokens/v2/alice`; or an absolute URL (Link headers). */
  path: string;
  query?: QueryInit;
  /** `access_token` value; undefined leaves the parameter out. Always appended last (as the SDK does). */
  token?: string;
  /** A JSON value to send as the body. */
  body?: unknown;
  /** A body sent verbatim (invalid JSON checks). */
  rawBody?: string;
  headers?: Record<string, string>;
  label?: string;
  send?: SendOptions;
}

/** What the given (master) token may do, as found by the preflight; absent ones skip the checks that need them. */
export interface Capabilities {
  masterToken: string;
  missing: ReadonlySet<string>;
}

/**
 * A recording client for the Tokens API routes. Each check gets its own instance so the report
 * shows exactly the exchanges of that check. Every create proves the returned id is the new token
 * before registering it for cleanup, and every update/delete is refused unless the suite owns the
 * token.
 */
export class TokensApi {
  #proofRequests = 0;

  /** Retrieves sent to prove a created token ours (see registerCreated). */
  get proofRequests(): number {
    return this.#proofRequests;
  }

  readonly baseUrl: string;
  readonly username: string;
  readonly owned: OwnedTokens;
  readonly exchanges: RecordedExchange[];
  readonly #transport: Transport;
  readonly #signal: AbortSignal | undefined;
  readonly #capabilities: Capabilities | undefined;
  /** The token the run was given: replay lines show it as `$MAPBOX_ACCESS_TOKEN`. */
  readonly #givenToken: string | undefined;

  constructor(init: {
    transport: Transport;
    baseUrl: string;
    username: string;
    owned: OwnedTokens;
    exchanges: RecordedExchange[];
    signal?: AbortSignal;
    capabilities?: Capabilities;
    givenToken?: string;
  }) {
    this.#transport = init.transport;
    this.baseUrl = init.baseUrl.replace(/\/+$/, '');
    this.username = init.username;
    this.owned = init.owned;
    this.exchanges = init.exchanges;
    this.#signal = init.signal;
    this.#capabilities = init.capabilities;
    this.#givenToken = init.givenToken;
  }

  /** The run's abort signal (deadline, interruption): long waits in checks should honour it. */
  get signal(): AbortSignal | undefined {
    return this.#signal;
  }

  /** A client recording into another list (preconditions record separately and are attached to their users). */
  withExchanges(exchanges: RecordedExchange[]): TokensApi {
    const init: ConstructorParameters<typeof TokensApi>[0] = {
      transport: this.#transport,
      baseUrl: this.baseUrl,
      username: this.username,
      owned: this.owned,
      exchanges,
    };
    if (this.#signal) init.signal = this.#signal;
    if (this.#capabilities) init.capabilities = this.#capabilities;
    if (this.#givenToken !== undefined) init.givenToken = this.#givenToken;
    return new TokensApi(init);
  }

  /** A text with every secret of the run redacted. */
  redact(text: string): string {
    return this.#transport.redact(text);
  }

  url(path: string, query?: QueryInit, token?: string): string {
    const url = new URL(/^https?:\/\//.test(path) ? path : `${this.baseUrl}${path}`);
    const pairs: (readonly [string, string])[] = Array.isArray(query)
      ? [...(query as readonly (readonly [string, string])[])]
      : Object.entries((query ?? {}) as Record<string, string>);
    for (const [name, value] of pairs) url.searchParams.append(name, value);
    if (token !== undefined) url.searchParams.append('access_token', token);
    return url.toString();
  }

  async call(init: CallInit): Promise<ApiResponse> {
    const headers: Record<string, string> = { ...init.headers };
    let body: string | undefined = init.rawBody;
    if (init.body !== undefined) body = JSON.stringify(init.body);
    if (body !== undefined && !Object.keys(headers).some((name) => name.toLowerCase() === 'content-type')) {
      headers['content-type'] = 'application/json';
    }
    const request = {
      method: init.method,
      url: this.url(init.path, init.query, init.token),
      headers,
      ...(body === undefined ? {} : { body }),
    };
    const send: SendOptions = { ...init.send };
    if (this.#signal && !send.signal) send.signal = this.#signal;
    const response = await this.#transport.send(init.label ? { ...request, label: init.label } : request, send);
    response.record.replay = replayCommand(
      response.record,
      init.token === undefined ? 'none' : init.token === this.#givenToken ? 'given' : 'other',
    );
    this.exchanges.push(response.record);
    return response;
  }

  list(token: string, query?: QueryInit, username = this.username): Promise<ApiResponse> {
    this.#need(token, 'tokens:read');
    return this.call({ method: 'GET', path: operationPath('listTokens', { username }), token, ...(query ? { query } : {}) });
  }

  /** POST create; a 2xx answer with an id is proven (see registerCreated) before the id is registered for cleanup. */
  async create(token: string, body: unknown, label: string, username = this.username): Promise<ApiResponse> {
    this.#need(token, 'tokens:write');
    this.owned.createAttempts += 1;
    const response = await this.call({ method: 'POST', path: operationPath('createToken', { username }), token, body, label });
    await this.registerCreated(response, label, username);
    return response;
  }

  async createRaw(token: string, rawBody: string, label: string): Promise<ApiResponse> {
    this.#need(token, 'tokens:write');
    this.owned.createAttempts += 1;
    const response = await this.call({
      method: 'POST',
      path: operationPath('createToken', { username: this.username }),
      token,
      rawBody,
      label,
    });
    await this.registerCreated(response, label);
    return response;
  }

  update(token: string, id: string, body: unknown, username = this.username): Promise<ApiResponse> {
    this.#need(token, 'tokens:write');
    this.owned.assertWritable(id);
    return this.call({ method: 'PATCH', path: operationPath('updateToken', { username, token_id: id }), token, body });
  }

  async remove(token: string, id: string, username = this.username): Promise<ApiResponse> {
    this.#need(token, 'tokens:write');
    this.owned.assertWritable(id);
    const response = await this.call({ method: 'DELETE', path: operationPath('deleteToken', { username, token_id: id }), token });
    if (response.status >= 200 && response.status < 300) this.owned.markDeleted(id);
    return response;
  }

  retrieve(token: string | undefined): Promise<ApiResponse> {
    return this.call({ method: 'GET', path: operationPath('retrieveToken', {}), ...(token === undefined ? {} : { token }) });
  }

  scopes(token: string, username = this.username): Promise<ApiResponse> {
    this.#need(token, 'scopes:list');
    return this.call({ method: 'GET', path: operationPath('listScopes', { username }), token });
  }

  /**
   * Ownership is proven, never assumed: a 2xx create answer's id is registered only when the answer
   * also carries a token string whose retrieve names the same authorization id and user. A
   * temporary token (no id) is never registered; any other answer taints the id (never written to
   * again) and fails the calling check.
   */
  async registerCreated(response: ApiResponse, label: string, username = this.username): Promise<void> {
    if (response.status < 200 || response.status >= 300) return;
    const body = response.json as { id?: unknown; token?: unknown; note?: unknown } | undefined;
    const id = body?.id;
    const token = body?.token;
    if (typeof token === 'string' && token.length > 0) this.owned.holdString(token);
    if (typeof id !== 'string' || id.length === 0) return;
    if (this.owned.isOwned(id)) {
      // Proven by the earlier answer (and cleaned up as such); this answer is the lie.
      fail(`${label}: the create answer names id ${id}, which an earlier create answer already named`);
    }
    if (this.owned.isPreexisting(id)) {
      this.owned.taint(id, 'listed before the run');
      fail(`${label}: the create answer names id ${id}, a token listed before the run; it is not touched`);
    }
    if (typeof token !== 'string' || token.length === 0) {
      this.owned.taint(id, 'the create answer carried no token string to prove it');
      fail(`${label}: the create answer names id ${id} without a token string; ownership cannot be proven, so it is not touched`);
    }
    this.#proofRequests += 1;
    const retrieved = await this.retrieve(token);
    const claims = (retrieved.json as { token?: { authorization?: unknown; user?: unknown } } | undefined)?.token;
    if (retrieved.status === 200 && claims?.authorization === id && claims.user === username) {
      if (!this.owned.register(id, label, token, typeof body?.note === 'string' ? body.note : undefined)) {
        fail(`${label}: the create answer names id ${id}, a token listed before the run; it is not touched`);
      }
      return;
    }
    this.owned.taint(id, 'a retrieve of its token string named another authorization or user');
    fail(
      `${label}: the create answer names id ${id}, but a retrieve of its token string answered ${retrieved.status} ` +
        `authorization ${JSON.stringify(claims?.authorization)} user ${JSON.stringify(claims?.user)}; the id is not touched`,
      { expected: { authorization: id, user: username }, actual: claims },
    );
  }

  /** Checks needing a capability the given token lacks are skipped, not blamed on the server. */
  #need(token: string, capability: string): void {
    const capabilities = this.#capabilities;
    if (capabilities && token === capabilities.masterToken && capabilities.missing.has(capability)) {
      throw new CheckSkipped(`the given token lacks ${capability}`);
    }
  }
}
