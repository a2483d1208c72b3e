import { expectEqual, fail } from '../assertions.ts';
import { defineCheck, type ContractCheck } from '../check.ts';
import type { Item } from './expectations.ts';

/**
 * Token ids of another account. The target is a token this run creates in the other account
 * (with --other-token), so that a server wrongly accepting a write harms no token the run did not
 * create; the check deletes it itself with the other account's token.
 */
export const otherAccountChecks: ContractCheck[] = [
  defineCheck({
    id: 'other.token-ids',
    description:
      "PATCH and DELETE of another account's token id answer 404 under this account's path and under the other account's, and the token stays as it was",
    operation: 'updateToken',
    tags: ['scenario', 'deleteToken', 'other-account'],
    conditions: ['token-not-found', 'other-user'],
    documentation:
      'decision token-not-found ("not a stored token of the account answers 404"); reference errors table `Not found` 404 "a token is not associated with a user account"',
    async run(ctx) {
      const { otherUsername, otherToken, masterToken } = ctx.env;
      if (!otherUsername || !otherToken) return ctx.skip('needs otherUsername and otherToken (--other-username, --other-token)');
      const note = ctx.api.owned.note('other account');
      // Proven ours like any create (a retrieve of its string names this id and the other user), so
      // update/delete may name it; deleted below with the other account's token.
      const created = await ctx.api.create(otherToken, { note, scopes: [] }, 'other account', otherUsername);
      const createdId = (created.json as Item | undefined)?.['id'];
      try {
        const body = ctx.expectSuccess(created, 200, 'CreatedTokenMetadata') as Item;
        const id = String(body['id']);
        ctx.expectCondition(
          await ctx.api.update(masterToken, id, { note: ctx.api.owned.note('refused') }),
          'token-not-found',
          'updateToken',
        );
        ctx.expectCondition(await ctx.api.remove(masterToken, id), 'token-not-found', 'deleteToken');
        ctx.expectCondition(
          await ctx.api.update(masterToken, id, { note: ctx.api.owned.note('refused') }, otherUsername),
          'other-user',
          'updateToken',
        );
        ctx.expectCondition(await ctx.api.remove(masterToken, id, otherUsername), 'other-user', 'deleteToken');
        const listed = ctx.expectSuccess(
          await ctx.api.list(
            otherToken,
            [
              ['limit', '100'],
              ['usage', 'pk'],
            ],
            otherUsername,
          ),
          200,
          'TokenList',
        ) as Item[];
        const item = listed.find((candidate) => candidate['id'] === id);
        if (!item) fail(`the other account no longer lists its token ${id} after the refused PATCH and DELETE`);
        expectEqual(item['note'], note, "the other account's token note after the refused PATCH");
      } finally {
        // Whatever failed above (a wrong status included), a token proven ours is deleted where it lives.
        if (typeof createdId === 'string' && ctx.api.owned.get(createdId)?.deleted === false) {
          const removed = await ctx.api.remove(otherToken, createdId, otherUsername);
          if (removed.status !== 204 && removed.status !== 200)
            fail(`could not delete the token ${createdId} this run created in ${otherUsername}: ${removed.status}`);
        }
      }
    },
  }),
];
