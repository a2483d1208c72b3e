// Issue 14: with --state, every write acknowledged before a kill -9 is there after a restart, and
// nothing is half-written. Each trial runs a write load (creates, renames, deletes) against the
// spawned server, kills it with SIGKILL at a random moment, and restarts it on the same file.
import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { killLeftovers, spawnMock, type SpawnedMock } from '../server/spawn-cli.ts';

afterAll(killLeftovers);

const WORKERS = 4;

/** What a token must look like after the restart: acknowledged state, or either side of the write in flight. */
interface Expected {
  acked: string | null; // note, or null when the deletion was acknowledged
  inFlight?: string | null;
}

async function listAll(server: SpawnedMock): Promise<Map<string, string | null>> {
  const found = new Map<string, string | null>();
  let url: string | undefined = `${server.baseUrl}/tokens/v2/${server.username}?limit=100&access_token=${server.token}`;
  while (url !== undefined) {
    const response: Response = await fetch(url);
    expect(response.status).toBe(200);
    for (const token of (await response.json()) as Array<{ id: string; note: string | null }>) found.set(token.id, token.note);
    // The Link URL carries the list parameters, not the token (clients add it, as the SDK does).
    const link = /<([^>]+)>; rel="next"/.exec(response.headers.get('link') ?? '')?.[1];
    url = link === undefined ? undefined : `${link}&access_token=${server.token}`;
  }
  return found;
}

describe('crash consistency of --state', () => {
  // --state-sync write acknowledges once the OS has the bytes: a kill -9 (not a power loss) keeps them too.
  it.each([
    ['fsync', 9],
    ['write', 5],
  ] as const)(
    '--state-sync %s keeps every acknowledged write across %i kill -9 restarts',
    async (sync, TRIALS) => {
      const dir = await mkdtemp(join(tmpdir(), 'tokens-mock-crash-'));
      const statePath = join(dir, 'state.json');
      const expected = new Map<string, Expected>();
      const inFlightCreates = new Set<string>();
      let writesChecked = 0;
      let acknowledged = 0;
      const random = fc.sample(fc.integer({ min: 0, max: 1_000_000 }), { numRuns: 10_000, seed: 1414 });
      let draw = 0;
      const next = (n: number): number => random[draw++ % random.length]! % n;

      for (let trial = 0; trial <= TRIALS; trial++) {
        const server = await spawnMock(['--state', statePath, '--state-sync', sync, '--rate-limit', 'off']);
        // Check everything acknowledged so far (the first start has nothing to check).
        const listed = await listAll(server);
        for (const [id, want] of expected) {
          const options = [want.acked, ...('inFlight' in want ? [want.inFlight] : [])];
          const got = listed.has(id) ? listed.get(id)! : null;
          expect(options, `token ${id} after trial ${trial}`).toContainEqual(got);
          writesChecked += 1;
          if (got === null) expected.delete(id);
          else expected.set(id, { acked: got });
        }
        for (const [id, note] of listed) {
          if (expected.has(id) || note === 'Default public token' || note === 'Master token') continue;
          // An unknown token can only be a create that was in flight at the kill.
          expect(inFlightCreates, `unexpected token ${id} (${note})`).toContain(note);
          expected.set(id, { acked: note });
        }
        inFlightCreates.clear();
        if (trial === TRIALS) {
          await server.stop();
          break;
        }

        const api = `${server.baseUrl}/tokens/v2/${server.username}`;
        const auth = `access_token=${server.token}`;
        let killed = false;
        const worker = async (w: number): Promise<void> => {
          for (let n = 0; !killed; n++) {
            const mine = [...expected.entries()].filter(([, e]) => e.acked?.startsWith(`w${w}-`) && !('inFlight' in e));
            const choice = mine.length < 3 ? 0 : next(10);
            const note = `w${w}-t${trial}-${n}`;
            if (choice < 5) {
              inFlightCreates.add(note);
              try {
                const response = await fetch(`${api}?${auth}`, { method: 'POST', body: JSON.stringify({ note, scopes: ['styles:read'] }) });
                const body = (await response.json()) as { id: string };
                expect(response.status).toBe(200);
                inFlightCreates.delete(note);
                expected.set(body.id, { acked: note });
                acknowledged += 1;
              } catch (error) {
                if (killed) return;
                throw error;
              }
              continue;
            }
            const [id, entry] = mine[next(mine.length)]!;
            const deleting = choice >= 8;
            entry.inFlight = deleting ? null : note;
            try {
              const response = deleting
                ? await fetch(`${api}/${id}?${auth}`, { method: 'DELETE' })
                : await fetch(`${api}/${id}?${auth}`, { method: 'PATCH', body: JSON.stringify({ note }) });
              await response.arrayBuffer();
              expect(response.status).toBe(deleting ? 204 : 200);
              expected.set(id, { acked: deleting ? null : note });
              acknowledged += 1;
            } catch (error) {
              if (killed) return;
              throw error;
            }
          }
        };
        const load = Promise.all(Array.from({ length: WORKERS }, (_, w) => worker(w)));
        await new Promise((resolve) => setTimeout(resolve, 100 + next(700)));
        killed = true;
        server.child.kill('SIGKILL');
        await load;
        await server.stop();
        // Acknowledged deletions are settled (absent is what we expect); keep checking the rest.
        for (const [id, entry] of expected) if (entry.acked === null && !('inFlight' in entry)) expected.delete(id);
      }
      console.log(
        `crash consistency (--state-sync ${sync}): ${TRIALS} kill -9 trials, ${acknowledged} acknowledged writes, ${writesChecked} token states checked`,
      );
      expect(acknowledged).toBeGreaterThan(TRIALS * 10);
      expect(writesChecked).toBeGreaterThan(0);
      // A clean stop leaves the state file only: no journal, lock or temporary file.
      expect(await readdir(dir)).toEqual(['state.json']);
    },
    120_000,
  );
});
