import { expectEqual, expectJsonBody, expectSchema, expectStatus, fail } from './assertions.ts';
import type { DocumentedCondition } from './document.ts';
import { CheckSkipped } from './errors.ts';
import type { SchemaName, SchemaValidator } from './schemas.ts';
import type { TokensApi } from './tokens-api.ts';
import type { ApiResponse } from './transport.ts';
import type { DefaultTokenWrite, RecordedExchange } from './types.ts';
import type { AccountFacts, PreconditionName, Preconditions } from './preconditions.ts';

/** What every check can see of the run. */
export interface RunEnvironment {
  username: string;
  /** The master (authorizing) token given by the user. */
  masterToken: string;
  otherUsername: string | undefined;
  /** A token of `otherUsername` (`--other-token`), when given. */
  otherToken: string | undefined;
  strictMessages: boolean;
  expirySeconds: number;
  /** The account's scopes as the caller stated them (`accountScopes`), when given. */
  accountScopes: readonly string[] | undefined;
  /** Estimated server clock (epoch ms): local clock plus the skew read from a `Date` header. */
  serverNow(): number;
  conditions: readonly DocumentedCondition[];
  validator: SchemaValidator;
  /** The account as read by the preflight before any write (undefined when the token cannot read it). */
  account?: AccountFacts | undefined;
  /** Why the preflight could not read the account although the token may (a server failure). */
  accountProblem?: string;
}

export type PreconditionLoader = <K extends PreconditionName>(name: K, exchanges: RecordedExchange[]) => Promise<Preconditions[K]>;

/** A check's view: its own recording client, the shared preconditions, and document-driven expectations. */
export class CheckContext {
  readonly api: TokensApi;
  readonly env: RunEnvironment;
  readonly operationId: string | undefined;
  readonly #loadPrecondition: PreconditionLoader;
  readonly #checkId: string;
  readonly #onDefaultTokenWrite: ((write: DefaultTokenWrite) => void) | undefined;

  constructor(init: {
    api: TokensApi;
    env: RunEnvironment;
    operationId: string | undefined;
    loadPrecondition: PreconditionLoader;
    checkId?: string;
    onDefaultTokenWrite?: (write: DefaultTokenWrite) => void;
  }) {
    this.api = init.api;
    this.env = init.env;
    this.operationId = init.operationId;
    this.#loadPrecondition = init.loadPrecondition;
    this.#checkId = init.checkId ?? '';
    this.#onDefaultTokenWrite = init.onDefaultTokenWrite;
  }

  /** The run's abort signal (deadline, interruption): pass it to long waits. */
  get signal(): AbortSignal | undefined {
    return this.api.signal;
  }

