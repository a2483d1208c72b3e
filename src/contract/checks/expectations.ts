import { expectEqual, expectTrue, fail } from '../assertions.ts';
import type { CheckContext } from '../context.ts';
import { walkPages } from '../preconditions.ts';
import { SERVER_TIME_TOLERANCE_MS, serverClockFrom } from '../server-clock.ts';
import { decodeTokenString } from '../token-strings.ts';
import type { ApiResponse } from '../transport.ts';

export type Item = Record<string, unknown>;

/**
 * A created tk: 200, a tk string, and (when present) issued_at/expires/expires_in agreeing with
 * its iat/exp; its iat is the server's now (its `Date` header). Returns the server's clock as read
 * from the answer.
 */
export function expectTemporary(ctx: CheckContext, response: ApiResponse, what: string): () => number {
  const body = ctx.expectSuccess(response, 200, 'TemporaryToken') as Item;
  const token = String(body['token']);
  expectTrue(token.startsWith('tk.'), `${ctx.describe(response)}: ${what}: the token string does not start with tk.`);
  expectSignatureShape(token, `${ctx.describe(response)}: ${what}`);
  const claims = decodeTokenString(token)?.claims ?? {};
  const { iat, exp } = claims;
  if (typeof iat !== 'number' || typeof exp !== 'number')
    fail(`${ctx.describe(response)}: ${what}: the tk payload lacks numeric iat and exp`, { actual: claims });
  if ('issued_at' in body) expectEqual(Date.parse(String(body['issued_at'])), iat * 1000, `${what}: issued_at is the token's iat`);
  if ('expires' in body) expectEqual(Date.parse(String(body['expires'])), exp * 1000, `${what}: expires is the token's exp`);
  if ('expires_in' in body) expectEqual(body['expires_in'], exp - iat, `${what}: expires_in is exp - iat in seconds`);
  const date = Date.parse(response.headers.get('date') ?? '');
  if (Number.isFinite(date)) {
    expectTrue(
      Math.abs(iat * 1000 - date) <= SERVER_TIME_TOLERANCE_MS,
      `${ctx.describe(response)}: ${what}: iat ${iat} is not the server's now (Date ${response.headers.get('date') ?? ''})`,
      {
        expected: Math.floor(date / 1000),
        actual: iat,
      },
    );
  }
  return serverClockFrom(response)!;
}

/** The token `id` as the whole listing (limit=100 pages) shows it. */
export async function findListed(ctx: CheckContext, id: string): Promise<Item> {
  const { items } = await walkPages(ctx.api, ctx.env.masterToken, [['limit', '100']]);
  const item = items.find((candidate) => candidate['id'] === id);
  if (!item) fail(`the listing does not show token ${id} created by this run`);
  return item;
}

/** Creates a permanent token with the master token and returns its created body (status 200, schema). */
export async function createOwned(
  ctx: CheckContext,
  label: string,
  init: { scopes: string[]; allowedUrls?: string[]; note?: string | null },
): Promise<Item> {
  const body = { note: ctx.api.owned.note(label), ...init };
  const response = await ctx.api.create(ctx.env.masterToken, body, label);
  const created = ctx.expectSuccess(response, 200, 'CreatedTokenMetadata') as Item;
  expectSignatureShape(String(created['token']), `${ctx.describe(response)}: ${label}`);
  return created;
}

/**
 * A token string's signature is 22 base64url characters (decision token-format). Checked on every
 * token a check creates: a server that drops or swaps characters of its signatures (standard
 * base64's `+` or `/`) shows it on about a third of its tokens, so one token is not enough.
 */
export function expectSignatureShape(token: string, what: string): void {
  const signature = token.split('.')[2] ?? '';
  expectTrue(
    /^[A-Za-z0-9_-]{22}$/.test(signature),
    `${what}: the token signature ${JSON.stringify(signature)} is not 22 base64url characters`,
  );
}

/** An array's members as a sorted list of strings (order-free comparison); anything else as is. */
export function sortedMembers(value: unknown): unknown {
  return Array.isArray(value) ? [...value].map(String).sort() : value;
}

/** A scope the master holds that `held` lacks (a secret one when possible): the escalation probe. */
export function scopeNotIn(masterScopes: readonly string[], held: readonly string[]): string | undefined {
  return masterScopes.find((scope) => !held.includes(scope));
}

/** One JSON value of each kind that is not an object (the condition body-not-object lists them). */
export const NOT_OBJECTS: readonly unknown[] = [['styles:read'], 'styles:read', 42, true, null];
