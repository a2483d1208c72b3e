// Every curl command of the Tokens API reference and of the "creating tokens" tutorial, run with the
// real curl binary against a spawned tokens-mock. The commands are copied verbatim; only the host,
// username, token, token id and the `expires` value (made valid now) are substituted.
import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killLeftovers, spawnMock, type SpawnedMock } from './spawn-cli.ts';

const run = promisify(execFile);

/** Docs commands, as printed (the reference's `$ ` prompt removed). */
const REFERENCE = {
  listTokens: `curl "https://api.mapbox.com/tokens/v2/YOUR_MAPBOX_USERNAME?access_token=YOUR_SECRET_MAPBOX_ACCESS_TOKEN"`,
  createToken: `curl -H "Content-Type: application/json" -X POST -d '{"note": "My top secret project","scopes": ["styles:read", "fonts:read"], "allowedUrls": ["https://docs.mapbox.com"]}' 'https://api.mapbox.com/tokens/v2/YOUR_MAPBOX_USERNAME?access_token=YOUR_SECRET_MAPBOX_ACCESS_TOKEN'`,
  createTemporaryToken: `curl -H "Content-Type: application/json" -X POST -d '{"expires": "2024-10-04T17:09:19.941Z","scopes": ["styles:read", "fonts:read"]}' 'https://api.mapbox.com/tokens/v2/YOUR_MAPBOX_USERNAME?access_token=YOUR_SECRET_MAPBOX_ACCESS_TOKEN'`,
  updateToken: `curl -H 'Content-Type: application/json' -X PATCH -d '{"scopes": ["styles:read", "fonts:read"], "allowedUrls": ["https://docs.mapbox.com"]}' 'https://api.mapbox.com/tokens/v2/YOUR_MAPBOX_USERNAME/{token_id}?access_token=YOUR_SECRET_MAPBOX_ACCESS_TOKEN'`,
  deleteToken: `curl -X DELETE "https://api.mapbox.com/tokens/v2/YOUR_MAPBOX_USERNAME/{token_id}?access_token=YOUR_SECRET_MAPBOX_ACCESS_TOKEN"`,
  retrieveToken: `curl "https://api.mapbox.com/tokens/v2?access_token=YOUR_MAPBOX_ACCESS_TOKEN"`,
  listScopes: `curl "https://api.mapbox.com/scopes/v1/YOUR_MAPBOX_USERNAME?access_token=YOUR_SECRET_MAPBOX_ACCESS_TOKEN"`,
} as const;

const TUTORIAL = {
  createToken: `curl -H "Content-Type: application/json" -X POST -d '{"note": "{token_name}","scopes": ["styles:read", "fonts:read"]}' 'https://api.mapbox.com/tokens/v2/{{<UserName />}}?access_token={{<UserAccessToken/>}}'`,
  createUploadsToken: `curl -H "Content-Type: application/json" -X POST -d '{"note": "Uploads token","scopes": ["styles:tiles", "styles:read", "fonts:read", "datasets:read", "uploads:read", "uploads:write", "uploads:list"]}' 'https://api.mapbox.com/tokens/v2/{{<UserName />}}?access_token={{<UserAccessToken/>}}'`,
  createTemporaryToken: `curl -X POST -d '{"expires": "2018-11-18T06:30:00Z","scopes": ["styles:read", "fonts:read", "uploads:read", "uploads:write", "uploads:list"]}' 'https://api.mapbox.com/tokens/v2/{{<UserName />}}?access_token={{<UserAccessToken/>}}'`,
  createUploadsTemporaryToken: `curl -H "Content-Type: application/json" -X POST -d '{"note": "Uploads temp token", "expires": "2018-11-18T06:30:00Z", "scopes": ["styles:tiles", "styles:read", "fonts:read", "datasets:read", "uploads:read", "uploads:write", "uploads:list"]}' 'https://api.mapbox.com/tokens/v2/{{<UserName />}}?access_token={{<UserAccessToken/>}}'`,
} as const;

let server: SpawnedMock;
let curlHome: string;

beforeAll(async () => {
  server = await spawnMock(['--rate-limit', 'off']);
  // curl reads $HOME/.curlrc: it adds the status line and silences progress without touching the commands.
  curlHome = await mkdtemp(join(tmpdir(), 'tokens-mock-curl-'));
  await writeFile(join(curlHome, '.curlrc'), 'silent\nshow-error\nwrite-out = "\\n%{http_code} %{content_type}"\n');
});

afterAll(async () => {
  await server?.stop();
  killLeftovers();
});

/** An `expires` 30 minutes from now, in the same format as the one it replaces. */
function validExpires(original: string): string {
  const iso = new Date(Date.now() + 30 * 60 * 1000).toISOString();
  return original.includes('.') ? iso : iso.replace(/\.\d{3}Z$/, 'Z');
}

function substitute(command: string, token: string, tokenId = ''): string {
  return command
    .replaceAll('https://api.mapbox.com', server.baseUrl)
    .replaceAll('YOUR_MAPBOX_USERNAME', server.username)
    .replaceAll('{{<UserName />}}', server.username)
    .replaceAll('YOUR_SECRET_MAPBOX_ACCESS_TOKEN', token)
    .replaceAll('YOUR_MAPBOX_ACCESS_TOKEN', token)
    .replaceAll('{{<UserAccessToken/>}}', token)
    .replaceAll('{token_id}', tokenId)
    .replace(/"expires": "([^"]+)"/, (_match, original: string) => `"expires": "${validExpires(original)}"`);
}

interface CurlResult {
  status: number;
  contentType: string;
  body: string;
  json: unknown;
}

