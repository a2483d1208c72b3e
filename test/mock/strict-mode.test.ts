import { describe, expect, test } from 'vitest';
import { createTokensMockCore, type StrictViolation, type TokensMockCore } from '../../src/index.ts';
import { openapiDocument } from '../../src/generated/openapi.ts';

const BASE = 'https://api.mapbox.com';
const clock = () => Date.parse('2026-03-01T12:00:00Z');

function strictMock(): { mock: TokensMockCore; found: StrictViolation[] } {
  const found: StrictViolation[] = [];
  const mock = createTokensMockCore({ seed: 3, clock, strict: true, onViolation: (violation) => found.push(violation), rateLimit: false });
  return { mock, found };
}

function plain(method: string, path: string, body = '') {
  return { method, url: `${BASE}${path}`, text: async () => body };
}

/** Each kind of request the document does not describe, with the violation it must produce. */
const UNDOCUMENTED: Array<{
  name: string;
  method: string;
  path: string;
  body?: string;
  rule: string;
  schemaPath: string;
  location: string;
}> = [
  {
    name: 'unknown query parameter',
    method: 'GET',
    path: '/tokens/v2/mockuser?access_token=TOKEN&colour=blue',
    rule: 'unknown-query-parameter',
    schemaPath: '#/paths/~1tokens~1v2~1{username}/get/parameters',
    location: 'query.colour',
  },
  {
    name: 'query parameter of the wrong type',
    method: 'GET',
    path: '/tokens/v2/mockuser?access_token=TOKEN&limit=ten',
    rule: 'type',
    schemaPath: '#/components/parameters/limit/schema/type',
    location: 'query.limit',
  },
  {
    name: 'query parameter below its minimum',
    method: 'GET',
    path: '/tokens/v2/mockuser?access_token=TOKEN&limit=0',
    rule: 'minimum',
    schemaPath: '#/components/parameters/limit/schema/minimum',
    location: 'query.limit',
  },
  {
    name: 'query parameter outside its enum',
    method: 'GET',
    path: '/tokens/v2/mockuser?access_token=TOKEN&usage=tk',
    rule: 'enum',
    schemaPath: '#/components/parameters/usage/schema/enum',
    location: 'query.usage',
  },
  {
    name: 'missing required query parameter',
    method: 'GET',
    path: '/tokens/v2',
    rule: 'required',
    schemaPath: '#/components/parameters/retrieve_access_token/required',
    location: 'query.access_token',
  },
  {
    name: 'unknown body property',
    method: 'POST',
    path: '/tokens/v2/mockuser?access_token=TOKEN',
    body: '{"note":"x","colour":"blue"}',
    rule: 'additionalProperties',
    schemaPath: '#/components/schemas/CreateTokenRequest/additionalProperties',
    location: 'body',
  },
  {
    name: 'body property of the wrong type',
    method: 'POST',
    path: '/tokens/v2/mockuser?access_token=TOKEN',
    body: '{"scopes":"styles:read"}',
    rule: 'type',
    schemaPath: '#/components/schemas/CreateTokenRequest/properties/scopes/type',
    location: 'body/scopes',
  },
  {
    name: 'missing required body property',
    method: 'POST',
    path: '/tokens/v2/mockuser?access_token=TOKEN',
    body: '{"expires":"2030-01-01T00:00:00Z"}',
    rule: 'required',
    schemaPath: '#/components/schemas/CreateTemporaryTokenRequest/required',
    location: 'body',
  },
  {
    name: 'update body of the wrong type',
    method: 'PATCH',
    path: '/tokens/v2/mockuser/abc?access_token=TOKEN',
    body: '{"note":5}',
    rule: 'type',
    schemaPath: '#/components/schemas/UpdateTokenRequest/properties/note/type',
    location: 'body/note',
  },
  {
    name: 'body on a GET',
    method: 'GET',
    path: '/tokens/v2/mockuser?access_token=TOKEN',
    body: '{"scopes":[]}',
    rule: 'no-request-body',
    schemaPath: '#/paths/~1tokens~1v2~1{username}/get',
    location: 'body',
  },
  {
    name: 'body on a DELETE',
    method: 'DELETE',
    path: '/tokens/v2/mockuser/abc?access_token=TOKEN',
    body: '{}',
    rule: 'no-request-body',
    schemaPath: '#/paths/~1tokens~1v2~1{username}~1{token_id}/delete',
    location: 'body',
  },
  {
    name: 'body that is not JSON',
    method: 'POST',
    path: '/tokens/v2/mockuser?access_token=TOKEN',
    body: 'note=x',
    rule: 'invalid-json',
    schemaPath: '#/paths/~1tokens~1v2~1{username}/post/requestBody',
    location: 'body',
  },
  {
    name: 'undocumented method',
    method: 'PUT',
    path: '/tokens/v2/mockuser?access_token=TOKEN',
    rule: 'undocumented-method',
    schemaPath: '#/paths',
    location: 'method',
  },
  {
    name: 'undocumented path',
    method: 'GET',
    path: '/tokens/v3/mockuser?access_token=TOKEN',
    rule: 'undocumented-path',
    schemaPath: '#/paths',
    location: 'path',
  },
];

