import type { AccountRegistry } from './accounts.ts';
import type { ChangeRecorder } from './change-recorder.ts';
import type { Clock } from './clock.ts';
import type { IdGenerator } from './ids.ts';
import type { RateLimiter } from './rate-limiter.ts';
import type { ModelRules } from './rules.ts';
import type { Signer } from './signing.ts';
import type { TokenStore } from './token-store.ts';
import type { UndoLog } from './undo-log.ts';

/** Everything the operations work on; built by createModel(). */
export interface ModelParts {
  clock: Clock;
  signer: Signer;
  ids: IdGenerator;
  accounts: AccountRegistry;
  store: TokenStore;
  rateLimiter: RateLimiter;
  /** Where the store and the registry record their changes (for a journal), when anywhere. */
  changes?: ChangeRecorder;
}

/** What one operation runs with: the model's parts, its rules, and the undo log its writes go to. */
export interface ModelContext {
  readonly parts: ModelParts;
  readonly rules: ModelRules;
  /** The operation's undo log (TokensService.atomically); undefined outside one. */
  readonly undo: UndoLog | undefined;
}
