// Issue 14: a request that answers 500 changes nothing. For every operation that writes, an
// exception is injected at each point of its run in turn (every write step of the model, and every
// presenter and response builder it calls after them), and the mock must come out byte for byte as
// it went in: snapshot, journal changes, and the next request's answer (same id, same token string).
//
// The injection points: UndoLog.prototype.push (called right after each write the model makes, so
// a throw there is a failure just after that write) and the presenters and response builders (the
// code that runs between the last write and the answer), wrapped with vi.mock. Nothing in the
// package is changed for the test.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createTokensMockCore, type AccountCredentials, type TokenMetadata, type TokensMockCore } from '../../src/index.ts';
import { UndoLog, type UndoKind } from '../../src/model/undo-log.ts';

const probe = vi.hoisted(() => {
  const state = {
    armed: false,
    calls: 0,
    throwAt: 0,
    /** Where the injected error was thrown in this run (undefined: the run got through). */
    thrownAt: undefined as string | undefined,
    /** Called just before the injected throw (to act as a concurrent reader). */
    beforeThrow: undefined as (() => void) | undefined,
  };
  const step = (where: string): void => {
    if (!state.armed) return;
    state.calls += 1;
    if (state.calls !== state.throwAt) return;
    state.armed = false;
    state.thrownAt = where;
    state.beforeThrow?.();
    throw new Error(`injected failure at ${where}`);
  };
  /** The module with the named functions calling step() first. */
  const wrap = <M extends Record<string, unknown>>(module: M, names: readonly string[]): M => {
    const wrapped: Record<string, unknown> = { ...module };
    for (const name of names) {
      const original = module[name] as (...args: unknown[]) => unknown;
      wrapped[name] = (...args: unknown[]) => {
        step(name);
        return original(...args);
      };
    }
    return wrapped as M;
  };
  return { state, step, wrap };
});

vi.mock('../../src/model/presenters.ts', async (importOriginal) =>
  probe.wrap(await importOriginal<Record<string, unknown>>(), ['presentToken', 'presentTemporaryToken', 'presentClaims']),
);
vi.mock('../../src/http/responses.ts', async (importOriginal) =>
  probe.wrap(await importOriginal<Record<string, unknown>>(), ['rateLimitHeaders', 'jsonResponse', 'noContentResponse', 'nextLinkHeader']),
);

const pushUndo = UndoLog.prototype.push;
UndoLog.prototype.push = function push(this: UndoLog, kind: UndoKind, revert: () => void): void {
  pushUndo.call(this, kind, revert);
  probe.step(`after a ${kind} step`);
};

beforeEach(() => {
  // The request core logs each unexpected error (every injected one here): keep the output readable.
  vi.spyOn(console, 'error').mockImplementation(() => undefined);
});

afterEach(() => {
  vi.restoreAllMocks();
  probe.state.armed = false;
  probe.state.beforeThrow = undefined;
});

const BASE = 'https://api.mapbox.com';
const T0 = Date.parse('2026-03-01T12:00:00.000Z');

interface Context {
  mock: TokensMockCore;
  account: AccountCredentials;
  /** Three tokens issued after the account's own, so deletes and updates hit a record mid-store. */
  tokens: Array<TokenMetadata & { token: string }>;
}

async function fresh(): Promise<Context> {
  const mock = createTokensMockCore({ seed: 14, clock: () => T0 });
  const account = await mock.defaultAccount();
  const tokens = [];
  for (let i = 0; i < 3; i++) tokens.push(await mock.issueToken('mockuser', { note: `token ${i}`, scopes: ['styles:read'] }));
  return { mock, account, tokens };
}

function api(context: Context, method: string, path: string, body?: unknown): Promise<Response> {
  const separator = path.includes('?') ? '&' : '?';
  return context.mock.fetch(
    new Request(`${BASE}${path}${separator}access_token=${context.account.secretToken}`, {
      method,
      ...(body !== undefined && { body: JSON.stringify(body) }),
    }),
  );
}

interface WritingOperation {
  /** Run before the snapshot is taken (state the operation needs). */
  prepare?(context: Context): Promise<void>;
  run(context: Context): Promise<unknown>;
  /** Injection points that must be among those reached after the operation's first store write. */
  afterWrite: string[];
}

const OPERATIONS: Record<string, WritingOperation> = {
  'POST /tokens/v2/{username} (create a permanent token)': {
    run: (context) =>
      api(context, 'POST', '/tokens/v2/mockuser', {
        note: 'created',
        scopes: ['styles:read', 'tokens:read'],
        allowedUrls: ['https://example.com'],
      }),
    afterWrite: ['presentToken', 'rateLimitHeaders', 'jsonResponse'],
  },
  'PATCH /tokens/v2/{username}/{token_id} (update)': {
    run: (context) =>
      api(context, 'PATCH', `/tokens/v2/mockuser/${context.tokens[1]!.id}`, {
        note: 'renamed',
        scopes: ['styles:read', 'fonts:read'],
        allowedUrls: ['https://example.org'],
      }),
    afterWrite: ['presentToken', 'rateLimitHeaders', 'jsonResponse'],
  },
  'DELETE /tokens/v2/{username}/{token_id}': {
    run: (context) => api(context, 'DELETE', `/tokens/v2/mockuser/${context.tokens[1]!.id}`),
    afterWrite: ['rateLimitHeaders', 'noContentResponse'],
  },
  'createAccount()': {
    run: (context) => context.mock.createAccount({ username: 'newcomer', scopes: ['styles:read', 'tokens:read', 'tokens:write'] }),
    afterWrite: ['after a write step'],
  },
  'issueToken()': {
    run: (context) => context.mock.issueToken('mockuser', { note: 'issued', scopes: ['styles:read'] }),
    afterWrite: ['presentToken'],
  },
  'defaultAccount() issuing a new master token': {
    async prepare(context) {
      expect((await api(context, 'DELETE', `/tokens/v2/mockuser/${context.account.secretTokenId}`)).status).toBe(204);
    },
    run: (context) => context.mock.defaultAccount(),
    // The new token's insert, then the account's new master token id.
    afterWrite: ['after a write step'],
  },
};

