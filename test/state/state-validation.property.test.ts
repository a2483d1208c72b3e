// Issue 14: any damage to a valid state file (wrong types, missing fields, out-of-range values,
// duplicate ids, truncation) either loads into a mock that serves, or is refused with the path of
// a field that exists in the damaged file, within a second, leaving the input as it was. Most runs
// call the loader directly (spawning is slow); a few go through the CLI and check exit code 2 and
// the file's bytes.
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokensMockCore, type MockState } from '../../src/index.ts';
import { StateError } from '../../src/state/state-rules.ts';
import { validateStateDocument } from '../../src/server/state-validation.ts';
import { killLeftovers, runCli } from '../server/spawn-cli.ts';
import { STATE_T0, validState } from './support.ts';

afterAll(killLeftovers);

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Segment = string | number;

/** Every path in a JSON value (objects' members and arrays' items, the root excluded). */
function pathsOf(value: Json, prefix: Segment[] = []): Segment[][] {
  if (value === null || typeof value !== 'object') return [];
  const entries: Array<[Segment, Json]> = Array.isArray(value) ? value.map((item, index) => [index, item]) : Object.entries(value);
  return entries.flatMap(([key, child]) => [[...prefix, key], ...pathsOf(child, [...prefix, key])]);
}

function parentOf(root: Json, path: Segment[]): Record<string | number, Json> {
  let node = root as Record<string | number, Json>;
  for (const segment of path.slice(0, -1)) node = node[segment] as Record<string | number, Json>;
  return node;
}

/** `tokens[3].created` as segments; undefined for `state` (the root). */
function parseFieldPath(path: string): Segment[] | undefined {
  if (path === 'state') return [];
  const segments: Segment[] = [];
  const pattern = /(?:^|\.)([A-Za-z_][A-Za-z0-9_:-]*)|\[(\d+)\]/gy;
  let consumed = 0;
  for (let match = pattern.exec(path); match !== null; match = pattern.exec(path)) {
    segments.push(match[1] !== undefined ? match[1] : Number(match[2]));
    consumed = pattern.lastIndex;
  }
  return consumed === path.length ? segments : undefined;
}

/** Whether a field path names something in `doc` (or a missing member of an object that is there). */
function namesAField(doc: Json, path: string): boolean {
  const segments = parseFieldPath(path);
  if (segments === undefined) return false;
  let node: Json | undefined = doc;
  for (const [index, segment] of segments.entries()) {
    if (node === null || typeof node !== 'object') return false;
    const next: Json | undefined = (node as Record<string | number, Json>)[segment];
    if (next === undefined) return index === segments.length - 1 && !Array.isArray(node);
    node = next;
  }
  return true;
}

const oddValue: fc.Arbitrary<Json> = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom(1e300, -1, 8.7e15, -8.7e15, 2 ** 32, 36 ** 4, 0.5, '', 'tokens:read', 'AA', [], {}),
  fc.array(fc.string({ maxLength: 4 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 4 }), fc.integer(), { maxKeys: 2 }),
);

type Mutation =
  | { kind: 'replace'; pick: number; value: Json }
  | { kind: 'delete'; pick: number }
  | { kind: 'duplicate'; list: 'tokens' | 'accounts'; pick: number }
  | { kind: 'truncate'; at: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('replace' as const), pick: fc.nat(), value: oddValue }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('delete' as const), pick: fc.nat() }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('duplicate' as const),
      list: fc.constantFrom('tokens' as const, 'accounts' as const),
      pick: fc.nat(),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }) },
);

/** The damaged file's text. */
function damage(state: MockState, change: Mutation): string {
  const doc = structuredClone(state) as unknown as Json;
  const paths = pathsOf(doc);
  if (change.kind === 'truncate') {
    const text = JSON.stringify(doc);
    return text.slice(0, change.at % text.length);
  }
  if (change.kind === 'duplicate') {
    const list = (doc as Record<string, Json[]>)[change.list]!;
    list.push(structuredClone(list[change.pick % list.length]!));
    return JSON.stringify(doc);
  }
  const path = paths[change.pick % paths.length]!;
  const parent = parentOf(doc, path);
  const key = path[path.length - 1]!;
  if (change.kind === 'replace') parent[key] = change.value;
  else if (Array.isArray(parent)) parent.splice(key as number, 1);
  else delete parent[key];
  return JSON.stringify(doc);
}

