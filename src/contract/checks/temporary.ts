import { expectEqual, expectSameSet, expectTrue } from '../assertions.ts';
import { defineCheck, type ContractCheck } from '../check.ts';
import type { CheckContext } from '../context.ts';
import { serverTimeAfter } from '../server-clock.ts';
import { decodeTokenString } from '../token-strings.ts';
import { operationPath } from '../../generated/api-tables.ts';

const MINUTE_MS = 60_000;

/** createToken (temporary variant, body with `expires`): tk creation, lifetime rules, tk-from-tk cap, expiry. */
export const temporaryChecks: ContractCheck[] = [
  defineCheck({
    id: 'temporary.create',
    description: 'a body with expires creates a tk carrying user, scopes and expiry, which retrieves as TokenValid',
    operation: 'createToken',
    tags: ['temporary', 'scenario', 'retrieveToken'],
    conditions: ['token-valid'],
    owns: ['tk'],
    documentation:
      'reference: Create a temporary token (response `token`; docs/sources.md §9 timing fields) and Retrieve a token (tk fields)',
    async run(ctx) {
      const tk = await ctx.use('tk');
      ctx.expectSuccess(tk.response, 200, 'TemporaryToken');
      expectTrue(tk.token.startsWith('tk.'), 'the temporary token string does not start with tk.');
      const decoded = decodeTokenString(tk.token);
      expectTrue(decoded !== undefined, 'the temporary token payload is not base64url JSON');
      const claims = decoded!.claims;
      const expectedExp = Math.floor(Date.parse(tk.requested.expires) / 1000);
      expectEqual(claims['u'], ctx.env.username, 'tk payload u');
      expectEqual(claims['exp'], expectedExp, 'tk payload exp (whole seconds of the requested expires)');
      expectSameSet(claims['scopes'] as unknown[], tk.requested.scopes, 'tk payload scopes');
      const body = ctx.expectRetrieveCode(await ctx.api.retrieve(tk.token), 'token-valid');
      const token = body.token ?? {};
      expectEqual(token['usage'], 'tk', 'retrieved tk usage');
      expectEqual(token['user'], ctx.env.username, 'retrieved tk user');
      expectEqual(token['client'], 'api', 'retrieved tk client');
      expectSameSet(token['scopes'] as unknown[], tk.requested.scopes, 'retrieved tk scopes');
      expectEqual(Date.parse(String(token['expires'])), expectedExp * 1000, 'retrieved tk expires');
      // token.created: "The creation time of the token" (its iat).
      expectEqual(Date.parse(String(token['created'])), Number(claims['iat']) * 1000, 'retrieved tk created (the payload iat)');
    },
  }),
  defineCheck({
    id: 'temporary.from-temporary',
    description: 'a tk with tokens:write can create a tk expiring no later than itself',
    operation: 'createToken',
    tags: ['temporary', 'scenario'],
    documentation:
      'reference: "You can also create a temporary token using another temporary token as long as the authorizing token has tokens:write"',
    async run(ctx) {
      const tk = await ctx.use('tk');
      const { publicScopes } = await ctx.use('account');
      const expires = serverTimeAfter(ctx.env, 5 * MINUTE_MS);
      const response = await ctx.api.create(tk.token, { expires, scopes: [publicScopes[0]!] }, 'temporary child');
      const body = ctx.expectSuccess(response, 200, 'TemporaryToken') as { token: string };
      const claims = decodeTokenString(body.token)?.claims;
      expectEqual(claims?.['exp'], Math.floor(Date.parse(expires) / 1000), 'child tk payload exp');
    },
  }),
  temporaryError(
    'temporary.expires-after-parent',
    'a tk cannot create a tk outliving it: 422',
    'expires-after-parent',
    20 * MINUTE_MS,
    'tk',
    'reference errors table: `expires may not be greater than the expiration of the authorizing token` 422',
  ),
  temporaryError(
    'temporary.expires-in-past',
    'expires in the past is refused: 422 expires is in the past',
    'expires-in-past',
    -MINUTE_MS,
    'master',
    'reference errors table: `expires is in the past` 422',
  ),
  temporaryError(
    'temporary.expires-too-far',
    'expires more than an hour ahead is refused: 422',
    'expires-too-far',
    2 * 60 * MINUTE_MS,
    'master',
    'reference errors table: `expires is more than one hour in the future` 422',
  ),
  defineCheck({
    id: 'temporary.expires-invalid',
    description: 'expires that is not a date-time string (a phrase, a number that reads as a year) is refused with 422',
    operation: 'createToken',
    tags: ['temporary', 'validation'],
    conditions: ['expires-invalid'],
    documentation: 'document: expires-invalid (mock choice); CreateTemporaryTokenRequest `expires` is a date-time string',
    async run(ctx) {
      const { publicScopes } = await ctx.use('account');
      // 2030 is no string, though a lenient date parser reads it as a year.
      for (const expires of ['next tuesday', 2030]) {
        const body = { expires, scopes: [publicScopes[0]!] };
        ctx.expectCondition(await ctx.api.create(ctx.env.masterToken, body, 'refused'), 'expires-invalid');
      }
    },
  }),
  temporaryError(
    'temporary.allowed-urls-refused',
    'a temporary token cannot have allowed URLs: 422',
    'allowed-urls-on-temporary',
    5 * MINUTE_MS,
    'master',
    'reference: "Temporary tokens cannot have allowed URLs" (message: mock choice)',
    { allowedUrls: ['https://example.com'] },
  ),
  temporaryError(
    'temporary.unknown-property',
    'a temporary-token body with a property the operation does not know is refused with 422',
    'unknown-property',
    5 * MINUTE_MS,
    'master',
    'decision request-bodies: a body "has a property the operation does not know, is 422" (every operation, the temporary variant of create too)',
    { color: 'red' },
  ),
  defineCheck({
    id: 'temporary.invalid-fields',
    description: 'a temporary-token body whose scopes is not an array (null) or whose note is not a string (42) is refused with 422',
    operation: 'createToken',
    tags: ['temporary', 'validation'],
    conditions: ['scopes-invalid', 'note-invalid'],
    documentation:
      'decision temporary-scopes-required ("must hold `scopes` (an array, possibly empty)"); document: CreateTemporaryTokenRequest `note` is a string or null (accepted and ignored, decision temporary-note)',
    async run(ctx) {
      const { publicScopes } = await ctx.use('account');
      const expires = serverTimeAfter(ctx.env, 5 * MINUTE_MS);
      ctx.expectCondition(await ctx.api.create(ctx.env.masterToken, { expires, scopes: null }, 'refused'), 'scopes-invalid');
      ctx.expectCondition(
        await ctx.api.create(ctx.env.masterToken, { expires, scopes: [publicScopes[0]!], note: 42 }, 'refused'),
        'note-invalid',
      );
    },
  }),
  defineCheck({
    id: 'temporary.tutorial-commands',
    description:
      "the tutorial's temporary-token commands work as written: a JSON body sent as curl -d sends it (form content type), with and without a note",
    operation: 'createToken',
    tags: ['temporary', 'scenario'],
    documentation:
      'tutorial: `curl -X POST -d \'{"expires": …, "scopes": […]}\'` (no Content-Type: curl sends application/x-www-form-urlencoded) and the variant with "note"; decisions request-bodies, temporary-note',
    async run(ctx) {
      const { publicScopes } = await ctx.use('account');
      for (const note of [undefined, 'Uploads temp token']) {
        const body = {
          ...(note === undefined ? {} : { note }),
          expires: serverTimeAfter(ctx.env, 5 * MINUTE_MS),
          scopes: [publicScopes[0]!],
        };
        ctx.api.owned.createAttempts += 1;
        const response = await ctx.api.call({
          method: 'POST',
          path: operationPath('createToken', { username: ctx.env.username }),
          token: ctx.env.masterToken,
          rawBody: JSON.stringify(body),
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          label: 'temporary',
        });
        ctx.api.registerCreated(response, 'tutorial');
        const created = ctx.expectSuccess(response, 200, 'TemporaryToken') as { token: string };
        expectTrue(
          created.token.startsWith('tk.'),
          `${ctx.describe(response)}: the tutorial's command${note ? ' with a note' : ''} did not create a tk`,
        );
      }
    },
  }),
];

/**
 * A check that a temporary-token body, `expires` `offsetMs` after the server's now and one public
 * scope (with `extra` added), authorized by the master token or a tk, is refused with `condition`.
 */
function temporaryError(
  id: string,
  description: string,
  condition: string,
  offsetMs: number,
  authorizer: 'master' | 'tk',
  documentation: string,
  extra: Record<string, unknown> = {},
): ContractCheck {
  return defineCheck({
    id,
    description,
    operation: 'createToken',
    tags: ['temporary', authorizer === 'tk' ? 'scenario' : 'validation'],
    conditions: [condition],
    documentation,
    async run(ctx: CheckContext) {
      const { publicScopes } = await ctx.use('account');
      const token = authorizer === 'tk' ? (await ctx.use('tk')).token : ctx.env.masterToken;
      const body = { expires: serverTimeAfter(ctx.env, offsetMs), scopes: [publicScopes[0]!], ...extra };
      ctx.expectCondition(await ctx.api.create(token, body, 'refused'), condition);
    },
  });
}
