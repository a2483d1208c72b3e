import fc from 'fast-check';
import type {
  Action,
  ActorRef,
  CreateBody,
  ExpiresSpec,
  ListQuerySpec,
  NoteSpec,
  SubjectRef,
  TemporaryBody,
  UpdateBody,
  UrlsSpec,
} from './actions.ts';

/**
 * Scopes the explorer asks for. The run's token must hold all of them (the main run needs the
 * same); the secret ones make sk tokens, the public ones pk tokens, and `no:such-scope` is unknown.
 * Created tokens holding a subset act later, which is how escalation is reached.
 */
const EXPLORED_SCOPES = ['styles:read', 'styles:tiles', 'fonts:read', 'tokens:read', 'tokens:write', 'scopes:list'] as const;
const UNKNOWN_SCOPE = 'no:such-scope';

/** How close to a time limit generated values may come (see docs/explore.md, "Time"). */
export interface TimeEdges {
  /** Offsets of `expires` from now, ms: at, just inside and just outside the documented limits. */
  expiresAfterNowMs: readonly number[];
  /** Offsets of `expires` from the acting temporary token's expiry, seconds. */
  afterParentSeconds: readonly number[];
  /** Waits, ms. */
  waitsMs: readonly number[];
}

const HOUR = 3_600_000;

/** The embedded run shares one virtual clock with its model: the edges themselves. */
export const EXACT_EDGES: TimeEdges = {
  expiresAfterNowMs: [-60_000, 0, 1, 1_000, 2_000, 60_000, HOUR - 1, HOUR, HOUR + 1, 2 * HOUR],
  afterParentSeconds: [-1, 0, 1],
  waitsMs: [999, 1_000, 2_000, 61_000, HOUR],
};

/**
 * A server's clock is known to a second or so (Date has whole seconds, plus latency): values stay
 * this far from each limit, and waits are short.
 */
export const MARGIN_EDGES: TimeEdges = {
  expiresAfterNowMs: [-60_000, -5_000, 6_000, 60_000, HOUR - 10_000, HOUR + 10_000],
  afterParentSeconds: [-10, 0, 10],
  // Past the 6 s edge above by more than the 3 s a step keeps away from an expiry.
  waitsMs: [10_000],
};

const pick = fc.nat({ max: 31 });

function actorArbitrary(): fc.Arbitrary<ActorRef> {
  return fc.oneof(
    { weight: 5, arbitrary: fc.constant<ActorRef>({ kind: 'master' }) },
    {
      weight: 4,
      arbitrary: fc
        .record({ kind: fc.constant('created' as const), pick, forged: fc.boolean() })
        .map((ref) => ({ ...ref, forged: ref.forged && ref.pick % 3 === 0 })),
    },
    { weight: 1, arbitrary: fc.constant<ActorRef>({ kind: 'missing' }) },
    {
      weight: 1,
      arbitrary: fc.constantFrom('pk.abc.123', 'not-a-token', 'sk.e30.AAAA', '').map((text): ActorRef => ({ kind: 'malformed', text })),
    },
  );
}

const noteArbitrary: fc.Arbitrary<NoteSpec> = fc.oneof(
  { weight: 12, arbitrary: fc.constant<NoteSpec>('marker') },
  { weight: 1, arbitrary: fc.constant<NoteSpec>(null) },
  { weight: 1, arbitrary: fc.constant<NoteSpec>('') },
  { weight: 1, arbitrary: fc.constantFrom<NoteSpec>({ invalid: 42 }, { invalid: ['note'] }) },
);

const scopesArbitrary: fc.Arbitrary<string[] | { invalid: unknown }> = fc.oneof(
  { weight: 20, arbitrary: fc.subarray([...EXPLORED_SCOPES]) },
  {
    weight: 1,
    arbitrary: fc
      .subarray([...EXPLORED_SCOPES, UNKNOWN_SCOPE], { minLength: 1 })
      .map((scopes) => (scopes.includes(UNKNOWN_SCOPE) ? scopes : [...scopes, UNKNOWN_SCOPE])),
  },
  { weight: 1, arbitrary: fc.constantFrom<{ invalid: unknown }>({ invalid: 'styles:read' }, { invalid: [7] }, { invalid: null }) },
);

const urlsArbitrary: fc.Arbitrary<UrlsSpec> = fc.oneof(
  { weight: 10, arbitrary: fc.constantFrom(0, 1, 2, 100, 101).map((count): UrlsSpec => ({ count })) },
  { weight: 1, arbitrary: fc.constant<UrlsSpec>(null) },
  { weight: 1, arbitrary: fc.constantFrom<UrlsSpec>({ invalid: 'https://example.com' }, { invalid: [''] }, { invalid: [3] }) },
);

function createBody(): fc.Arbitrary<CreateBody | { raw: string }> {
  const body = fc
    .record({
      fields: fc.record({ note: noteArbitrary, scopes: scopesArbitrary, allowedUrls: urlsArbitrary }, { requiredKeys: [] }),
      extra: rarely(fc.constantFrom<'unknown-property' | 'resources'>('unknown-property', 'resources')),
    })
    .map(({ fields, extra }) => dropUndefined({ ...fields, extra }) as CreateBody);
  return fc.oneof({ weight: 12, arbitrary: body }, { weight: 1, arbitrary: fc.constantFrom('{', '[]', '"text"').map((raw) => ({ raw })) });
}

