// Every example printed in the source documents (the current reference, the SDK docs page, the
// tutorial's request and response bodies, the timing-field temporary-token response of docs/sources.md §9)
// appears as an example in the document, at the place it belongs. The examples are copied here as
// text; the test never reads the source documents.
import { describe, expect, it } from 'vitest';
import { loadDocument } from '../../scripts/build-openapi.ts';
import { collectExamples, containsValue, jsonExampleSegments, setIn, type DocumentExample } from './helpers.ts';

interface SourceExample {
  source: 'reference' | 'SDK docs' | 'tutorial' | 'docs/sources.md';
  what: string;
  /** `schema <Name>` or `<operationId> request` or `<operationId> response <status>`. */
  place: string;
  json: string;
}

const pkToken = 'pk.eyJ1Ijoic2NvdGhpcyIsImEiOiJjaWp1Y2ltYmUwMDBicmJrdDQ4ZDBkaGN4In0.sbihZCZJ56-fsFNKHXF8YQ';
const tkToken =
  'tk.eyJ1IjoibWFwYm94IiwiZXhwIjoxNDczOTY3NjczLCJpYXQiOjE0NzM5Njc2NDMsInNjb3BlcyI6WyJzdHlsZXM6cmVhZCIsImZvbnRzOnJlYWQiXSwiY2xpZW50IjoiYXBpIn0.ZepsWvpjTMlpePE4IQBs0g';

/** Examples the reference and the SDK docs page print identically; each source still gets its own entry. */
const printedByBothSources: Omit<SourceExample, 'source'>[] = [
  {
    what: 'create temporary token request body',
    place: 'createToken request',
    json: '{ "expires": "2016-09-15T19:27:53.000Z", "scopes": ["styles:read", "fonts:read"] }',
  },
  { what: 'create temporary token response', place: 'createToken response 200', json: `{ "token": "${tkToken}" }` },
  {
    what: 'retrieve response for a public token',
    place: 'retrieveToken response 200',
    json: '{ "code": "TokenValid", "token": { "usage": "pk", "user": "mapbox", "authorization": "cijucimbe000brbkt48d0dhcx" } }',
  },
  {
    what: 'retrieve response for a temporary token',
    place: 'retrieveToken response 200',
    json: `{
"code": "TokenExpired", "token": { "usage": "tk", "user": "mapbox", "expires": "2016-09-15T19:27:53.000Z",
"created": "2016-09-15T19:27:23.000Z", "scopes": ["styles:read", "fonts:read"], "client": "api" } }`,
  },
  {
    what: 'list scopes response (truncated)',
    place: 'listScopes response 200',
    json: `[
{ "id": "scopes:list", "description": "List all available scopes." },
{ "id": "styles:read", "public": true, "description": "Read styles." } ]`,
  },
];

function printedByBoth(source: 'reference' | 'SDK docs'): SourceExample[] {
  return printedByBothSources.map((example) => ({ source, ...example }));
}

