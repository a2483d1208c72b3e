// The standalone server never loads msw (it only calls mock.fetch, and loading msw costs its cold
// start ~70 ms): a fresh node process records every module it resolves while serving a request.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

const SERVER_ENTRY = new URL('../../src/server/index.ts', import.meta.url).href;
const ROOT_ENTRY = new URL('../../src/index.ts', import.meta.url).href;

/**
 * Runs in the child: registers a synchronous resolution hook (module.registerHooks, Node >= 22.15)
 * before importing anything of the package, runs one scenario, then prints what it resolved.
 */
const CHILD_SCRIPT = `
import { registerHooks } from 'node:module';
const resolved = [];
registerHooks({
  resolve(specifier, context, nextResolve) {
    const result = nextResolve(specifier, context);
    resolved.push(result.url);
    return result;
  },
});
const [scenario, entry] = process.argv.slice(1);
let status;
if (scenario === 'server') {
  const { startServer } = await import(entry);
  const server = await startServer({ port: 0, mockOptions: { seed: 1, rateLimit: false } });
  const { username, secretToken } = await server.mock.defaultAccount();
  const answer = await fetch(server.url + '/tokens/v2/' + username + '?access_token=' + secretToken);
  status = answer.status;
  await answer.arrayBuffer();
  await server.close();
} else {
  const { createTokensMock } = await import(entry);
  const mock = createTokensMock({ seed: 1 });
  const { username, secretToken } = await mock.defaultAccount();
  const answer = await mock.fetch(new Request('https://api.mapbox.com/tokens/v2/' + username + '?access_token=' + secretToken));
  status = answer.status;
}
console.log(JSON.stringify({ status, resolved }));
`;

interface ChildReport {
  status: number;
  resolved: string[];
}

async function resolvedBy(scenario: 'server' | 'root', entry: string): Promise<ChildReport> {
  const { stdout } = await run(process.execPath, ['--input-type=module', '--eval', CHILD_SCRIPT, scenario, entry], {
    timeout: 20_000,
  });
  return JSON.parse(stdout.trim().split('\n').pop()!) as ChildReport;
}

const isMsw = (url: string): boolean => url.includes('/node_modules/msw/');

describe('the standalone server without msw', () => {
  it('startServer builds its mock and answers a request without resolving any msw module', async () => {
    const report = await resolvedBy('server', SERVER_ENTRY);
    expect(report.status).toBe(200);
    // The hook saw the package's own modules, the lazily imported mock factory included...
    expect(report.resolved).toContainEqual(expect.stringMatching(/\/src\/server\/mock-factory\.ts$/));
    expect(report.resolved).toContainEqual(expect.stringMatching(/\/src\/mock\/tokens-mock-core\.ts$/));
    // ...and nothing of msw.
    expect(report.resolved.filter(isMsw)).toEqual([]);
    // handlers/ holds only the msw glue: the server resolves none of it.
    expect(report.resolved.filter((url) => url.includes('/handlers/') && !url.includes('/node_modules/'))).toEqual([]);
  }, 30_000);

  it('contrast: the package root with createTokensMock does resolve msw (so the check can fail)', async () => {
    const report = await resolvedBy('root', ROOT_ENTRY);
    expect(report.status).toBe(200);
    expect(report.resolved.filter(isMsw).length).toBeGreaterThan(0);
    expect(report.resolved.filter((url) => url.includes('/handlers/') && !url.includes('/node_modules/')).length).toBeGreaterThan(0);
  }, 30_000);
});
