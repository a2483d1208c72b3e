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

export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 100;
const ECHOED_PARAMETERS = ['usage', 'default', 'sortby', 'limit'] as const;

/** Validates in a fixed order: usage, default, sortby, limit, start (decisions.md messages). */
export function parseListQuery(query: Readonly<Record<string, string>>): ListQuery {
  const { usage, sortby, limit, start } = query;
  const isDefault = query.default;
  if (usage !== undefined && usage !== 'pk' && usage !== 'sk') throw apiError('bad-usage');
  if (isDefault !== undefined && isDefault !== 'true' && isDefault !== 'false') throw apiError('bad-default');
  if (sortby !== undefined && sortby !== 'created' && sortby !== 'modified') throw apiError('bad-sortby');
  if (limit !== undefined && !/^[0-9]{1,12}$/.test(limit)) throw apiError('bad-limit');
  const pageSize = limit === undefined ? DEFAULT_PAGE_SIZE : Number(limit);
  if (pageSize < 1) throw apiError('bad-limit');
  let after: ListPosition | undefined;
  if (start !== undefined) {
    after = decodeCursor(start);
    if (after === undefined) throw apiError('invalid-start');
  }
  const echo: Record<string, string> = {};
  for (const name of ECHOED_PARAMETERS) if (query[name] !== undefined) echo[name] = query[name]!;
  return {
    filter: {
      ...(usage !== undefined && { usage }),
      ...(isDefault !== undefined && { isDefault: isDefault === 'true' }),
    },
    order: sortby ?? 'created',
    // Values above the maximum are served as the maximum (mock choice; the docs give no bounds).
    limit: Math.min(pageSize, MAX_PAGE_SIZE),
    after,
    echo,
  };
}
