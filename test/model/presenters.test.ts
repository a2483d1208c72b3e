import { describe, expect, it } from 'vitest';
import { toFaultSet } from '../../src/model/faults.ts';
import { presentToken } from '../../src/model/presenters.ts';
import type { StoredToken } from '../../src/model/token-store.ts';

// presentTime memoises ISO strings by epoch ms: the memo must give each time its own string and
// must not leak into the `token-dates-not-iso` fault (which the contract suite relies on catching).
function record(created: number, modified: number): StoredToken {
  return {
    id: 'ckpresent',
    username: 'mockuser',
    usage: 'pk',
    isDefault: false,
    scopes: ['styles:read'],
    note: null,
    allowedUrls: null,
    created,
    modified,
    token: 'pk.x',
    createdWithoutScopes: false,
  };
}

describe('presentToken times', () => {
  it('presents each time as its own ISO string, the same on every call', () => {
    const a = record(Date.UTC(2026, 0, 2, 3, 4, 5, 6), Date.UTC(2026, 0, 2, 3, 4, 5, 7));
    for (let call = 0; call < 3; call++) {
      const shown = presentToken(a, 'public-only');
      expect(shown.created).toBe('2026-01-02T03:04:05.006Z');
      expect(shown.modified).toBe('2026-01-02T03:04:05.007Z');
    }
  });

  it('still answers non-ISO dates under the token-dates-not-iso fault after the ISO string was made', () => {
    const time = Date.UTC(2026, 5, 1, 12, 0, 0, 0);
    expect(presentToken(record(time, time), 'public-only').created).toBe('2026-06-01T12:00:00.000Z');
    const faulty = presentToken(record(time, time), 'public-only', toFaultSet(['token-dates-not-iso']));
    expect(faulty.created).toBe('Mon, 01 Jun 2026 12:00:00 GMT');
    expect(presentToken(record(time, time), 'public-only').created).toBe('2026-06-01T12:00:00.000Z');
  });

  it('keeps giving correct strings past the memo bound', () => {
    const base = Date.UTC(2030, 0, 1);
    for (let i = 0; i < 10_050; i++) {
      const shown = presentToken(record(base + i, base + i), 'public-only');
      if (i % 1000 === 0 || i > 10_000) expect(shown.created).toBe(new Date(base + i).toISOString());
    }
  });
});
