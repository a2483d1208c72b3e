import type { OperationResult } from './authorization.ts';
import { ApiError } from './errors.ts';
import type { ModelContext, ModelParts } from './model-context.ts';
import { createToken } from './operations/create-token.ts';
import { deleteToken } from './operations/delete-token.ts';
import { listScopes } from './operations/list-scopes.ts';
import { listTokens, type ListTokensResult } from './operations/list-tokens.ts';
import { retrieveToken } from './operations/retrieve-token.ts';
import { updateToken } from './operations/update-token.ts';
import type { RetrieveTokenResponse, ScopeResponse, TemporaryTokenResponse, TokenMetadata } from './presenters.ts';
import type { ParsedBody } from './request-validation.ts';
import { API_RULES, type ModelRules } from './rules.ts';
import { UndoLog } from './undo-log.ts';

export type { OperationResult };

/**
 * The Tokens API operations on already-parsed input, over one model's parts and rules. Each
 * operation (operations/) runs the documented check order (x-decisions `check-order` in
 * openapi/tokens.yaml) and returns a domain result or throws ApiError; nothing here knows about HTTP.
 */
export class TokensService implements ModelContext {
  readonly parts: ModelParts;
  readonly rules: ModelRules;
  /** The undo log every write of this service goes to (a service bound by atomically()). */
  readonly undo: UndoLog | undefined;

  constructor(parts: ModelParts, rules: ModelRules = API_RULES, undo?: UndoLog) {
    this.parts = parts;
    this.rules = rules;
    this.undo = undo;
  }

  /**
   * Runs `operation` all or nothing (issue 14): it gets this service bound to a fresh undo log, and
   * when it throws, every write it made (records, accounts, id draws, its rate-limit count) is
   * reverted before the error goes on, so the model is as it was before the call. An ApiError (a
   * refusal) keeps the request's rate-limit count, as refused requests count. The request core and
   * the mock's helpers call every operation through here; operations need no cleanup of their own.
   */
  async atomically<T>(operation: (service: TokensService) => Promise<T> | T): Promise<T> {
    const undo = new UndoLog(this.parts.changes);
    try {
      return await operation(new TokensService(this.parts, this.rules, undo));
    } catch (error) {
      undo.rollback(error instanceof ApiError ? 'refused' : 'failed');
      throw error;
    }
  }

  // ---- the API's operations ----

  listTokens(input: {
    accessToken?: string;
    username: string;
    query: Readonly<Record<string, string>>;
  }): Promise<OperationResult<ListTokensResult>> {
    return listTokens(this, input);
  }

  createToken(input: {
    accessToken?: string;
    username: string;
    body: ParsedBody;
  }): Promise<OperationResult<TokenMetadata | TemporaryTokenResponse>> {
    return createToken(this, input);
  }

  updateToken(input: {
    accessToken?: string;
    username: string;
    tokenId: string;
    body: ParsedBody;
  }): Promise<OperationResult<TokenMetadata>> {
    return updateToken(this, input);
  }

  deleteToken(input: { accessToken?: string; username: string; tokenId: string }): Promise<OperationResult<null>> {
    return deleteToken(this, input);
  }

  retrieveToken(input: { accessToken?: string }): Promise<OperationResult<RetrieveTokenResponse>> {
    return retrieveToken(this, input);
  }

  listScopes(input: { accessToken?: string; username: string }): Promise<OperationResult<ScopeResponse[]>> {
    return listScopes(this, input);
  }
}
