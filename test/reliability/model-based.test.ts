// Model-based property test: random sequences of operations (create pk/sk/tk, update, delete, list,
// retrieve, advanceTime) run against the mock through mock.fetch, and a small reference model of the
// rules predicts every status. Invariants checked at each step: the status the rules predict; no
// token holds a scope its creator lacked; a pk never holds a secret scope; sk strings are never
// listed; revoked and expired tokens are never valid (retrieve) and never authorize; every response
// validates against the document; nothing answers 5xx.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createTokensMock, type FaultName, type TokensMock } from '../../src/index.ts';
import { ALL_SCOPES, PUBLIC_SCOPES, SECRET_SCOPES, call, documentProblems, type CallResult } from './support.ts';

const T0 = Date.parse('2026-03-01T12:00:00.000Z');
const USER = 'mockuser';
/** Fixed by default so a failure reproduces; FC_SEED overrides. fast-check prints seed and path on failure. */
const SEED = Number(process.env.FC_SEED ?? 20261123);
const NUM_RUNS = 100;
/** Runs allowed to find a counterexample against a faulty mock (it stops at the first). */
const FAULT_RUNS = 500;
/** Always this seed (not FC_SEED): whether a counterexample is found within FAULT_RUNS must not vary. */
const FAULT_SEED = 20261123;

/** The reference model's view of one token string the test holds. */
interface RefToken {
  token: string;
  usage: 'pk' | 'sk' | 'tk';
  /** Absent for tk (temporary tokens have no id). */
  id?: string;
  scopes: string[];
  deleted: boolean;
  isDefault: boolean;
  createdWithoutScopes: boolean;
  /** tk only: epoch seconds. */
  exp?: number;
  /** Scopes of the token that created it (undefined for the account's initial tokens). */
  creatorScopes?: string[];
}

type Operation =
  | { kind: 'create'; actor: number; scopes: string[]; temporary: boolean; minutes: number }
  | { kind: 'update'; actor: number; target: number; scopes: string[] | undefined; note: string }
  | { kind: 'delete'; actor: number; target: number }
  | { kind: 'list'; actor: number }
  | { kind: 'retrieve'; target: number }
  | { kind: 'advance'; minutes: number };

const index = fc.nat({ max: 1000 });
const scopeSubset = fc.oneof(
  { weight: 3, arbitrary: fc.subarray([...PUBLIC_SCOPES, 'tokens:read', 'tokens:write']) },
  { weight: 1, arbitrary: fc.subarray([...ALL_SCOPES], { maxLength: 6 }) },
  { weight: 2, arbitrary: fc.constant([] as string[]) },
);
const operation: fc.Arbitrary<Operation> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('create' as const),
      actor: index,
      scopes: scopeSubset,
      temporary: fc.boolean(),
      minutes: fc.integer({ min: 1, max: 70 }),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('update' as const),
      actor: index,
      target: index,
      scopes: fc.option(scopeSubset, { nil: undefined }),
      note: fc.string({ maxLength: 20 }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('delete' as const), actor: index, target: index }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('list' as const), actor: index }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('retrieve' as const), target: index }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('advance' as const), minutes: fc.integer({ min: 1, max: 90 }) }) },
);

class Runner {
  readonly mock: TokensMock;
  readonly tokens: RefToken[] = [];
  readonly log: string[] = [];

  constructor(mock: TokensMock) {
    this.mock = mock;
  }

  /**
   * Even indexes count from the newest token (fast-check favours small values, so chains of
   * creators form often), odd ones from the oldest (old tokens expire or get deleted meanwhile).
   */
  pick(at: number): RefToken {
    const offset = (at >> 1) % this.tokens.length;
    return this.tokens[at % 2 === 0 ? this.tokens.length - 1 - offset : offset]!;
  }

  nowSeconds(): number {
    return Math.floor(this.mock.now() / 1000);
  }

  /** Whether the rules let this token authenticate now. */
  isValid(token: RefToken): boolean {
    if (token.deleted) return false;
    return token.usage !== 'tk' || this.mock.now() < token.exp! * 1000;
  }

  /** Status of steps 2-7 for `actor` on a route needing `scope`, or undefined when they pass. */
  authStatus(actor: RefToken, scope: string): number | undefined {
    if (!this.isValid(actor)) return 401;
    if (!actor.scopes.includes(scope)) return 404;
    return undefined;
  }

