import {
  expectEqual,
  expectJsonBody,
  expectSchema,
  expectStatus,
  fail,
} from './assertions.ts';
import type { DocumentedCondition } from './document.ts';
import { CheckSkipped } from './errors.ts';
import type { SchemaName, SchemaValidator } from './schemas.ts';
import type { TokensApi } from './tokens-api.ts';
import type { ApiResponse } from './transport.ts';
import type { RecordedExchange } from './types.ts';
import type { FixtureName, Fixtures } from './fixtures.ts';

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
  /** Estimated server clock (epoch ms): local clock plus the skew read from a `Date` header. */
  serverNow(): number;
  conditions: readonly DocumentedCondition[];
  validator: SchemaValidator;
}

export type FixtureLoader = <K extends FixtureName>(name: K, exchanges: RecordedExchange[]) => Promise<Fixtures[K]>;

/** A check's view: its own recording client, the fixtures, and document-driven expectations. */
export class CheckContext {
  readonly api: TokensApi;
  readonly env: RunEnvironment;
  readonly operationId: string | undefined;
  readonly #loadFixture: FixtureLoader;

  constructor(init: { api: TokensApi; env: RunEnvironment; operationId: string | undefined; loadFixture: FixtureLoader }) {
    this.api = init.api;
    this.env = init.env;
    this.operationId = init.operationId;
    this.#loadFixture = init.loadFixture;
  }

  /** A shared fixture (created once per run); its exchanges are attached to this check's record. */
  use<K extends FixtureName>(name: K): Promise<Fixtures[K]> {
    return this.#loadFixture(name, this.api.exchanges);
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
