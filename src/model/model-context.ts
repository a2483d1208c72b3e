import type { AccountRegistry } from './accounts.ts';
import type { ChangeLog } from './change-log.ts';
import type { MockClock } from './clock.ts';
import type { IdGenerator } from './ids.ts';
import type { RateLimiter } from './rate-limiter.ts';
import type { ModelRules } from './rules.ts';
import type { Signer } from './signing.ts';
import type { TokenStore } from './token-store.ts';
import type { UndoLog } from './undo-log.ts';

/** Everything the operations work on; built by createModel(). */
export interface ModelParts {
  clock: MockClock;
  signer: Signer;
  ids: IdGenerator;
  accounts: AccountRegistry;
  store: TokenStore;
  rateLimiter: RateLimiter;
  /** Where the store and the registry record their changes (for a journal), when anywhere. */
  changes?: ChangeLog;
}

/** What one operation runs with: the model's parts, its rules, and the undo log its writes go to. */
export interface ModelContext {
  readonly parts: ModelParts;
  readonly rules: ModelRules;
  /** The operation's undo log (TokensService.atomically); undefined outside one. */
  readonly undo: UndoLog | undefined;
}