  /**
   * Sends one (refusable) write to the account's default token, guarded: its note, scopes and
   * allowed URLs are read first; when the server changed it anyway, they are written back and
   * read again. A change that cannot be undone (a delete) or a failed restore is reported loudly
   * (report `defaultToken`, exit code 3 in the CLI). Skips when the account lists no default token.
   */
  async writeToDefaultToken(write: (id: string) => Promise<ApiResponse>): Promise<ApiResponse> {
    const { defaultTokenId, defaultToken } = await this.use('account');
    if (!defaultTokenId) return this.skip('the account lists no default token');
    const read = async (): Promise<Record<string, unknown> | undefined> => {
      const listed = await this.api.list(this.env.masterToken, [['default', 'true']]);
      const items = Array.isArray(listed.json) ? (listed.json as Record<string, unknown>[]) : [];
      return items.find((item) => item['id'] === defaultTokenId);
    };
    // The state listed before the run wrote anything (one request fewer per check).
    const before = defaultToken ?? (await read());
    if (!before) fail(`the default token ${defaultTokenId} is not listed with default=true; not writing to it`);
    const state = (item: Record<string, unknown> | undefined): string =>
      JSON.stringify(
        item
          ? { note: item['note'], scopes: [...((item['scopes'] as string[]) ?? [])].sort(), allowedUrls: item['allowedUrls'] ?? null }
          : null,
      );
    this.api.owned.allowDefaultTokenWrites(defaultTokenId);
    const response = await write(defaultTokenId);
    const after = await read();
    const entry: DefaultTokenWrite = { check: this.#checkId, id: defaultTokenId, changed: false, restored: true, message: 'unchanged' };
    if (state(after) !== state(before)) {
      entry.changed = true;
      entry.restored = false;
      if (!after)
        entry.message = `the server removed the default token ${defaultTokenId} (note ${JSON.stringify(before['note'])}); it cannot be restored`;
      else {
        const restore = { note: before['note'], scopes: before['scopes'], allowedUrls: before['allowedUrls'] ?? null };
        await this.api.update(this.env.masterToken, defaultTokenId, restore).catch(() => undefined);
        const restored = await read();
        entry.restored = state(restored) === state(before);
        entry.message = entry.restored
          ? 'the server changed the default token; it was restored and verified'
          : `the server changed the default token ${defaultTokenId} and the restore did not hold: it should be ${state(before)}, it is ${state(restored)}`;
      }
    }
    this.#onDefaultTokenWrite?.(entry);
    return response;
  }

  /** A shared precondition (created once per run); its exchanges are attached to this check's record. */
  use<K extends PreconditionName>(name: K): Promise<Preconditions[K]> {
    return this.#loadPrecondition(name, this.api.exchanges);
  }

  skip(reason: string): never {
    throw new CheckSkipped(reason);
  }

  describe = (response: ApiResponse): string => `${response.method} ${redactUrl(response.url)}`;

  /** The documented row of a condition id, preferring the one of this check's operation. */
  condition(id: string, operationId = this.operationId): DocumentedCondition {
    const rows = this.env.conditions.filter((row) => row.id === id);
    const row = rows.find((candidate) => candidate.operationId === operationId) ?? rows[0];
    if (!row) throw new Error(`the contract document has no condition ${id}`);
    return row;
  }

  /**
   * The response must be the documented error of `conditionId`: its status, a JSON
   * `{"message"}` body (Error schema) and the documented message. Rows whose message is a mock
   * choice only need a non-empty message unless the run is strict.
   */
  expectCondition(response: ApiResponse, conditionId: string, operationId = this.operationId): void {
    const row = this.condition(conditionId, operationId);
    const where = this.describe(response);
    expectStatus(response, row.status, this.describe);
    const body = expectJsonBody(response, this.describe);
    expectSchema(this.env.validator, 'Error', body, `${where} (${conditionId})`);
    const message = (body as { message: string }).message;
    if (row.message !== undefined && (row.messageDocumented || this.env.strictMessages) && message !== row.message) {
      fail(`${where} (${conditionId}): expected message ${JSON.stringify(row.message)}, got ${JSON.stringify(message)}`, {
        expected: row.message,
        actual: message,
      });
    }
  }

  /** The retrieve answer must be 200 with the documented `code` of `conditionId`. */
  expectRetrieveCode(response: ApiResponse, conditionId: string): RetrieveBody {
    const row = this.condition(conditionId, 'retrieveToken');
    const body = this.expectSuccess(response, 200, 'RetrieveTokenResponse') as RetrieveBody;
    expectEqual(body.code, row.code, `${this.describe(response)} (${conditionId}): code`);
    return body;
  }

  /** Status, JSON content type and (when named) the schema of a success body. */
  expectSuccess(response: ApiResponse, status: number, schema?: SchemaName): unknown {
    expectStatus(response, status, this.describe);
    const body = expectJsonBody(response, this.describe);
    if (schema) expectSchema(this.env.validator, schema, body, this.describe(response));
    return body;
  }
}

export interface RetrieveBody {
  code: string;
  token?: Record<string, unknown>;
}

/** access_token values never appear in messages (records are redacted by the transport). */
function redactUrl(url: string): string {
  return url.replace(/([?&]access_token=)([^&#]*)/g, (_m, prefix: string, value: string) => {
    const usage = /^(pk|sk|tk)\./.exec(decodeURIComponent(value));
    return `${prefix}${usage ? `${usage[1]}.…` : value.length > 0 ? '…' : ''}`;
  });
}
