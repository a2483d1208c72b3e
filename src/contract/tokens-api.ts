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

/**
 * A recording client for the Tokens API routes. Each check gets its own instance so the report
 * shows exactly the exchanges of that check. Every create registers the returned id for cleanup,
 * and every update/delete is refused unless the suite owns the token.
 */
export class TokensApi {
  readonly baseUrl: string;
  readonly username: string;
  readonly owned: OwnedTokens;
  readonly exchanges: RecordedExchange[];
  readonly #transport: Transport;
  readonly #signal: AbortSignal | undefined;
  /** The token the run was given: replay lines show it as `$MAPBOX_ACCESS_TOKEN`. */
  readonly #givenToken: string | undefined;

  constructor(init: {
    transport: Transport;
    baseUrl: string;
    username: string;
    owned: OwnedTokens;
    exchanges: RecordedExchange[];
    signal?: AbortSignal;
    givenToken?: string;
  }) {
    this.#transport = init.transport;
    this.baseUrl = init.baseUrl.replace(/\/+$/, '');
    this.username = init.username;
    this.owned = init.owned;
    this.exchanges = init.exchanges;
    this.#signal = init.signal;
    this.#givenToken = init.givenToken;
  }

  /** A client recording into another list (fixtures record separately and are attached to their users). */
  withExchanges(exchanges: RecordedExchange[]): TokensApi {
    const init: ConstructorParameters<typeof TokensApi>[0] = {
      transport: this.#transport,
      baseUrl: this.baseUrl,
      username: this.username,
      owned: this.owned,
      exchanges,
    };
    if (this.#signal) init.signal = this.#signal;
    if (this.#givenToken !== undefined) init.givenToken = this.#givenToken;
    return new TokensApi(init);
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
    const request = { method: init.method, url: this.url(init.path, init.query, init.token), headers, ...(body === undefined ? {} : { body }) };
    const send: SendOptions = { ...init.send };
    if (this.#signal && !send.signal) send.signal = this.#signal;
    const response = await this.#transport.send(init.label ? { ...request, label: init.label } : request, send);
    response.record.replay = replayCommand(response.record, init.token === undefined ? 'none' : init.token === this.#givenToken ? 'given' : 'other');
    this.exchanges.push(response.record);
    return response;
  }

  list(token: string, query?: QueryInit, username = this.username): Promise<ApiResponse> {
    return this.call({ method: 'GET', path: userPath(username), token, ...(query ? { query } : {}) });
  }

  /** POST create; any id in a 2xx answer is registered for cleanup, even when the check expected a refusal. */
  async create(token: string, body: unknown, label: string, username = this.username): Promise<ApiResponse> {
    this.owned.createAttempts += 1;
    const response = await this.call({ method: 'POST', path: userPath(username), token, body, label });
    this.registerCreated(response, label);
    return response;
  }

  async createRaw(token: string, rawBody: string, label: string): Promise<ApiResponse> {
    this.owned.createAttempts += 1;
    const response = await this.call({ method: 'POST', path: userPath(this.username), token, rawBody, label });
    this.registerCreated(response, label);
    return response;
  }

  update(token: string, id: string, body: unknown, username = this.username): Promise<ApiResponse> {
    this.owned.assertWritable(id);
    return this.call({ method: 'PATCH', path: `${userPath(username)}/${encodeURIComponent(id)}`, token, body });
  }

  async remove(token: string, id: string, username = this.username): Promise<ApiResponse> {
    this.owned.assertWritable(id);
    const response = await this.call({ method: 'DELETE', path: `${userPath(username)}/${encodeURIComponent(id)}`, token });
    if (response.status >= 200 && response.status < 300) this.owned.markDeleted(id);
    return response;
  }

  retrieve(token: string | undefined): Promise<ApiResponse> {
    return this.call({ method: 'GET', path: '/tokens/v2', ...(token === undefined ? {} : { token }) });
  }

  scopes(token: string, username = this.username): Promise<ApiResponse> {
    return this.call({ method: 'GET', path: `/scopes/v1/${encodeURIComponent(username)}`, token });
  }

  registerCreated(response: ApiResponse, label: string): void {
    if (response.status < 200 || response.status >= 300) return;
    const id = (response.json as { id?: unknown } | undefined)?.id;
    if (typeof id === 'string' && id.length > 0) this.owned.register(id, label);
  }
}

export function userPath(username: string): string {
  return `/tokens/v2/${encodeURIComponent(username)}`;
}
