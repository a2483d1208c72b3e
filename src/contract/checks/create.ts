import { expectEqual, expectSameSet, expectTrue } from '../assertions.ts';
import { defineCheck, type ContractCheck } from '../check.ts';
import type { CheckContext } from '../context.ts';
import type { CreatedToken } from '../preconditions.ts';
import { decodeTokenString } from '../token-strings.ts';
import { NOT_OBJECTS } from './expectations.ts';

/** createToken (permanent variant): pk/sk creation, usage from scopes, token strings, body validation. */
export const createChecks: ContractCheck[] = [
  defineCheck({
    id: 'create.public-token',
    description: 'creating with public scopes answers 200 with a pk token: note, scopes, allowedUrls echoed, token string present',
    operation: 'createToken',
    tags: ['scenario'],
    owns: ['pk'],
    documentation:
      'reference: Create a token (response example; 200 per docs/sources.md §2); "The scopes included in the token determine whether the token is public or secret"',
    async run(ctx) {
      const pk = await ctx.use('pk');
      expectCreated(ctx, pk, 'pk');
      expectSameSet(pk.body['allowedUrls'] as unknown[], pk.requested.allowedUrls ?? [], 'created pk allowedUrls');
    },
  }),
  defineCheck({
    id: 'create.secret-token',
    description: 'creating with a secret scope answers 200 with an sk token whose string is shown once',
    operation: 'createToken',
    tags: ['scenario'],
    owns: ['sk'],
    documentation: 'reference: "A public token can only contain public scopes, while a secret token can contain both"',
    async run(ctx) {
      expectCreated(ctx, await ctx.use('sk'), 'sk');
    },
  }),
  defineCheck({
    id: 'create.scopeless-token',
    description: 'a token can be created with no scopes (a pk)',
    operation: 'createToken',
    tags: ['scenario'],
    owns: ['scopeless'],
    documentation: 'reference: "it is possible to create a token with no scopes"',
    async run(ctx) {
      expectCreated(ctx, await ctx.use('scopeless'), 'pk');
    },
  }),
  defineCheck({
    id: 'create.tokens-retrieve-valid',
    description: 'the created pk and sk strings retrieve as TokenValid with the right usage, user and authorization',
    operation: 'retrieveToken',
    tags: ['scenario', 'createToken'],
    conditions: ['token-valid'],
    documentation: 'reference: Retrieve a token, code `TokenValid`, token.usage/user/authorization',
    async run(ctx) {
      for (const name of ['pk', 'sk'] as const) {
        const created = await ctx.use(name);
        const body = ctx.expectRetrieveCode(await ctx.api.retrieve(created.token), 'token-valid');
        expectEqual(
          body.token,
          { usage: name, user: ctx.env.username, authorization: created.id },
          `retrieve of the created ${name} token: token`,
        );
      }
    },
  }),
  defineCheck({
    id: 'create.missing-scope',
    description: 'a token without tokens:write cannot create tokens: 404 Not Found',
    operation: 'createToken',
    conditions: ['missing-scope'],
    documentation:
      'reference errors table: `Not found` 404 "needs ... tokens:write scope (to create, update, or delete)"; observed `Not Found`',
    async run(ctx) {
      const sk = await ctx.use('sk');
      ctx.expectCondition(await ctx.api.create(sk.token, { note: ctx.api.owned.note('refused'), scopes: [] }, 'refused'), 'missing-scope');
    },
  }),
  defineCheck({
    id: 'create.invalid-json',
    description: 'a body that is not JSON is refused with 400',
    operation: 'createToken',
    tags: ['validation'],
    conditions: ['invalid-json'],
    documentation: 'document: invalid-json (mock choice)',
    async run(ctx) {
      ctx.expectCondition(await ctx.api.createRaw(ctx.env.masterToken, '{"scopes": [', 'refused'), 'invalid-json');
    },
  }),
  defineCheck({
    id: 'create.body-not-object',
    description: 'a JSON body that is not an object (an array, string, number, boolean or null) is refused with 422',
    operation: 'createToken',
    tags: ['validation'],
    conditions: ['body-not-object'],
    documentation: 'document: body-not-object (mock choice), its condition names the five kinds of JSON value that are not objects',
    async run(ctx) {
      for (const body of NOT_OBJECTS) {
        ctx.expectCondition(await ctx.api.createRaw(ctx.env.masterToken, JSON.stringify(body), 'refused'), 'body-not-object');
      }
    },
  }),
  bodyCheck(
    'create.unknown-property',
    'a body with an unknown property is refused with 422',
    'unknown-property',
    (ctx) => ({ note: ctx.api.owned.note('refused'), scopes: [], color: 'red' }),
    'document: unknown-property (mock choice)',
  ),
  bodyCheck(
    'create.note-invalid',
    'a note that is not a string is refused with 422',
    'note-invalid',
    () => ({ note: 42, scopes: [] }),
    'document: note-invalid (mock choice)',
  ),
  bodyCheck(
    'create.scopes-invalid',
    'scopes that are not an array of strings are refused: 422 scopes are invalid',
    'scopes-invalid',
    (ctx) => ({ note: ctx.api.owned.note('refused'), scopes: 'styles:read' }),
    'reference errors table: `scopes are invalid` 422',
  ),
  bodyCheck(
    'create.scopes-null',
    'scopes null is refused: 422 scopes are invalid (only an array, possibly empty, is scopes)',
    'scopes-invalid',
    (ctx) => ({ note: ctx.api.owned.note('refused'), scopes: null }),
    'document: CreateTokenRequest `scopes` is an array (not nullable, unlike `note`); reference errors table `scopes are invalid` 422',
  ),
  bodyCheck(
    'create.scopes-unknown',
    'an unknown scope is refused: 422 scopes are invalid',
    'scopes-unknown',
    (ctx) => ({ note: ctx.api.owned.note('refused'), scopes: ['not:a:valid:scope'] }),
    'docs/sources.md §3.2: live SDK test expects `scopes are invalid` for not:a:valid:scope',
  ),
  defineCheck({
    id: 'create.scopes-escalation',
    description: 'a token cannot create a token with a scope it does not hold: 422 scopes are invalid',
    operation: 'createToken',
    tags: ['scenario'],
    conditions: ['scopes-escalation'],
    documentation:
      'reference: "It is not possible to create a token with access to more scopes than the token that created it"; errors table `scopes are invalid` 422',
    async run(ctx) {
      const writer = await ctx.use('writer');
      const { publicScopes } = await ctx.use('account');
      const extra = publicScopes.find((scope) => !writer.requested.scopes.includes(scope));
      if (!extra) return ctx.skip('the master token holds a single public scope');
      const body = { note: ctx.api.owned.note('refused'), scopes: [extra] };
      ctx.expectCondition(await ctx.api.create(writer.token, body, 'refused'), 'scopes-escalation');
    },
  }),
  bodyCheck(
    'create.allowed-urls-invalid',
    'an empty allowed URL is refused with 422',
    'allowed-urls-invalid',
    (ctx) => ({ note: ctx.api.owned.note('refused'), scopes: [], allowedUrls: [''] }),
    'document: allowed-urls-invalid (mock choice message)',
  ),
  bodyCheck(
    'create.allowed-urls-too-many',
    'more than 100 allowed URLs are refused with 422',
    'allowed-urls-too-many',
    (ctx) => ({
      note: ctx.api.owned.note('refused'),
      scopes: [],
      allowedUrls: Array.from({ length: 101 }, (_, index) => `https://u${index}.example.com`),
    }),
    'reference: "Each token is limited to 100 allowed URLs" (message: mock choice)',
  ),
  bodyCheck(
    'create.resources-invalid',
    'an empty resources list is refused: 422 resources are invalid',
    'resources-invalid',
    (ctx) => ({ note: ctx.api.owned.note('refused'), scopes: [], resources: [] }),
    'reference errors table: `resources are invalid` 422 "malformed, empty, or require higher permissions"',
  ),
];