/** Runs the command through /bin/sh, as a user pasting it would. */
async function curl(command: string): Promise<CurlResult> {
  const { stdout } = await run('/bin/sh', ['-c', command], { env: { ...process.env, HOME: curlHome } });
  const split = stdout.lastIndexOf('\n');
  const statusLine = stdout.slice(split + 1);
  const space = statusLine.indexOf(' ');
  const status = statusLine.slice(0, space);
  const contentType = statusLine.slice(space + 1);
  const body = stdout.slice(0, split);
  return { status: Number(status), contentType, body, json: body === '' ? undefined : JSON.parse(body) };
}

const JSON_TYPE = 'application/json; charset=utf-8';

describe('curl commands of the API reference', () => {
  it('curl is installed', async () => {
    const { stdout } = await run('curl', ['--version']);
    expect(stdout).toMatch(/^curl \d/);
  });

  it('list tokens', async () => {
    const answer = await curl(substitute(REFERENCE.listTokens, server.token));
    expect([answer.status, answer.contentType]).toEqual([200, JSON_TYPE]);
    const tokens = answer.json as { usage: string; token?: string; id: string }[];
    expect(tokens.length).toBeGreaterThanOrEqual(2);
    for (const token of tokens) {
      expect(token).toMatchObject({ client: 'api', id: expect.any(String), scopes: expect.any(Array) });
      if (token.usage === 'sk') expect(token).not.toHaveProperty('token');
    }
  });

  it('create a token, update it, delete it', async () => {
    const created = await curl(substitute(REFERENCE.createToken, server.token));
    expect([created.status, created.contentType]).toEqual([200, JSON_TYPE]);
    const token = created.json as { id: string; token: string };
    expect(created.json).toMatchObject({
      client: 'api',
      note: 'My top secret project',
      usage: 'pk',
      default: false,
      scopes: ['styles:read', 'fonts:read'],
      allowedUrls: ['https://docs.mapbox.com'],
      token: expect.stringMatching(/^pk\./),
    });

    const updated = await curl(substitute(REFERENCE.updateToken, server.token, token.id));
    expect(updated.status).toBe(200);
    expect(updated.json).toMatchObject({
      id: token.id,
      usage: 'pk',
      scopes: ['styles:read', 'fonts:read'],
      allowedUrls: ['https://docs.mapbox.com'],
      token: token.token,
    });

    const deleted = await curl(substitute(REFERENCE.deleteToken, server.token, token.id));
    expect([deleted.status, deleted.body]).toEqual([204, '']);
    const retrieved = await curl(substitute(REFERENCE.retrieveToken, token.token));
    expect((retrieved.json as { code: string }).code).toBe('TokenRevoked');
  });

  it('create a temporary token', async () => {
    const created = await curl(substitute(REFERENCE.createTemporaryToken, server.token));
    expect([created.status, created.contentType]).toEqual([200, JSON_TYPE]);
    const temporary = created.json as { token: string };
    expect(temporary.token).toMatch(/^tk\./);
    const retrieved = await curl(substitute(REFERENCE.retrieveToken, temporary.token));
    expect(retrieved.json).toMatchObject({ code: 'TokenValid', token: { usage: 'tk', scopes: ['styles:read', 'fonts:read'] } });
  });

  it('retrieve a token', async () => {
    const answer = await curl(substitute(REFERENCE.retrieveToken, server.token));
    expect([answer.status, answer.contentType]).toEqual([200, JSON_TYPE]);
    expect(answer.json).toEqual({
      code: 'TokenValid',
      token: { usage: 'sk', user: server.username, authorization: expect.any(String) },
    });
  });

  it('list scopes', async () => {
    const answer = await curl(substitute(REFERENCE.listScopes, server.token));
    expect([answer.status, answer.contentType]).toEqual([200, JSON_TYPE]);
    const scopes = answer.json as { id: string; description: string }[];
    expect(scopes.length).toBeGreaterThan(5);
    for (const scope of scopes) expect(scope).toMatchObject({ id: expect.any(String), description: expect.any(String) });
  });
});

describe('curl commands of the tutorial "Creating tokens"', () => {
  it('create a token named by its note', async () => {
    const answer = await curl(substitute(TUTORIAL.createToken, server.token));
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ note: '{token_name}', usage: 'pk', scopes: ['styles:read', 'fonts:read'] });
  });

  it('create the Uploads token (secret scopes make an sk, shown once)', async () => {
    const answer = await curl(substitute(TUTORIAL.createUploadsToken, server.token));
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({
      client: 'api',
      note: 'Uploads token',
      usage: 'sk',
      default: false,
      scopes: ['styles:tiles', 'styles:read', 'fonts:read', 'datasets:read', 'uploads:read', 'uploads:write', 'uploads:list'],
      token: expect.stringMatching(/^sk\./),
    });
  });

  it('create a temporary token without a Content-Type header', async () => {
    const answer = await curl(substitute(TUTORIAL.createTemporaryToken, server.token));
    expect(answer.status).toBe(200);
    expect((answer.json as { token: string }).token).toMatch(/^tk\./);
  });

  it('create the Uploads temporary token (its note is accepted and ignored)', async () => {
    const answer = await curl(substitute(TUTORIAL.createUploadsTemporaryToken, server.token));
    expect(answer.status).toBe(200);
    const token = (answer.json as { token: string }).token;
    expect(token).toMatch(/^tk\./);
    const retrieved = await curl(substitute(REFERENCE.retrieveToken, token));
    expect(retrieved.json).toMatchObject({
      code: 'TokenValid',
      token: {
        usage: 'tk',
        user: server.username,
        scopes: ['styles:tiles', 'styles:read', 'fonts:read', 'datasets:read', 'uploads:read', 'uploads:write', 'uploads:list'],
      },
    });
  });
});
