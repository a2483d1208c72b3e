import { QUERY_PARAMETERS, QUERY_VALIDATORS } from '../generated/api-tables.ts';
import { decodeCursor, type ListPosition } from './cursor.ts';
import { apiError } from './errors.ts';
import type { ListFilter, ListOrder } from './token-store.ts';

/** Parsed query of GET /tokens/v2/{username}; input is the first value of each query parameter. */
export interface ListQuery {
  filter: ListFilter;
  order: ListOrder;
  limit: number;
  after: ListPosition | undefined;
  /** The request's own list parameters, echoed into the next page's Link (never access_token). */
  echo: Record<string, string>;
}

// The parameters' enums, bounds and defaults are the document's (generated with their validators).
const PARAMETERS = QUERY_PARAMETERS.listTokens;
const isValid = QUERY_VALIDATORS.listTokens;

const DEFAULT_PAGE_SIZE = PARAMETERS.limit.default;
const MAX_PAGE_SIZE = PARAMETERS.limit.servedMaximum;
const ECHOED_PARAMETERS = ['usage', 'default', 'sortby', 'limit'] as const;

/** Validates in a fixed order: usage, default, sortby, limit, start (decisions.md messages). */
export function parseListQuery(query: Readonly<Record<string, string>>): ListQuery {
  const { usage, sortby, limit, start } = query;
  const isDefault = query.default;
  if (usage !== undefined && !isValid.usage(usage)) throw apiError('bad-usage');
  if (isDefault !== undefined && !isValid.default(isDefault)) throw apiError('bad-default');
  if (sortby !== undefined && !isValid.sortby(sortby)) throw apiError('bad-sortby');
  const pageSize = limit === undefined ? DEFAULT_PAGE_SIZE : isValid.limit(limit);
  if (pageSize === undefined) throw apiError('bad-limit');
  let after: ListPosition | undefined;
  if (start !== undefined) {
    after = decodeCursor(start);
    // Stryker disable next-line StringLiteral: [equivalent] an unknown error id answers the same 500 an undecodable start is documented to get
    if (after === undefined) throw apiError('invalid-start');
  }
  const echo: Record<string, string> = {};
  for (const name of ECHOED_PARAMETERS) if (query[name] !== undefined) echo[name] = query[name]!;
  return {
    filter: {
      ...(usage !== undefined && { usage }),
      ...(isDefault !== undefined && { isDefault: isDefault === 'true' }),
    },
    order: sortby ?? PARAMETERS.sortby.default,
    // Values above the maximum are served as the maximum (mock choice; the docs give no bounds).
    limit: Math.min(pageSize, MAX_PAGE_SIZE),
    after,
    echo,
  };
}
