import type { RateLimitInfo } from './errors.ts';
import type { UndoLog } from './undo-log.ts';

/** Rate limit per account: a fixed window that opens at the account's first counted request. */
export interface RateLimitConfig {
  limit: number;
  intervalSeconds: number;
}

export const DEFAULT_RATE_LIMIT: RateLimitConfig = { limit: 100, intervalSeconds: 60 };

export interface RateWindow {
  username: string;
  windowStartMs: number;
  count: number;
}

export interface RateDecision {
  allowed: boolean;
  info: RateLimitInfo;
}

export interface RateLimiter {
  /**
   * Counts one request for the account and says whether it is within the limit. With `undo`, a
   * request that fails (500) takes its count back; a refused one keeps it (undo kind `count`).
   */
  consume(username: string, nowMs: number, undo?: UndoLog): RateDecision;
  windows(): RateWindow[];
  load(windows: readonly RateWindow[]): void;
  clear(): void;
}

export function createRateLimiter(config: RateLimitConfig | false): RateLimiter {
  const windows = new Map<string, RateWindow>();
  return {
    consume(username, nowMs, undo) {
      // Stryker disable next-line BooleanLiteral: [equivalent] a config object is neither false nor true
      if (config === false) {
        return {
          allowed: true,
          info: { ...DEFAULT_RATE_LIMIT, resetEpochSeconds: Math.floor(nowMs / 1000) + DEFAULT_RATE_LIMIT.intervalSeconds },
        };
      }
      const intervalMs = config.intervalSeconds * 1000;
      const previous = windows.get(username);
      let window = previous;
      if (window === undefined || nowMs >= window.windowStartMs + intervalMs || nowMs < window.windowStartMs) {
        window = { username, windowStartMs: nowMs, count: 0 };
        windows.set(username, window);
      }
      window.count += 1;
      const counted = window;
      undo?.push('count', () => {
        if (windows.get(username) !== counted) return;
        if (counted !== previous && counted.count === 1) {
          // The window this request opened goes, and the one it replaced (if any) comes back.
          if (previous === undefined) windows.delete(username);
          else windows.set(username, previous);
        } else {
          counted.count -= 1;
        }
      });
      return {
        allowed: window.count <= config.limit,
        info: {
          limit: config.limit,
          intervalSeconds: config.intervalSeconds,
          resetEpochSeconds: Math.ceil((window.windowStartMs + intervalMs) / 1000),
        },
      };
    },
    windows: () => [...windows.values()].map((window) => ({ ...window })),
    load(saved) {
      windows.clear();
      for (const window of saved) windows.set(window.username, { ...window });
    },
    clear: () => windows.clear(),
  };
}
