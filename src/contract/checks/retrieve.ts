import { expectEqual, expectTrue } from '../assertions.ts';
import { defineCheck, type ContractCheck } from '../check.ts';
import { forgeSignature } from '../token-strings.ts';

/** retrieveToken: always 200 with a code, in the documented cases. */
export const retrieveChecks: ContractCheck[] = [
  defineCheck({
    id: 'retrieve.master-token',
    description: 'the given token retrieves as TokenValid for the given username',
    operation: 'retrieveToken',
    tags: ['scenario'],
    conditions: ['token-valid'],
    documentation: 'reference: Retrieve a token, code `TokenValid`',
    async run(ctx) {
      const body = ctx.expectRetrieveCode(await ctx.api.retrieve(ctx.env.masterToken), 'token-valid');
      expectEqual(body.token?.['user'], ctx.env.username, 'retrieved user of the given token');
    },
  }),
  defineCheck({
    id: 'retrieve.access-token-required',
    description: 'GET /tokens/v2 without access_token, or with an empty one, answers 422 access token is required',
    operation: 'retrieveToken',
    conditions: ['access-token-required'],
    documentation: 'reference errors table: `access token is required` 422; decision missing-token-status ("missing or empty")',
    async run(ctx) {
      ctx.expectCondition(await ctx.api.retrieve(undefined), 'access-token-required');
      ctx.expectCondition(await ctx.api.retrieve(''), 'access-token-required');
    },
  }),
  defineCheck({
    id: 'retrieve.malformed',
    description: 'strings that are not three dot-separated parts retrieve as TokenMalformed without token',
    operation: 'retrieveToken',
    conditions: ['token-malformed'],
    documentation: 'reference: code `TokenMalformed` "The token cannot be parsed"',
    async run(ctx) {
      // Not three parts, an empty part, an unknown prefix (decision retrieve-codes).
      for (const garbage of [
        'garbage',
        'pk.only-two-parts',
        'pk..AAAAAAAAAAAAAAAAAAAAAA',
        `xx.${base64UrlJson({ u: 'a', a: 'b' })}.AAAAAAAAAAAAAAAAAAAAAA`,
      ]) {
        const body = ctx.expectRetrieveCode(await ctx.api.retrieve(garbage), 'token-malformed');
        expectTrue(body.token === undefined, `retrieve of ${JSON.stringify(garbage)} returned a token object`);
      }
    },
  }),
  defineCheck({
    id: 'retrieve.forged-signature',
    description: 'a created token with a forged signature, and pk.abc.123, retrieve as TokenInvalid',
    operation: 'retrieveToken',
    tags: ['scenario'],
    conditions: ['token-invalid'],
    documentation:
      'reference: code `TokenInvalid` "The signature for the token does not validate"; docs/sources.md §2: pk.abc.123 reads TokenInvalid live',
    async run(ctx) {
      const pk = await ctx.use('pk');
      const body = ctx.expectRetrieveCode(await ctx.api.retrieve(forgeSignature(pk.token)), 'token-invalid');
      // "token holds the decoded claims when the payload decodes" (decision retrieve-codes).
      expectEqual(body.token?.['authorization'], pk.id, 'claims of the forged token');
      ctx.expectRetrieveCode(await ctx.api.retrieve('pk.abc.123'), 'token-invalid');
    },
  }),
  defineCheck({
    id: 'retrieve.forged-undecodable-claims',
    description:
      'a bad signature over a payload that is no claims object (an array, null, u not a string, no a, a tk exp not whole seconds or beyond any date, scopes not all strings, client not api) or is not unpadded base64url of UTF-8 JSON (padded, a space inside, a byte that is not UTF-8) retrieves as TokenInvalid without token',
    operation: 'retrieveToken',
    conditions: ['token-invalid'],
    documentation:
      'decision retrieve-codes: "a bad signature is TokenInvalid (`token` holds the decoded claims when the payload decodes)"; decision token-format (the claims of pk/sk and tk)',
    async run(ctx) {
      const tk = { u: ctx.env.username, exp: 2_000_000_000, iat: 1_900_000_000, scopes: ['styles:read'], client: 'api' };
      const payloads: [string, unknown][] = [
        ['pk', [1]],
        ['sk', null],
        ['pk', { u: 5, a: 'x' }],
        ['sk', { u: ctx.env.username }],
        ['tk', { ...tk, exp: 1.5 }],
        ['tk', { ...tk, iat: 'now' }],
        ['tk', { ...tk, scopes: 'styles:read' }],
        ['tk', { ...tk, scopes: [1] }],
        ['tk', { ...tk, scopes: ['styles:read', 1] }],
        ['tk', { ...tk, exp: 1e15 }],
        ['tk', { ...tk, client: 'web' }],
      ];
      for (const [usage, claims] of payloads) {
        const body = ctx.expectRetrieveCode(
          await ctx.api.retrieve(`${usage}.${base64UrlJson(claims)}.AAAAAAAAAAAAAAAAAAAAAA`),
          'token-invalid',
        );
        expectTrue(body.token === undefined, `retrieve of a forged ${usage} over ${JSON.stringify(claims)} returned a token object`, {
          actual: body.token,
        });
      }
      // A valid claims object whose payload is not unpadded base64url, though a lenient base64
      // decoder reads it: padded (the JSON is given trailing spaces so that it needs `==`), or with
      // a space inside.
      const json = JSON.stringify(tk);
      const unpadded = base64UrlText(json + ' '.repeat((1 - (new TextEncoder().encode(json).length % 3) + 3) % 3));
      // JSON is UTF-8 text: a payload whose bytes are not UTF-8 (0xff inside the user name) holds no JSON.
      const notUtf8 = Buffer.concat([Buffer.from('{"u":"', 'utf8'), Buffer.from([0xff]), Buffer.from('","a":"x"}', 'utf8')]).toString(
        'base64url',
      );
      const raw: [string, string][] = [
        ['tk', `${unpadded}==`],
        ['tk', `${unpadded.slice(0, 8)} ${unpadded.slice(8)}`],
        ['pk', notUtf8],
      ];
      for (const [usage, payload] of raw) {
        const body = ctx.expectRetrieveCode(await ctx.api.retrieve(`${usage}.${payload}.AAAAAAAAAAAAAAAAAAAAAA`), 'token-invalid');
        expectTrue(
          body.token === undefined,
          `retrieve of a forged ${usage} whose payload ${JSON.stringify(payload)} is not unpadded base64url of UTF-8 JSON returned a token object`,
          { actual: body.token },
        );
      }
      const decodable = ctx.expectRetrieveCode(await ctx.api.retrieve(`tk.${base64UrlJson(tk)}.AAAAAAAAAAAAAAAAAAAAAA`), 'token-invalid');
      expectEqual(decodable.token?.['usage'], 'tk', 'usage in the claims of a forged tk whose payload decodes');
    },
  }),
  defineCheck({
    id: 'retrieve.token-expired',
    description: 'a temporary token retrieves as TokenExpired once it has really expired',
    operation: 'retrieveToken',
    tags: ['temporary', 'scenario', 'expiry'],
    conditions: ['token-expired'],
    concurrent: true,
    owns: ['expiredTk'],
    documentation: 'reference: code `TokenExpired` "The token was temporary and has expired"',
    async run(ctx) {
      const expired = await ctx.use('expiredTk');
      const body = ctx.expectRetrieveCode(await ctx.api.retrieve(expired.token), 'token-expired');
      expectEqual(body.token?.['usage'], 'tk', 'expired token usage');
      expectEqual(body.token?.['user'], ctx.env.username, 'expired token user');
    },
  }),
];

function base64UrlJson(value: unknown): string {
  return base64UrlText(JSON.stringify(value));
}

function base64UrlText(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}
