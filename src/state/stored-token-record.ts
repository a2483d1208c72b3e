import type { StoredToken } from '../model/token-store.ts';

const isStringList = (value: unknown): boolean => Array.isArray(value) && value.every((item) => typeof item === 'string');

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
    isStringList(record.scopes) &&
    (record.note === null || typeof record.note === 'string') &&
    (record.allowedUrls === null || isStringList(record.allowedUrls)) &&
    Number.isFinite(record.created) &&
    Number.isFinite(record.modified) &&
    typeof record.token === 'string' &&
    typeof record.createdWithoutScopes === 'boolean'
  );
}