let state: MockState;
beforeAll(async () => {
  state = await validState(6);
  // Compiles the schema once, so the per-file bound below measures checking, not Ajv's compilation.
  validateStateDocument(structuredClone(state));
});

describe('damaged state files (fast-check)', () => {
  it('each one loads into a mock that serves, or is refused naming a field of the file, within a second, input untouched', async () => {
    let loaded = 0;
    let refused = 0;
    let slowest = 0;
    await fc.assert(
      fc.asyncProperty(mutation, async (change) => {
        const text = damage(state, change);
        let parsed: Json;
        try {
          parsed = JSON.parse(text) as Json;
        } catch {
          refused += 1; // the CLI's "is not valid JSON" line (checked through the CLI below)
          return;
        }
        const before = structuredClone(parsed);
        const started = performance.now();
        let accepted: MockState | undefined;
        let error: unknown;
        try {
          accepted = validateStateDocument(parsed);
        } catch (caught) {
          error = caught;
        }
        let mock: ReturnType<typeof createTokensMockCore> | undefined;
        if (accepted !== undefined) {
          mock = createTokensMockCore({ clock: () => STATE_T0 });
          await mock.restore(accepted).catch((caught: unknown) => (error = caught));
        }
        slowest = Math.max(slowest, performance.now() - started);
        expect(parsed).toEqual(before);
        if (error !== undefined) {
          expect(error).toBeInstanceOf(StateError);
          expect(namesAField(parsed, (error as StateError).path), `${(error as Error).message} for ${JSON.stringify(change)}`).toBe(true);
          refused += 1;
          return;
        }
        // Loaded: it must also serve (no "loads, then answers 500"); a 4xx is the state's own rule
        // (a master token whose tokens:read scope was removed cannot list).
        const account = await mock!.defaultAccount();
        const list = await mock!.handle({
          method: 'GET',
          url: `https://api.mapbox.com/tokens/v2/${account.username}?access_token=${account.secretToken}`,
          text: async () => '',
        });
        expect(list.status).toBeLessThan(500);
        const created = await mock!.handle({
          method: 'POST',
          url: `https://api.mapbox.com/tokens/v2/${account.username}?access_token=${account.secretToken}`,
          text: async () => '{"note":"after"}',
        });
        expect(created.status).toBeLessThan(500);
        expect(JSON.parse(JSON.stringify(mock!.snapshot()))).toEqual(validateStateDocument(JSON.parse(JSON.stringify(mock!.snapshot()))));
        loaded += 1;
      }),
      { numRuns: 400, seed: 14 },
    );
    console.log(`damaged state files: ${loaded} loaded and served, ${refused} refused; slowest check ${slowest.toFixed(1)} ms`);
    expect(slowest).toBeLessThan(1000);
    expect(refused).toBeGreaterThan(100);
    expect(loaded).toBeGreaterThan(5);
  }, 60_000);

  it('through the CLI: exit 2 with one line naming the field, the file byte for byte untouched (a few runs)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tokens-mock-damaged-'));
    const samples = fc
      .sample(mutation, { numRuns: 40, seed: 1414 })
      .map((change) => ({ change, text: damage(state, change) }))
      .filter(({ text }) => {
        try {
          validateStateDocument(JSON.parse(text));
          return false;
        } catch {
          return true;
        }
      })
      .slice(0, 4);
    expect(samples.length).toBe(4);
    for (const [index, { text }] of samples.entries()) {
      const path = join(dir, `state-${index}.json`);
      await writeFile(path, text);
      const run = await runCli(['--port', '0', '--json', '--state', path]);
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(/^tokens-mock: state file [^\n]*(: [A-Za-z][\w.[\]:-]*: |is not valid JSON)[^\n]*\n$/);
      expect(await readFile(path, 'utf8')).toBe(text);
    }
  }, 60_000);
});