  async request(method: string, path: string, options: Parameters<typeof call>[4]): Promise<CallResult> {
    const result = await call((request) => this.mock.fetch(request), this.mock.baseUrl, method, path, options);
    const pathname = path.split('?')[0]!;
    expect(result.status, `${method} ${path}: ${result.text}`).toBeLessThan(500);
    expect(documentProblems(method, pathname, result.status, result.text), `${method} ${path} ${result.status}: ${result.text}`).toEqual(
      [],
    );
    return result;
  }

  async run(op: Operation): Promise<void> {
    this.log.push(JSON.stringify(op));
    switch (op.kind) {
      case 'create':
        return this.create(op);
      case 'update':
        return this.update(op);
      case 'delete':
        return this.delete(op);
      case 'list':
        return this.list(op.actor);
      case 'retrieve':
        return this.retrieve(op.target);
      case 'advance':
        this.mock.advanceTime(op.minutes * 60_000);
        return undefined;
    }
  }

  async create(op: Extract<Operation, { kind: 'create' }>): Promise<void> {
    const actor = this.pick(op.actor);
    const scopes = [...new Set(op.scopes)];
    const grantable = scopes.every((scope) => actor.scopes.includes(scope));
    const expiresMs = this.mock.now() + op.minutes * 60_000;
    const expected =
      this.authStatus(actor, 'tokens:write') ??
      (op.temporary
        ? op.minutes > 60 || (actor.usage === 'tk' && Math.floor(expiresMs / 1000) > actor.exp!) || !grantable
          ? 422
          : 200
        : grantable
          ? 200
          : 422);
    const body = op.temporary ? { scopes, expires: new Date(expiresMs).toISOString() } : { scopes, note: 'model' };
    const result = await this.request('POST', `/tokens/v2/${USER}`, { token: actor.token, body });
    expect(result.status, `create by ${actor.usage} ${JSON.stringify(body)}: ${result.text}`).toBe(expected);
    if (result.status !== 200) return;
    if (op.temporary) {
      this.tokens.push({
        token: result.body.token,
        usage: 'tk',
        scopes,
        deleted: false,
        isDefault: false,
        createdWithoutScopes: scopes.length === 0,
        exp: Math.floor(expiresMs / 1000),
        creatorScopes: [...actor.scopes],
      });
      return;
    }
    const usage = scopes.some((scope) => SECRET_SCOPES.includes(scope)) ? 'sk' : 'pk';
    expect(result.body).toMatchObject({ usage, scopes });
    // No token holds a scope its creator lacked.
    expect(result.body.scopes.filter((scope: string) => !actor.scopes.includes(scope))).toEqual([]);
    this.tokens.push({
      token: result.body.token,
      usage,
      id: result.body.id,
      scopes,
      deleted: false,
      isDefault: false,
      createdWithoutScopes: scopes.length === 0,
      creatorScopes: [...actor.scopes],
    });
  }

  async update(op: Extract<Operation, { kind: 'update' }>): Promise<void> {
    const actor = this.pick(op.actor);
    const target = this.pick(op.target);
    const body = op.scopes === undefined ? { note: op.note } : { scopes: op.scopes };
    const scopes = op.scopes === undefined ? undefined : [...new Set(op.scopes)];
    let expected = this.authStatus(actor, 'tokens:write');
    if (expected === undefined && (target.usage === 'tk' || target.deleted)) expected = 404;
    if (expected === undefined && scopes !== undefined) {
      const refused =
        scopes.some((scope) => !actor.scopes.includes(scope)) ||
        (target.usage === 'pk' && scopes.some((scope) => SECRET_SCOPES.includes(scope))) ||
        (target.createdWithoutScopes && scopes.length > 0);
      if (refused) expected = 422;
    }
    expected ??= 200;
    // A tk has no id: a made-up one stands for "not a token of this account".
    const id = target.id ?? 'cnotatokenid000000000000';
    const result = await this.request('PATCH', `/tokens/v2/${USER}/${id}`, { token: actor.token, body });
    expect(result.status, `update ${target.usage} by ${actor.usage} ${JSON.stringify(body)}: ${result.text}`).toBe(expected);
    if (result.status !== 200) return;
    if (scopes !== undefined) target.scopes = scopes;
    expect(result.body.scopes).toEqual(target.scopes);
    if (target.usage === 'sk') expect(result.body).not.toHaveProperty('token');
  }

