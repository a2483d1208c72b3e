// Preloaded into a spawned tokens-mock (NODE_OPTIONS=--import) by atomic-writes.test.ts: a token
// whose note is FAIL_NOTE makes the store throw right after it was written, the way a bug after
// the first write would. Test-only: it patches the store's class in that process, nothing else.
import { TokenStore } from '../../src/model/token-store.ts';

export const FAIL_NOTE = 'fail after the write';

const insertMany = TokenStore.prototype.insertMany;
TokenStore.prototype.insertMany = async function insertManyThenFail(this: TokenStore, ...args: Parameters<TokenStore['insertMany']>) {
  const records = await insertMany.apply(this, args);
  if (records.some((record) => record.note === FAIL_NOTE)) throw new Error('injected failure after the store write');
  return records;
};
