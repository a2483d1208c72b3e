import { OPERATION_RULES } from '../../generated/api-tables.ts';
import { authorized, type OperationResult } from '../authorization.ts';
import { encodeCursor } from '../cursor.ts';
import { parseListQuery } from '../list-query.ts';
import type { ModelContext } from '../model-context.ts';
import type { TokenMetadata } from '../presenters.ts';

export interface ListTokensResult {
  tokens: TokenMetadata[];
  /** Query of the next page (list parameters + `start`) when more tokens follow. */
  nextQuery?: Record<string, string>;
}

/** GET /tokens/v2/{username}: one page of the account's tokens, secret token strings hidden. */
export function listTokens(
  context: ModelContext,
  input: { accessToken?: string | undefined; username: string; query: Readonly<Record<string, string>> },
): Promise<OperationResult<ListTokensResult>> {
  return authorized(context, input, OPERATION_RULES.listTokens.requiredScope, () => {
    const query = parseListQuery(input.query);
    const { items, next } = context.rules.listPage(context.parts.store, input.username, query);
    const tokens = items.map((record) => context.rules.presentListedToken(record));
    return next === undefined ? { tokens } : { tokens, nextQuery: { ...query.echo, start: encodeCursor(next) } };
  });
}
