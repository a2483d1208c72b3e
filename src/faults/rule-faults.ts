import type { AccountRegistry } from '../model/accounts.ts';
import { accountAuthorizer } from '../model/authorization.ts';
import { ApiError } from '../model/errors.ts';
import type { ListQuery } from '../model/list-query.ts';
import type { ListPosition } from '../model/cursor.ts';
import { presentToken } from '../model/presenters.ts';
import { API_RULES, tokenAuthorizer, type ModelRules, type TokenInspection } from '../model/rules.ts';
import { MAX_ALLOWED_URLS } from '../model/token-rules.ts';
import type { ListPage, StoredToken, TokenStore } from '../model/token-store.ts';
import { faultNames, type FaultName, type FaultSet } from './catalogue.ts';

/** The rules a fault replaces, given the rules it bends (the documented ones, or those of other faults). */
type RuleReplacement = (api: Readonly<ModelRules>) => Partial<ModelRules>;

const noCheck = (): void => undefined;

/**
 * A token that failed inspection with `code` still authenticates when it decodes: as its stored
 * token when that still exists for its user, else with its account's scopes.
 */
function acceptedDespite(code: TokenInspection['code']): RuleReplacement {
  return (api) => ({
    authorizeToken(inspection: TokenInspection, store: TokenStore, accounts: AccountRegistry) {
      if (inspection.code !== code || inspection.decoded === undefined) return api.authorizeToken(inspection, store, accounts);
      const { decoded } = inspection;
      const record = decoded.usage === 'tk' ? undefined : store.get(decoded.claims.a);
      const scopes = record?.username === decoded.claims.u ? record.scopes : (accounts.get(decoded.claims.u)?.scopes ?? []);
      return tokenAuthorizer(decoded, scopes);
    },
  });
}

/** The cursor position of a listed token. */
function positionOf(record: StoredToken, query: ListQuery): ListPosition {
  return { key: record[query.order], id: record.id };
}

/** The faults of a rule: each replaces the named rules of the model it is built into. */
export const RULE_FAULTS = {
  'missing-token-accepted': (api) => ({
    authorizeWithoutToken(username, accounts) {
      const account = accounts.get(username);
      return account === undefined ? api.authorizeWithoutToken(username, accounts) : accountAuthorizer(account);
    },
  }),
  'forged-signature-accepted': acceptedDespite('TokenInvalid'),
  'revoked-token-accepted': acceptedDespite('TokenRevoked'),
  'expired-token-accepted': acceptedDespite('TokenExpired'),
  'other-user-accessible': () => ({ checkPathAccount: noCheck }),
  'missing-scope-not-enforced': () => ({ checkRouteScope: noCheck }),
  'rate-limit-not-enforced': () => ({ checkRateLimit: noCheck }),

  'list-leaks-secret-tokens': () => ({ presentListedToken: (record) => presentToken(record, 'always') }),
  'list-pages-overlap': (api) => ({
    // The next page starts one token early: after the page's second-to-last token.
    listPage(store, username, query): ListPage {
      const page = api.listPage(store, username, query);
      if (page.next === undefined || page.items.length < 2) return page;
      return { items: page.items, next: positionOf(page.items[page.items.length - 2]!, query) };
    },
  }),
  'list-pages-skip': (api) => ({
    // The next page starts one token late: the token after the page is never listed.
    listPage(store, username, query): ListPage {
      const page = api.listPage(store, username, { ...query, limit: query.limit + 1 });
      if (page.items.length <= query.limit) return page;
      return { items: page.items.slice(0, query.limit), next: positionOf(page.items[query.limit]!, query) };
    },
  }),

  'create-accepts-scope-escalation': () => ({ checkCreatedScopesHeld: noCheck }),
  'create-accepts-too-many-allowed-urls': (api) => ({
    checkCreatedAllowedUrlsCount: noCheck,
    // The schema's maxItems restates the count rule: only the items' shape is checked, 100 at a time.
    readCreatedAllowedUrls(value) {
      if (!Array.isArray(value)) return api.readCreatedAllowedUrls(value);
      const urls: string[] = [];
      for (let start = 0; start === 0 || start < value.length; start += MAX_ALLOWED_URLS) {
        urls.push(...api.readCreatedAllowedUrls(value.slice(start, start + MAX_ALLOWED_URLS)));
      }
      return urls;
    },
  }),
  'create-accepts-unknown-property': (api) => ({
    // Only the properties the documented rules refuse by name (`resources`) are refused.
    checkCreateProperties(body) {
      for (const [name, value] of Object.entries(body)) {
        try {
          api.checkCreateProperties({ [name]: value });
        } catch (error) {
          if (!(error instanceof ApiError && error.id === 'unknown-property')) throw error;
        }
      }
    },
  }),

  'temporary-accepts-past-expires': () => ({ checkExpiresNotPast: noCheck }),
  'temporary-accepts-far-expires': () => ({ checkExpiresWithinOneHour: noCheck }),
  'temporary-outlives-parent': () => ({ checkExpiresWithinAuthorizer: noCheck }),
  'temporary-accepts-allowed-urls': () => ({ checkNoAllowedUrlsOnTemporary: noCheck }),

  'update-accepts-scope-escalation': () => ({ checkUpdatedScopesHeld: noCheck }),
  'update-pk-accepts-secret-scope': () => ({ checkPublicTokenScopes: noCheck }),
  'update-scopeless-gains-scopes': () => ({ checkScopelessStaysScopeless: noCheck }),
  'update-allows-urls-on-default': () => ({ checkAllowedUrlsTarget: noCheck }),
  'update-leaks-secret-token': () => ({ presentUpdatedToken: (record) => presentToken(record, 'always') }),

  'delete-allows-default-token': () => ({ checkDeletable: noCheck }),
  'delete-is-noop': () => ({ revokeToken: async () => undefined }),
} as const satisfies Partial<Record<FaultName, RuleReplacement>>;

type RuleFaultName = keyof typeof RULE_FAULTS;

function isRuleFault(name: FaultName): name is RuleFaultName {
  return Object.hasOwn(RULE_FAULTS, name);
}

/**
 * Sets `rules` to the documented rules with the named rules of every fault of `faults` replaced, in
 * catalogue order, each over the rules before it (in place: the models of one mock share one rules
 * object, so a change reaches all of them).
 */
export function applyRuleFaults(rules: ModelRules, faults: FaultSet): void {
  Object.assign(rules, API_RULES);
  for (const name of faultNames) {
    if (faults.has(name) && isRuleFault(name)) Object.assign(rules, RULE_FAULTS[name]({ ...rules }));
  }
}

/** A rules object for a mock built with `faults`. */
export function rulesWithFaults(faults: FaultSet): ModelRules {
  const rules = { ...API_RULES };
  applyRuleFaults(rules, faults);
  return rules;
}
