// Issue 14, over the spawned server with --state: a write that fails (500) after the store wrote
// its record leaves no trace in the journal, and none after a restart. The failure is injected by
// a preloaded module (fail-after-write.preload.ts), so the server under test is the real CLI.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { killLeftovers, spawnMock } from '../server/spawn-cli.ts';
import { FAIL_NOTE } from './fail-after-write.preload.ts';

const PRELOAD = fileURLToPath(new URL('./fail-after-write.preload.ts', import.meta.url));

afterAll(killLeftovers);

it('a write answered 500 reaches neither the journal nor the restarted server', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'tokens-mock-atomic-'));
  try {
    const statePath = join(dir, 'state.json');
    const server = await spawnMock(['--state', statePath, '--seed', '14'], { NODE_OPTIONS: `--import=${PRELOAD}` });
    const create = (note: string) =>
      fetch(`${server.baseUrl}/tokens/v2/${server.username}?access_token=${server.token}`, {
        method: 'POST',
        body: JSON.stringify({ note, scopes: ['styles:read'] }),
      });
    expect((await create('before the failure')).status).toBe(200);
    const failed = await create(FAIL_NOTE);
    expect(failed.status).toBe(500);
    expect(failed.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await failed.json()).toEqual({ message: 'Internal Server Error' });
    const after = await create('after the failure');
    expect(after.status).toBe(200);

    // Every acknowledged write is in the journal already; the failed one is not.
    const journal = await readFile(`${statePath}.journal`, 'utf8');
    expect(journal).toContain('before the failure');
    expect(journal).toContain('after the failure');
    expect(journal).not.toContain(FAIL_NOTE);

    // A crash keeps the journal as it is; the restart replays it (without the preload).
    await server.stop('SIGKILL');
    const restarted = await spawnMock(['--state', statePath, '--seed', '14']);
    const listed = await fetch(`${restarted.baseUrl}/tokens/v2/${restarted.username}?access_token=${restarted.token}`);
    const notes = ((await listed.json()) as Array<{ note: string }>).map((token) => token.note);
    // The account's default and master tokens, and the two acknowledged creates.
    expect(notes).toHaveLength(4);
    expect(notes).toEqual(expect.arrayContaining(['before the failure', 'after the failure']));
    expect(await readFile(statePath, 'utf8')).not.toContain(FAIL_NOTE);
    expect((await restarted.stop()).code).toBe(0);
    expect(await readFile(statePath, 'utf8')).not.toContain(FAIL_NOTE);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
