// Every example in the document validates against its schema with Ajv (JSON Schema 2020-12 + formats),
// and the validator catches a broken example.
import { describe, expect, it } from 'vitest';
import { loadDocument, type JsonObject } from '../../scripts/build-openapi.ts';
import { collectExamples, jsonExampleSegments, setIn, validateExamples } from './helpers.ts';

const document = await loadDocument();
const examples = collectExamples(document);

describe('examples in the document', () => {
  it('finds schema-level, media-type (request and response), parameter and header examples', () => {
    const places = new Set(examples.map((example) => example.place.split(' ')[0]));
    expect([...places].sort()).toEqual(['header', 'parameter', 'request', 'response', 'schema']);
    // Named examples are reached through $refs too (the shared 401 examples on every account route).
    expect(examples.filter((example) => example.key === 'missing-token').map((example) => example.operationId)).toEqual([
      'listTokens',
      'createToken',
      'updateToken',
      'deleteToken',
      'listScopes',
    ]);
    expect(examples.length).toBeGreaterThan(150);
  });

  it('every example validates against its schema', () => {
    expect(validateExamples(document, examples)).toEqual([]);
  });

  it('reports a broken media-type example (an unknown usage in the reference list)', () => {
    const broken = structuredClone(document);
    setIn(broken, jsonExampleSegments('/tokens/v2/{username}', 'get', 'response 200', 'reference', 0, 'usage'), 'xk');
    const failures = validateExamples(broken);
    expect(failures.map((failure) => failure.location)).toEqual(['listTokens response 200 example reference']);
    expect(failures[0]!.errors).toContain('/0/usage');
  });

  it('reports a listed sk token that carries its secret string', () => {
    const broken = structuredClone(document);
    setIn(broken, jsonExampleSegments('/tokens/v2/{username}', 'get', 'response 200', 'sdk-docs', 1, 'token'), 'sk.secret.x');
    expect(validateExamples(broken).map((failure) => failure.location)).toEqual(['listTokens response 200 example sdk-docs']);
  });

  it('reports a broken schema-level example, a broken shared example and a malformed date-time', () => {
    const broken = structuredClone(document) as JsonObject;
    setIn(broken, ['components', 'schemas', 'TokenMetadata', 'examples', 1, 'client'], 'web');
    setIn(broken, ['components', 'examples', 'no-such-user', 'value'], { message: 'No such user', extra: true });
    setIn(broken, ['components', 'schemas', 'TemporaryTokenClaims', 'examples', 0, 'expires'], 'yesterday');
    const locations = validateExamples(broken).map((failure) => failure.location);
    expect(locations).toContain('schema TokenMetadata example 2');
    expect(locations).toContain('schema TemporaryTokenClaims example 1');
    expect(locations.filter((location) => location.endsWith('example no-such-user'))).toHaveLength(5);
  });

  it('reports a create request body that mixes the two shapes', () => {
    const broken = structuredClone(document);
    setIn(broken, jsonExampleSegments('/tokens/v2/{username}', 'post', 'request', 'reference-temporary', 'allowedUrls'), [
      'https://docs.mapbox.com',
    ]);
    expect(validateExamples(broken).map((failure) => failure.location)).toEqual(['createToken request example reference-temporary']);
  });
});