const sourceExamples: SourceExample[] = [
  // --- the current reference
  {
    source: 'reference',
    what: 'token metadata object',
    place: 'schema TokenMetadata',
    json: `{
"id": "cijucimbe000brbkt48d0dhcx", "usage": "pk", "client": "api", "default": false, "note": "My website",
"scopes": ["styles:read", "fonts:read"], "created": "2018-01-25T19:07:07.621Z", "modified": "2018-01-26T00:39:57.941Z",
"allowedUrls": ["https://docs.mapbox.com"], "token": "${pkToken}" }`,
  },
  {
    source: 'reference',
    what: 'list tokens response',
    place: 'listTokens response 200',
    json: `[
{ "client": "api", "note": "a public token", "usage": "pk", "id": "cijucimbe000brbkt48d0dhcx", "default": false,
  "scopes": ["styles:read", "fonts:read"], "allowedUrls": ["https://docs.mapbox.com", "https://account.mapbox.com"],
  "created": "2016-01-25T19:07:07.621Z", "modified": "2016-01-26T00:39:57.941Z", "token": "${pkToken}" },
{ "client": "api", "note": "a secret token", "usage": "sk", "id": "juorumy001cutm5r4fl2y1b", "default": false,
  "scopes": ["styles:list"], "created": "2016-01-26T00:50:13.701Z", "modified": "2016-01-26T00:50:13.701Z" } ]`,
  },
  {
    source: 'reference',
    what: 'create token curl body',
    place: 'createToken request',
    json: '{"note": "My top secret project","scopes": ["styles:read", "fonts:read"], "allowedUrls": ["https://docs.mapbox.com"]}',
  },
  {
    source: 'reference',
    what: 'create token response',
    place: 'createToken response 200',
    json: `{
"client": "api", "note": "My top secret project", "usage": "pk", "id": "cijucimbe000brbkt48d0dhcx", "default": false,
"scopes": ["styles:read", "fonts:read"], "created": "2016-01-25T19:07:07.621Z", "modified": "2016-01-25T19:07:07.621Z",
"allowedUrls": ["https://docs.mapbox.com"], "token": "${pkToken}" }`,
  },
  {
    source: 'reference',
    what: 'create temporary token curl body',
    place: 'createToken request',
    json: '{"expires": "2024-10-04T17:09:19.941Z","scopes": ["styles:read", "fonts:read"]}',
  },
  {
    source: 'reference',
    what: 'update token curl body',
    place: 'updateToken request',
    json: '{"scopes": ["styles:read", "fonts:read"], "allowedUrls": ["https://docs.mapbox.com"]}',
  },
  {
    source: 'reference',
    what: 'update token response',
    place: 'updateToken response 200',
    json: `{
"client": "api", "note": "My top secret project", "usage": "pk", "id": "cijucimbe000brbkt48d0dhcx", "default": false,
"scopes": ["styles:tiles", "styles:read", "fonts:read"], "allowedUrls": ["https://docs.mapbox.com"],
"created": "2016-01-25T19:07:07.621Z", "modified": "2016-01-25T19:07:07.621Z", "token": "${pkToken}" }`,
  },
  ...printedByBoth('reference'),
  // --- the SDK docs page
  {
    source: 'SDK docs',
    what: 'token metadata object',
    place: 'schema TokenMetadata',
    json: `{
"id": "cijucimbe000brbkt48d0dhcx", "usage": "pk", "client": "api", "default": false, "note": "My website",
"scopes": ["styles:read", "fonts:read"], "created": "2016-01-25T19:07:07.621Z", "modified": "2016-01-26T00:39:57.941Z",
"token": "${pkToken}" }`,
  },
  {
    source: 'SDK docs',
    what: 'list tokens response',
    place: 'listTokens response 200',
    json: `[
{ "client": "api", "note": "a public token", "usage": "pk", "id": "cijucimbe000brbkt48d0dhcx", "default": false,
  "scopes": ["styles:read", "fonts:read"], "created": "2016-01-25T19:07:07.621Z", "modified":"2016-01-26T00:39:57.941Z",
  "token": "${pkToken}" },
{ "client": "api", "note": "a secret token", "usage": "sk", "id": "cijuorumy001cutm5r4fl2y1b", "default": false,
  "scopes": ["styles:list"], "created": "2016-01-26T00:50:13.701Z", "modified": "2016-01-26T00:50:13.701Z" } ]`,
  },
  {
    source: 'SDK docs',
    what: 'create token request body',
    place: 'createToken request',
    json: '{ "scopes": ["styles:read", "fonts:read"], "note": "My top secret project" }',
  },
  {
    source: 'SDK docs',
    what: 'createToken JavaScript example body',
    place: 'createToken request',
    json: '{ "note": "datasets-token", "scopes": ["datasets:write", "datasets:read"] }',
  },
  {
    source: 'SDK docs',
    what: 'create token response',
    place: 'createToken response 200',
    json: `{
"client": "api", "note": "My top secret project", "usage": "pk", "id": "cijucimbe000brbkt48d0dhcx", "default": false,
"scopes": ["styles:read", "fonts:read"], "created": "2016-01-25T19:07:07.621Z", "modified":"2016-01-25T19:07:07.621Z",
"token": "${pkToken}" }`,
  },
  {
    source: 'SDK docs',
    what: 'update token request body',
    place: 'updateToken request',
    json: '{ "scopes": ["styles:tiles", "styles:read", "fonts:read"] }',
  },
  {
    source: 'SDK docs',
    what: 'updateToken JavaScript example body',
    place: 'updateToken request',
    json: '{ "note": "datasets-token", "scopes": ["datasets:write", "datasets:read"] }',
  },
  {
    source: 'SDK docs',
    what: 'update token response',
    place: 'updateToken response 200',
    json: `{
"client": "api", "note": "My top secret project", "usage": "pk", "id": "cijucimbe000brbkt48d0dhcx", "default": false,
"scopes": ["styles:tiles", "styles:read", "fonts:read"], "created": "2016-01-25T19:07:07.621Z",
"modified":"2016-01-25T19:07:07.621Z", "token": "${pkToken}" }`,
  },
  ...printedByBoth('SDK docs'),
  // --- the tutorial
  {
    source: 'tutorial',
    what: 'permanent token curl body',
    place: 'createToken request',
    json: '{"note": "{token_name}","scopes": ["styles:read", "fonts:read"]}',
  },
  {
    source: 'tutorial',
    what: 'uploads token curl body',
    place: 'createToken request',
    json: '{"note": "Uploads token","scopes": ["styles:tiles", "styles:read", "fonts:read", "datasets:read", "uploads:read", "uploads:write", "uploads:list"]}',
  },
  {
    source: 'tutorial',
    what: 'uploads token response',
    place: 'createToken response 200',
    json: '{"client":"api","note":"Uploads token","usage":"sk","id":"cjo6jcmxn0l3x3vqmdr4epqk8","default":false,"scopes":["styles:tiles","styles:read","fonts:read","datasets:read","uploads:read","uploads:write","uploads:list"],"created":"2018-11-07T02:19:53.538Z","modified":"2018-11-07T02:19:53.538Z","token":"{new_access_token}"}',
  },
  {
    source: 'tutorial',
    what: 'temporary token curl body',
    place: 'createToken request',
    json: '{"expires": "2018-11-18T06:30:00Z","scopes": ["styles:read", "fonts:read", "uploads:read", "uploads:write", "uploads:list"]}',
  },
  {
    source: 'tutorial',
    what: 'temporary uploads token curl body (with a note)',
    place: 'createToken request',
    json: '{"note": "Uploads temp token", "expires": "2018-11-18T06:30:00Z", "scopes": ["styles:tiles", "styles:read", "fonts:read", "datasets:read", "uploads:read", "uploads:write", "uploads:list"]}',
  },
  {
    source: 'tutorial',
    what: 'temporary token response',
    place: 'createToken response 200',
    json: '{\n  "token": "{new_temporary_token}"\n\n}',
  },
  // --- docs/sources.md §9: the current docs' temporary-token response with timing fields
  {
    source: 'docs/sources.md',
    what: 'temporary token response with timing fields',
    place: 'createToken response 200',
    json: `{"token":"${tkToken}","issued_at":"2016-09-15T18:27:53.000Z","expires":"2016-09-15T19:27:53.000Z","expires_in":3600}`,
  },
];

