import { expectEqual, expectTrue } from '../assertions.ts';
import { defineCheck, type ContractCheck } from '../check.ts';
import { operationPath } from '../../generated/api-tables.ts';
import { SERVER_TIME_TOLERANCE_MS } from '../server-clock.ts';
import { createOwned, expectSignatureShape, findListed, NOT_OBJECTS, sortedMembers, type Item } from './expectations.ts';

const FIELDS = ['note', 'scopes', 'allowedUrls'] as const;
/** Fields every metadata answer repeats and no PATCH may change. */
const FIXED = ['id', 'usage', 'client', 'default', 'created'] as const;

/** What create stores and what each PATCH changes, and what it must leave as it was. */
export const fieldFateChecks: ContractCheck[] = [
  defineCheck({
    id: 'fates.patch-subsets',
    description:
      'every subset of note, scopes and allowedUrls a PATCH sends changes exactly those fields; an empty body changes nothing; id, usage, client, default and created never change, modified never goes back',
    operation: 'updateToken',
    tags: ['scenario', 'fates'],
    documentation:
      'reference: "Update the note, the scopes, the allowedUrls, or all three", "one or both of the following properties"; decision request-bodies (an empty body counts as {})',
    async run(ctx) {
      const { publicScopes } = await ctx.use('account');
      const p0 = publicScopes[0]!;
      const created = await createOwned(ctx, 'fates', { scopes: ['tokens:read', p0], allowedUrls: ['https://a.example.com'] });
      const id = String(created['id']);
      let state: Item = created;
      const subsets = [
        ['note'],
        ['scopes'],
        ['allowedUrls'],
        ['note', 'scopes'],
        ['note', 'allowedUrls'],
        ['scopes', 'allowedUrls'],
        ['note', 'scopes', 'allowedUrls'],
      ] as const;
      const scopeValues = [[p0], ['tokens:read'], ['tokens:read', p0]];
      for (const [index, subset] of subsets.entries()) {
        const body: Record<string, unknown> = {};
        if (subset.includes('note' as never)) body['note'] = ctx.api.owned.note(`fates ${index}`);
        if (subset.includes('scopes' as never)) body['scopes'] = scopeValues[index % scopeValues.length];
        if (subset.includes('allowedUrls' as never))
          body['allowedUrls'] = [`https://s${index}.example.com`, `https://t${index}.example.com`];
        const next = ctx.expectSuccess(await ctx.api.update(ctx.env.masterToken, id, body), 200, 'StoredTokenMetadata') as Item;
        expectFate(state, next, body, `PATCH of ${subset.join(' + ')}`);
        state = next;
      }
      const empty = await ctx.api.call({
        method: 'PATCH',
        path: operationPath('updateToken', { username: ctx.env.username, token_id: id }),
        token: ctx.env.masterToken,
        rawBody: '',
      });
      const afterEmpty = ctx.expectSuccess(empty, 200, 'StoredTokenMetadata') as Item;
      expectFate(state, afterEmpty, {}, 'PATCH with an empty body');
      const listed = await findListed(ctx, id);
      for (const field of [...FIELDS, ...FIXED])
        expectEqual(sortedMembers(listed[field]), sortedMembers(afterEmpty[field]), `listed ${field} after the PATCHes`);
      expectEqual(listed['modified'], afterEmpty['modified'], 'listed modified after the PATCHes');
      expectTrue(!('token' in listed), 'the listing shows the sk token string');
    },
  }),
  defineCheck({
    id: 'fates.create-stores',
    description:
      "create answers note, scopes and allowedUrls as sent, created = modified = the server's now, a 22-character signature; the listing shows the same values",
    operation: 'createToken',
    tags: ['scenario', 'fates', 'listTokens'],
    documentation:
      'reference: token metadata object (created "The date and time the token was created", modified "last modified"); decision token-format (signature 22 base64url characters)',
    async run(ctx) {
      const { publicScopes } = await ctx.use('account');
      const requested = {
        note: ctx.api.owned.note('stored'),
        scopes: publicScopes.slice(0, 2),
        allowedUrls: ['https://c.example.com', 'https://d.example.com'],
      };
      const response = await ctx.api.create(ctx.env.masterToken, requested, 'stored');
      const body = ctx.expectSuccess(response, 200, 'CreatedTokenMetadata') as Item;
      expectEqual(body['note'], requested.note, 'created note');
      expectEqual(sortedMembers(body['scopes']), sortedMembers(requested.scopes), 'created scopes');
      expectEqual(sortedMembers(body['allowedUrls']), sortedMembers(requested.allowedUrls), 'created allowedUrls');
      expectEqual(body['modified'], body['created'], 'modified of a token just created');
      const date = Date.parse(response.headers.get('date') ?? '');
      if (Number.isFinite(date)) {
        const created = Date.parse(String(body['created']));
        expectTrue(
          Math.abs(created - date) <= SERVER_TIME_TOLERANCE_MS,
          `created ${String(body['created'])} is not the server's now (Date ${response.headers.get('date') ?? ''})`,
        );
      }
      expectSignatureShape(String(body['token']), 'the token just created');
      const listed = await findListed(ctx, String(body['id']));
      for (const field of [...FIELDS, ...FIXED, 'modified', 'token'] as const) {
        expectEqual(sortedMembers(listed[field]), sortedMembers(body[field]), `listed ${field} of the token just created`);
      }
    },
  }),
  defineCheck({
    id: 'fates.update-refused-bodies',
    description:
      'a PATCH whose body is not JSON, not an object (of any of the five kinds), has an unknown property, or an invalid note, scopes, allowedUrls or resources is refused, and the token stays as it was',
    operation: 'updateToken',
    tags: ['validation', 'fates', 'listTokens'],
    conditions: [
      'invalid-json',
      'body-not-object',
      'unknown-property',
      'note-invalid',
      'scopes-invalid',
      'allowed-urls-invalid',
      'resources-invalid',
    ],
    documentation:
      'decision request-bodies (every operation); reference errors table `scopes are invalid`, `resources are invalid` 422 "When creating or updating a token"',
    async run(ctx) {
      const { publicScopes } = await ctx.use('account');
      const created = await createOwned(ctx, 'refused bodies', { scopes: [publicScopes[0]!], allowedUrls: ['https://e.example.com'] });
      const id = String(created['id']);
      const path = operationPath('updateToken', { username: ctx.env.username, token_id: id });
      ctx.expectCondition(await ctx.api.call({ method: 'PATCH', path, token: ctx.env.masterToken, rawBody: '{"note": ' }), 'invalid-json');
      const refused: [unknown, string][] = [
        ...NOT_OBJECTS.map((body): [unknown, string] => [body, 'body-not-object']),
        [{ note: ctx.api.owned.note('refused'), color: 'red' }, 'unknown-property'],
        [{ note: 42 }, 'note-invalid'],
        [{ scopes: publicScopes[0] }, 'scopes-invalid'],
        [{ scopes: null }, 'scopes-invalid'],
        [{ allowedUrls: [''] }, 'allowed-urls-invalid'],
        [{ resources: [] }, 'resources-invalid'],
      ];
      for (const [body, condition] of refused) ctx.expectCondition(await ctx.api.update(ctx.env.masterToken, id, body), condition);
      const listed = await findListed(ctx, id);
      for (const field of [...FIELDS, ...FIXED, 'modified'] as const)
        expectEqual(sortedMembers(listed[field]), sortedMembers(created[field]), `listed ${field} after the refused PATCHes`);
    },
  }),
  defineCheck({
    id: 'fates.create-defaults',
    description:
      'an empty create body makes an unnamed pk (note null) with no scopes and no URL restriction, and that token cannot gain scopes later',
    operation: 'createToken',
    tags: ['scenario', 'fates', 'updateToken'],
    conditions: ['scopeless-gains-scopes'],
    documentation:
      'document: CreateTokenRequest declares no required property, `scopes` "The scopes of the new token (default none)"; decision note-nullable (unnamed tokens have a null note); reference: "it is possible to create a token with no scopes", "you will not be able to update this token later to include any scopes"',
    async run(ctx) {
      const { publicScopes } = await ctx.use('account');
      // No note either, so this token does not carry the run id: cleanup deletes it by the id answered.
      const response = await ctx.api.create(ctx.env.masterToken, {}, 'defaults');
      const body = ctx.expectSuccess(response, 200, 'CreatedTokenMetadata') as Item;
      expectTrue('note' in body && body['note'] === null, `note of a token created without one: ${JSON.stringify(body['note'])}`);
      expectEqual(body['usage'], 'pk', 'usage of a token created without scopes');
      expectEqual(sortedMembers(body['scopes']), [], 'scopes of a token created without scopes');
      const urls = body['allowedUrls'];
      expectTrue(
        urls === undefined || urls === null || (Array.isArray(urls) && urls.length === 0),
        `allowedUrls of a token created without them: ${JSON.stringify(urls)}`,
      );
      ctx.expectCondition(
        await ctx.api.update(ctx.env.masterToken, String(body['id']), { scopes: [publicScopes[0]!] }),
        'scopeless-gains-scopes',
      );
    },
  }),
  defineCheck({
    id: 'fates.note-null',
    description: 'a token created with note null answers "note": null',
    operation: 'createToken',
    tags: ['scenario', 'fates'],
    documentation: 'decision note-nullable: unnamed tokens have a null note',
    async run(ctx) {
      const body = await createOwned(ctx, 'unnamed', { scopes: [], note: null });
      expectTrue('note' in body && body['note'] === null, `note of a token created with note null: ${JSON.stringify(body['note'])}`);
    },
  }),
];

/** `next` must carry the sent fields, keep the others of `before`, keep the fixed fields, and not move modified back. */
function expectFate(before: Item, next: Item, sent: Record<string, unknown>, what: string): void {
  for (const field of FIELDS) {
    const expected = field in sent ? sent[field] : before[field];
    expectEqual(sortedMembers(next[field]), sortedMembers(expected), `${what}: ${field} ${field in sent ? 'as sent' : 'unchanged'}`);
  }
  for (const field of FIXED) expectEqual(next[field], before[field], `${what}: ${field} unchanged`);
  expectTrue(
    Date.parse(String(next['modified'])) >= Date.parse(String(before['modified'])),
    `${what}: modified went back from ${String(before['modified'])} to ${String(next['modified'])}`,
  );
}