  async delete(op: Extract<Operation, { kind: 'delete' }>): Promise<void> {
    const actor = this.pick(op.actor);
    const target = this.pick(op.target);
    let expected = this.authStatus(actor, 'tokens:write');
    if (expected === undefined && (target.usage === 'tk' || target.deleted)) expected = 404;
    if (expected === undefined && target.isDefault) expected = 422;
    expected ??= 204;
    const id = target.id ?? 'cnotatokenid000000000000';
    const result = await this.request('DELETE', `/tokens/v2/${USER}/${id}`, { token: actor.token });
    expect(result.status, `delete ${target.usage} by ${actor.usage}: ${result.text}`).toBe(expected);
    if (result.status === 204) target.deleted = true;
  }

  async list(at: number): Promise<void> {
    const actor = this.pick(at);
    const expected = this.authStatus(actor, 'tokens:read') ?? 200;
    const result = await this.request('GET', `/tokens/v2/${USER}`, { token: actor.token, query: [['limit', '100']] });
    expect(result.status, `list by ${actor.usage}: ${result.text}`).toBe(expected);
    if (result.status !== 200) return;
    const live = this.tokens.filter((token) => token.usage !== 'tk' && !token.deleted);
    expect(result.body.map((item: { id: string }) => item.id).sort()).toEqual(live.map((token) => token.id).sort());
    for (const item of result.body as Array<{ id: string; usage: string; scopes: string[] }>) {
      const reference = live.find((token) => token.id === item.id)!;
      expect(item.scopes).toEqual(reference.scopes);
      // A pk never holds a secret scope.
      if (item.usage === 'pk') expect(item.scopes.filter((scope) => SECRET_SCOPES.includes(scope))).toEqual([]);
    }
    // sk strings are never listed (live or deleted).
    for (const token of this.tokens) if (token.usage === 'sk') expect(result.text.includes(token.token)).toBe(false);
  }

  async retrieve(at: number): Promise<void> {
    const target = this.pick(at);
    const expected = target.deleted ? 'TokenRevoked' : target.usage === 'tk' && !this.isValid(target) ? 'TokenExpired' : 'TokenValid';
    const result = await this.request('GET', '/tokens/v2', { token: target.token });
    expect(result.status).toBe(200);
    expect(result.body.code, `retrieve ${target.usage}`).toBe(expected);
  }
}

/** The property: any sequence of operations keeps every invariant on a mock built with `faults`. */
function invariantsHold(faults: readonly FaultName[] = []): fc.IAsyncPropertyWithHooks<[Operation[]]> {
  return fc.asyncProperty(fc.array(operation, { minLength: 1, maxLength: 35 }), async (operations) => {
    const mock = createTokensMock({ seed: 11, clock: () => T0, rateLimit: false, ...(faults.length > 0 && { faults }) });
    const account = await mock.defaultAccount();
    const runner = new Runner(mock);
    runner.tokens.push(
      {
        token: account.publicToken,
        id: account.publicTokenId,
        usage: 'pk',
        scopes: [...PUBLIC_SCOPES],
        deleted: false,
        isDefault: true,
        createdWithoutScopes: false,
      },
      {
        token: account.secretToken,
        id: account.secretTokenId,
        usage: 'sk',
        scopes: [...ALL_SCOPES],
        deleted: false,
        isDefault: false,
        createdWithoutScopes: false,
      },
    );
    for (const op of operations) await runner.run(op);
    // A final listing by the master token (always valid) cross-checks the whole state.
    await runner.list(3); // odd 3 -> the second oldest token: the master sk
  });
}

/** Injected faults (createTokensMock's `faults`) that break an invariant this property states. */
const CAUGHT_FAULTS: FaultName[] = [
  'revoked-token-accepted',
  'expired-token-accepted',
  'list-leaks-secret-tokens',
  'create-accepts-scope-escalation',
  'temporary-accepts-far-expires',
  'update-accepts-scope-escalation',
  'update-pk-accepts-secret-scope',
  'update-scopeless-gains-scopes',
  'delete-is-noop',
  'retrieve-revoked-reads-valid',
  'retrieve-expired-reads-valid',
  'token-dates-not-iso',
  'create-answers-201',
];

describe('model-based: random operation sequences against the reference rules', () => {
  it(`holds every invariant (fast-check, ${NUM_RUNS} runs, seed ${SEED})`, async () => {
    await fc.assert(invariantsHold(), { numRuns: NUM_RUNS, seed: SEED, endOnFailure: true });
  });

  // The property must be able to fail: against a mock with one rule broken, it finds a counterexample.
  it.each(CAUGHT_FAULTS)('finds a counterexample when the mock has the fault %s', async (fault) => {
    const details = await fc.check(invariantsHold([fault]), { numRuns: FAULT_RUNS, seed: FAULT_SEED, endOnFailure: true });
    expect(details.failed).toBe(true);
  });
});
