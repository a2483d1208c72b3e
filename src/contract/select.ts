import type { ContractCheck } from './check.ts';
import { ContractUsageError } from './errors.ts';

export interface SelectOptions {
  only?: readonly string[] | undefined;
  skip?: readonly string[] | undefined;
  includeRateLimit?: boolean | undefined;
  includeDefaultToken?: boolean | undefined;
}

/**
 * Which checks run: opt-in checks only when enabled (or named explicitly in `only`), then `only`
 * and `skip` by id or tag. An unknown id or tag is a usage error (a typo must not silently run nothing).
 */
export function selectChecks(checks: readonly ContractCheck[], options: SelectOptions): ContractCheck[] {
  const known = new Set(checks.flatMap((check) => [check.id, ...check.tags]));
  for (const name of [...(options.only ?? []), ...(options.skip ?? [])]) {
    if (!known.has(name)) throw new ContractUsageError(`unknown check id or tag: ${name} (see --list)`);
  }
  const matches = (check: ContractCheck, names: readonly string[]): boolean =>
    names.includes(check.id) || check.tags.some((tag) => names.includes(tag));
  const only = options.only ?? [];
  return checks.filter((check) => {
    const named = only.includes(check.id);
    if (check.optIn === 'rate-limit' && !options.includeRateLimit && !named) return false;
    if (check.optIn === 'default-token' && !options.includeDefaultToken && !named) return false;
    if (only.length > 0 && !matches(check, only)) return false;
    return !matches(check, options.skip ?? []);
  });
}