function bodyCheck(
  id: string,
  description: string,
  condition: string,
  body: (ctx: CheckContext) => unknown,
  documentation: string,
): ContractCheck {
  return defineCheck({
    id,
    description,
    operation: 'createToken',
    tags: ['validation'],
    conditions: [condition],
    documentation,
    async run(ctx) {
      ctx.expectCondition(await ctx.api.create(ctx.env.masterToken, body(ctx), 'refused'), condition);
    },
  });
}

function expectCreated(ctx: CheckContext, created: CreatedToken, usage: 'pk' | 'sk'): void {
  ctx.expectSuccess(created.response, 200, 'CreatedTokenMetadata');
  const what = `created ${created.label} token`;
  expectEqual(created.body['usage'], usage, `${what} usage`);
  expectEqual(created.body['note'], created.requested.note, `${what} note`);
  expectSameSet(created.body['scopes'] as unknown[], created.requested.scopes, `${what} scopes`);
  expectEqual(created.body['default'], false, `${what} default`);
  expectEqual(created.body['client'], 'api', `${what} client`);
  expectTrue(created.token.startsWith(`${usage}.`), `${what}: token string does not start with ${usage}.`);
  const decoded = decodeTokenString(created.token);
  expectTrue(decoded !== undefined, `${what}: token payload is not base64url JSON`);
  expectEqual(
    { u: decoded!.claims['u'], a: decoded!.claims['a'] },
    { u: ctx.env.username, a: created.id },
    `${what}: payload claims u and a`,
  );
}