function placeOf(example: DocumentExample): string {
  return example.operationId === undefined ? example.place : `${example.operationId} ${example.place}`;
}

function missingExamples(expected: SourceExample[], examples: DocumentExample[]): string[] {
  return expected
    .filter(
      (source) =>
        !containsValue(
          examples.filter((example) => placeOf(example) === source.place).map((example) => example.value),
          JSON.parse(source.json),
        ),
    )
    .map((source) => `${source.source}: ${source.what}`);
}

const document = await loadDocument();
const examples = collectExamples(document);

describe('examples from the source documents', () => {
  it('are all present in the document, at their place', () => {
    expect(missingExamples(sourceExamples, examples)).toEqual([]);
  });

  it('name their source in x-source where they are named examples', () => {
    for (const source of sourceExamples) {
      const value: unknown = JSON.parse(source.json);
      const matches = examples.filter((example) => placeOf(example) === source.place && containsValue([example.value], value));
      const named = matches.filter((example) => example.meta !== undefined);
      // Schema-level examples are plain values; every other place holds named examples.
      if (!source.place.startsWith('schema ')) expect(named.length, `${source.source}: ${source.what}`).toBeGreaterThan(0);
      for (const example of named) {
        expect(String(example.meta!['x-source']), `${source.source}: ${source.what}`).toContain(source.source);
      }
    }
  });

  it('notices an example that was altered (the check can fail)', () => {
    const altered = structuredClone(document);
    setIn(altered, jsonExampleSegments('/tokens/v2/{username}', 'get', 'response 200', 'reference', 1, 'id'), 'cijuorumy001cutm5r4fl2y1b');
    expect(missingExamples(sourceExamples, collectExamples(altered))).toEqual(['reference: list tokens response']);
  });
});