describe('strict mode: each undocumented request produces its violation', () => {
  test.each(UNDOCUMENTED)('$name', async ({ method, path, body, rule, schemaPath, location }) => {
    const { mock, found } = strictMock();
    const { secretToken } = await mock.defaultAccount();
    const tokenPath = path.replace('TOKEN', secretToken);
    const before = await mock.handle(plain(method, tokenPath, body));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ rule, schemaPath, location, method });
    // The request line names the request, with the token redacted.
    expect(found[0]!.request).toContain(new URL(`${BASE}${path}`).pathname);
    expect(found[0]!.request).not.toContain(secretToken);
    expect(mock.violations.all()).toEqual(found);
    // The answer is what the faithful (non-strict) mock gives for the same request.
    const faithful = createTokensMockCore({ seed: 3, clock, rateLimit: false });
    const same = await faithful.handle(plain(method, tokenPath, body));
    expect(before.status).toBe(same.status);
  });

  test('every schema path names a node that exists in the document', () => {
    for (const { schemaPath } of UNDOCUMENTED) {
      const node = schemaPath
        .slice(2)
        .split('/')
        .reduce<any>((at, key) => at?.[key.replace(/~1/g, '/').replace(/~0/g, '~')], openapiDocument);
      expect(node, schemaPath).toBeDefined();
    }
  });
});

/** Every request example of the document (bodies and parameters), as a request. */
function documentedRequests(secretToken: string): Array<{ name: string; method: string; path: string; body?: string }> {
  const requests: Array<{ name: string; method: string; path: string; body?: string }> = [];
  const paths = (openapiDocument as any).paths as Record<string, any>;
  const tokenId = (openapiDocument as any).components.parameters.token_id.examples.reference.value;
  for (const [template, item] of Object.entries(paths)) {
    for (const [method, operation] of Object.entries<any>(item)) {
      if (method === 'parameters') continue;
      const path = template.replace('{username}', 'mockuser').replace('{token_id}', tokenId);
      const query = operation.operationId === 'retrieveToken' ? '' : `?access_token=${secretToken}`;
      const examples = operation.requestBody?.content?.['application/json']?.examples ?? {};
      for (const [name, example] of Object.entries<any>(examples)) {
        requests.push({
          name: `${operation.operationId} example ${name}`,
          method: method.toUpperCase(),
          path: `${path}${query}`,
          body: JSON.stringify(example.value),
        });
      }
      requests.push({
        name: `${operation.operationId} without a body`,
        method: method.toUpperCase(),
        path: `${path}${query || `?access_token=${secretToken}`}`,
      });
    }
  }
  const retrieveExample = (openapiDocument as any).components.parameters.retrieve_access_token.examples['reference-pk'].value;
  requests.push({ name: 'retrieveToken example reference-pk', method: 'GET', path: `/tokens/v2?access_token=${retrieveExample}` });
  requests.push({
    name: 'listTokens with every parameter',
    method: 'GET',
    path: `/tokens/v2/mockuser?access_token=${secretToken}&usage=pk&default=false&sortby=modified&limit=5&start=abc`,
  });
  requests.push({
    name: 'listTokens with the parameters the SDK repeats',
    method: 'GET',
    path: `/tokens/v2/mockuser?access_token=${secretToken}&limit=5&access_token=${secretToken}&limit=5`,
  });
  requests.push({ name: 'CORS preflight', method: 'OPTIONS', path: '/tokens/v2/mockuser' });
  return requests;
}

describe('strict mode: documented requests produce no violation', async () => {
  const { mock, found } = strictMock();
  const { secretToken } = await mock.defaultAccount();
  const requests = documentedRequests(secretToken);

  test('the table holds every request body example of the document', () => {
    expect(requests.filter((request) => request.name.includes(' example ')).length).toBeGreaterThanOrEqual(8);
  });

  test.each(requests)('$name', async ({ method, path, body }) => {
    found.length = 0;
    await mock.handle(plain(method, path, body));
    expect(found).toEqual([]);
  });
});

describe('onViolation', () => {
  const request = () => plain('GET', '/tokens/v2/mockuser?access_token=x&colour=blue');

  test("'error' (the default) rejects with a message naming the request and the schema path, and changes nothing", async () => {
    const mock = createTokensMockCore({ seed: 1, strict: true });
    const { secretToken } = await mock.defaultAccount();
    const before = mock.snapshot();
    await expect(mock.handle(plain('POST', `/tokens/v2/mockuser?access_token=${secretToken}&colour=blue`, '{"note":"n"}'))).rejects.toThrow(
      /POST \/tokens\/v2\/mockuser\?access_token=sk\.…&colour=blue is not described by the API document:\n {2}- query\.colour: unknown query parameter "colour" \(rule unknown-query-parameter, #\/paths\/~1tokens~1v2~1\{username\}\/post\/parameters\)/,
    );
    expect(mock.snapshot().tokens).toEqual(before.tokens);
    await expect(mock.handle(request())).rejects.toMatchObject({
      name: 'StrictModeViolationError',
      violations: [expect.objectContaining({ rule: 'unknown-query-parameter' })],
    });
  });

  test("'warn' prints the violation and answers as the API would", async () => {
    const warnings: unknown[] = [];
    const original = console.warn;
    console.warn = (message: unknown) => warnings.push(message);
    try {
      const mock = createTokensMockCore({ strict: true, onViolation: 'warn' });
      const answer = await mock.handle(request());
      expect(answer.status).toBe(401);
    } finally {
      console.warn = original;
    }
    expect(warnings).toHaveLength(1);
    expect(String(warnings[0])).toContain('#/paths/~1tokens~1v2~1{username}/get/parameters');
  });

  test('without strict, nothing is checked or recorded', async () => {
    const mock = createTokensMockCore();
    expect((await mock.handle(request())).status).toBe(401);
    expect(mock.violations.all()).toEqual([]);
  });
});
