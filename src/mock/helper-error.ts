// The one error the mock's helpers (createAccount, issueToken, issueTemporaryToken, ...) throw when
// they are misused, whatever rule refused the call: the API's own (ApiError) or the helper's.
import { ApiError, type ApiErrorId } from '../model/errors.ts';

/** The helpers of a mock, as they are named in messages. */
export type TokensMockHelper = 'createAccount' | 'issueToken' | 'issueTemporaryToken';

/**
 * Thrown by a helper that refuses its arguments. `status` is what the API answers for the same
 * mistake (422 for an invalid value, 404 for an unknown account, 409 for an account that exists);
 * `code` names the API's error row when the API has one (`scopes-escalation`, `expires-too-far`, ...).
 * The message names the helper and the argument: `issueToken(init.scopes): scopes are invalid`.
 */
export class TokensMockError extends Error {
  override readonly name = 'TokensMockError';
  readonly status: number;
  readonly helper: TokensMockHelper;
  /** `username`, or a property of the second argument: `init.scopes`, `init.expires`, ... */
  readonly argument: string;
  readonly code: ApiErrorId | undefined;

  constructor(init: { helper: TokensMockHelper; argument: string; status: number; message: string; code?: ApiErrorId; cause?: unknown }) {
    super(`${init.helper}(${init.argument}): ${init.message}`, init.cause === undefined ? undefined : { cause: init.cause });
    this.helper = init.helper;
    this.argument = init.argument;
    this.status = init.status;
    this.code = init.code;
  }
}

/** The body property an API error row is about (`scopes-escalation` -> `init.scopes`). */
function argumentOfApiError(id: ApiErrorId): string {
  for (const [fragment, property] of [
    ['scope', 'scopes'],
    ['expires', 'expires'],
    ['allowed-urls', 'allowedUrls'],
    ['note', 'note'],
    ['resources', 'resources'],
  ] as const) {
    if (id.includes(fragment)) return `init.${property}`;
  }
  return 'init';
}

/**
 * Runs a helper's work and turns whatever refuses it into a TokensMockError: an ApiError keeps its
 * status and row; any other error is the helper's own check and `fallback` says what it is about.
 */
export async function asHelperError<T>(
  helper: TokensMockHelper,
  work: () => Promise<T>,
  fallback: (error: Error) => { argument: string; status: number },
): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof TokensMockError) throw error;
    if (error instanceof ApiError) {
      throw new TokensMockError({
        helper,
        argument: argumentOfApiError(error.id),
        status: error.status,
        message: error.message,
        code: error.id,
        cause: error,
      });
    }
    if (error instanceof Error) throw new TokensMockError({ helper, ...fallback(error), message: error.message, cause: error });
    throw error;
  }
}
