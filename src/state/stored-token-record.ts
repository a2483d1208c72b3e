import { isStringArray } from '../model/token-codec.ts';
import type { StoredToken } from '../model/token-store.ts';

/**
 * Whether a token entry of a state handed to restore() has every field of a stored token, of its
 * type. The store takes its records as they come: this is where a restored record is checked.
 */
export function isStoredTokenRecord(value: unknown): value is StoredToken {
  const record = value as Partial<StoredToken> | null;
  return (
    typeof record === 'object' &&
    record !== null &&
    typeof record.id === 'string' &&
    typeof record.username === 'string' &&
    (record.usage === 'pk' || record.usage === 'sk') &&
    typeof record.isDefault === 'boolean' &&
    isStringArray(record.scopes) &&
    (record.note === null || typeof record.note === 'string') &&
    (record.allowedUrls === null || isStringArray(record.allowedUrls)) &&
    Number.isFinite(record.created) &&
    Number.isFinite(record.modified) &&
    typeof record.token === 'string' &&
    typeof record.createdWithoutScopes === 'boolean'
  );
}