/** What an outcome shows a client: a response's status and body, a helper's value or error. */
async function observe(outcome: Promise<unknown>): Promise<unknown> {
  try {
    const value = await outcome;
    if (value instanceof Response) return { status: value.status, type: value.headers.get('content-type'), body: await value.text() };
    return { value };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

const stateOf = (mock: TokensMockCore): string => JSON.stringify(mock.snapshot());

describe('a failure anywhere in a writing operation changes nothing', () => {
  for (const [name, operation] of Object.entries(OPERATIONS)) {
    it(name, async () => {
      // The outcome and state of the operation on a mock where it never failed.
      const reference = await fresh();
      await operation.prepare?.(reference);
      reference.mock.takeStateChanges();
      const expected = await observe(operation.run(reference));
      const expectedChanges = reference.mock.takeStateChanges();
      const expectedState = stateOf(reference.mock);

      const reached: string[] = [];
      for (let throwAt = 1; ; throwAt++) {
        expect(throwAt, 'injection points are bounded').toBeLessThan(40);
        const context = await fresh();
        await operation.prepare?.(context);
        // Recording on, as under `tokens-mock --state`: the journal must not see the failed write.
        context.mock.takeStateChanges();
        const before = stateOf(context.mock);
        Object.assign(probe.state, { armed: true, calls: 0, throwAt, thrownAt: undefined });
        const outcome = await observe(operation.run(context));
        probe.state.armed = false;
        const where = probe.state.thrownAt;
        if (where === undefined) {
          // Past the last injection point: the run went through, as on the reference mock.
          expect(outcome).toEqual(expected);
          break;
        }
        reached.push(where);
        const message = `injected at point ${throwAt} (${where})`;
        if (name.startsWith('POST') || name.startsWith('PATCH') || name.startsWith('DELETE')) {
          expect(outcome, message).toEqual({
            status: 500,
            type: 'application/json; charset=utf-8',
            body: JSON.stringify({ message: 'Internal Server Error' }),
          });
        } else {
          expect(outcome, message).toEqual({ error: expect.stringContaining('injected failure') });
        }
        expect(stateOf(context.mock), message).toBe(before);
        expect(context.mock.takeStateChanges(), message).toMatchObject({ replaced: false, changes: [] });
        // The next request works, and gives what it gives on a mock where nothing failed.
        expect(await observe(operation.run(context)), message).toEqual(expected);
        expect(context.mock.takeStateChanges(), message).toEqual(expectedChanges);
        expect(stateOf(context.mock), message).toBe(expectedState);
      }
      expect(reached).toEqual(expect.arrayContaining(operation.afterWrite));
    });
  }
});

describe('the journal never keeps a reverted change', () => {
  it('asks for the whole state when a reader took the changes before the failure', async () => {
    const context = await fresh();
    expect(context.mock.takeStateChanges()).toEqual({ replaced: true });
    const before = stateOf(context.mock);
    // Where presentToken runs (after the store write): counted on a dry run.
    const dry = await fresh();
    Object.assign(probe.state, { armed: true, calls: 0, throwAt: 0 });
    await api(dry, 'POST', '/tokens/v2/mockuser', { note: 'dry run' });
    const presentAt = probe.state.calls - 2; // presentToken, then rateLimitHeaders and jsonResponse
    let taken: unknown;
    // A concurrent request's commit takes the changes between the write and the failure.
    Object.assign(probe.state, {
      armed: true,
      calls: 0,
      throwAt: presentAt,
      thrownAt: undefined,
      beforeThrow: () => (taken = context.mock.takeStateChanges()),
    });
    const response = await api(context, 'POST', '/tokens/v2/mockuser', { note: 'reverted' });
    expect(probe.state.thrownAt).toBe('presentToken');
    expect(response.status).toBe(500);
    expect(JSON.stringify(taken)).toContain('reverted');
    expect(stateOf(context.mock)).toBe(before);
    // The reader wrote the reverted token: it must now write the whole state, which has no trace of it.
    expect(context.mock.takeStateChanges()).toEqual({ replaced: true });
    expect(JSON.stringify(context.mock.snapshot())).not.toContain('reverted');
    expect(context.mock.takeStateChanges()).toMatchObject({ replaced: false, changes: [] });
  });

  it('keeps the rate-limit count of a refused request and reverts the one of a failed request', async () => {
    const context = await fresh();
    const windows = () => context.mock.snapshot().rateLimits;
    expect((await api(context, 'GET', '/tokens/v2/mockuser')).status).toBe(200);
    const counted = windows()[0]!.count;
    // Refused (404): counted, as refused requests are.
    expect((await api(context, 'DELETE', '/tokens/v2/mockuser/cnotatoken0000000000000000')).status).toBe(404);
    expect(windows()[0]!.count).toBe(counted + 1);
    Object.assign(probe.state, { armed: true, calls: 0, throwAt: 2, thrownAt: undefined });
    expect((await api(context, 'DELETE', `/tokens/v2/mockuser/${context.tokens[0]!.id}`)).status).toBe(500);
    expect(windows()[0]!.count).toBe(counted + 1);
  });
});