function expiresArbitrary(edges: TimeEdges): fc.Arbitrary<ExpiresSpec> {
  return fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom(...edges.expiresAfterNowMs).map((afterNowMs): ExpiresSpec => ({ afterNowMs })) },
    {
      weight: 2,
      arbitrary: fc.constantFrom(...edges.afterParentSeconds).map((afterParentSeconds): ExpiresSpec => ({ afterParentSeconds })),
    },
    { weight: 1, arbitrary: fc.constantFrom<ExpiresSpec>({ invalid: 'tomorrow' }, { invalid: 1_700_000_000 }) },
  );
}

function temporaryBody(edges: TimeEdges): fc.Arbitrary<TemporaryBody> {
  // Scopes are usually there (a temporary token without them is refused); allowedUrls rarely (always refused).
  return fc
    .record({
      expires: expiresArbitrary(edges),
      scopes: fc.option(scopesArbitrary, { freq: 6, nil: undefined }),
      note: fc.option(noteArbitrary, { freq: 2, nil: undefined }),
      allowedUrls: rarely(urlsArbitrary),
    })
    .map((value) => dropUndefined(value) as unknown as TemporaryBody);
}

function updateBody(): fc.Arbitrary<UpdateBody | { raw: string }> {
  // Every subset of the three fields, each valid or not; now and then an unknown property.
  const body = fc
    .record({
      fields: fc.record({ note: noteArbitrary, scopes: scopesArbitrary, allowedUrls: urlsArbitrary }, { requiredKeys: [] }),
      extra: rarely(fc.constant<'unknown-property'>('unknown-property')),
    })
    .map(({ fields, extra }) => dropUndefined({ ...fields, extra }) as UpdateBody);
  return fc.oneof({ weight: 12, arbitrary: body }, { weight: 1, arbitrary: fc.constantFrom('{', '[1]').map((raw) => ({ raw })) });
}

const subjectArbitrary: fc.Arbitrary<SubjectRef> = fc.oneof(
  { weight: 6, arbitrary: pick.map((value): SubjectRef => ({ kind: 'created', pick: value })) },
  { weight: 1, arbitrary: fc.constant<SubjectRef>({ kind: 'absent' }) },
);

/** Mostly a valid value, now and then one the server must refuse. */
function mostly(valid: readonly string[], invalid: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof({ weight: 12, arbitrary: fc.constantFrom(...valid) }, { weight: 1, arbitrary: fc.constantFrom(...invalid) });
}

const listQueryArbitrary: fc.Arbitrary<ListQuerySpec> = fc
  .record(
    {
      usage: mostly(['pk', 'sk'], ['tk']),
      default: mostly(['true', 'false'], ['yes']),
      sortby: mostly(['created', 'modified'], ['size']),
      limit: mostly(['1', '1', '2', '2', '3', '100', '101'], ['0', '-1', 'x']),
      start: fc.constantFrom('bm90LWEtY3Vyc29y', '!!'),
    },
    { requiredKeys: [] },
  )
  .map((query) => {
    // A forged cursor now and then, not in most listings (it ends them with 500).
    const { start, ...rest } = query;
    return dropUndefined(start !== undefined && Object.keys(rest).length === 0 ? query : rest) as ListQuerySpec;
  });

/** Every action, weighted towards the operations that change state and the listings that observe it. */
export function actionArbitraries(edges: TimeEdges): fc.Arbitrary<Action>[] {
  const actorArb = actorArbitrary();
  const master = fc.constant<ActorRef>({ kind: 'master' });
  const list = (actor: fc.Arbitrary<ActorRef>): fc.Arbitrary<Action> =>
    fc.record({
      op: fc.constant('list' as const),
      actor,
      query: listQueryArbitrary,
      user: mostly(['self'], ['unknown']) as fc.Arbitrary<'self' | 'unknown'>,
    });
  const next = fc.record({ op: fc.constant('list-next' as const), actor: master, cursor: fc.nat({ max: 7 }) });
  // fast-check picks one of these uniformly: repeats weight an action.
  return [
    fc.record({ op: fc.constant('create' as const), actor: actorArb, body: createBody() }),
    fc.record({ op: fc.constant('create' as const), actor: master, body: createBody() }),
    fc.record({ op: fc.constant('create' as const), actor: master, body: createBody() }),
    fc.record({ op: fc.constant('create-temporary' as const), actor: actorArb, body: temporaryBody(edges) }),
    // A temporary token creating one: its lifetime is bounded by its own (the parent's) expiry.
    fc.record({
      op: fc.constant('create-temporary' as const),
      actor: pick.map((value): ActorRef => ({ kind: 'created', pick: value, forged: false })),
      body: temporaryBody(edges).chain((body) =>
        fc.constantFrom(...edges.afterParentSeconds).map((afterParentSeconds) => ({ ...body, expires: { afterParentSeconds } })),
      ),
    }),
    fc.record({ op: fc.constant('update' as const), actor: actorArb, subject: subjectArbitrary, body: updateBody() }),
    fc.record({ op: fc.constant('update' as const), actor: master, subject: subjectArbitrary, body: updateBody() }),
    fc.record({ op: fc.constant('delete' as const), actor: actorArb, subject: subjectArbitrary }),
    list(actorArb),
    list(master),
    next,
    next,
    fc.record({ op: fc.constant('retrieve' as const), subject: actorArb }),
    fc.record({ op: fc.constant('scopes' as const), actor: actorArb }),
    fc.record({ op: fc.constant('wait' as const), ms: fc.constantFrom(...edges.waitsMs) }),
  ];
}

/** The value one time in ten, otherwise undefined. */
function rarely<T>(arbitrary: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> {
  return fc.oneof({ weight: 9, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary });
}

function dropUndefined(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined));
}
