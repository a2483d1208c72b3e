// A stored token record for the model's unit tests: a scopeless pk of user 'u', created at `created`.
import type { StoredToken } from '../../src/model/token-store.ts';

export function token(id: string, created: number, extra: Partial<StoredToken> = {}): StoredToken {
  return {
    id,
    username: 'u',
    usage: 'pk',
    isDefault: false,
    scopes: [],
    note: null,
    allowedUrls: null,
    created,
    modified: created,
    token: `pk.${id}.sig`,
    createdWithoutScopes: true,
    ...extra,
  };
}
