// A StrykerJS ignorer (stryker.config.json `ignorers`): the parts of src/model that no request to
// a faithful mock runs, or whose every mutant gives the same answers, are not mutated. The contract
// suite speaks HTTP only, so a mutant there says nothing about the suite's strength; each part is
// covered by the model's own tests instead (named in its reason). docs/mutation-testing.md lists
// them with their mutant counts, and gives the raw score that counts them as not killed.
//
// An ignored node takes every mutant inside it, also one a check would kill (a guard made to always
// refuse). Before a part is added here, an ignore-free run must kill none of its mutants
// (docs/mutation-testing.md, "No ignore may hide a mutant a check kills").
//
// The parts are named by where they are declared (`TokenStore.#removeInserted`,
// `createRateLimiter.load`), or recognised by shape (the inverse a write pushes to the operation's
// undo log). Written against Stryker's plain plugin shape ({ kind, name, value }), so it needs no
// import of @stryker-mutator/api; `path` is a Babel NodePath.

const UNDO =
  '[unreachable] undo of a write: runs only when an operation fails after writing (a 500), which a faithful mock never does (test/model/undo-log.test.ts, test/reliability/)';
const MOCK_API = "[unreachable] the mock's own API (snapshots, restore, reset), not a request (test/state/, test/mock/)";
const CHANGE_FEED =
  '[unreachable] the change feed records only for `tokens-mock --state` (src/state/change-log.ts), never in-process (test/state/)';
const SHARDS =
  '[equivalent] which @msw/data collection holds a record: every answer comes from the id map and the indexes (bench/scale.ts, test/model/store-and-limits.test.ts)';
const REFUSED_ONLY =
  '[equivalent] over HTTP an undo log only rolls back refused requests, which wrote nothing and keep their count (test/model/undo-log.test.ts)';
const IN_AN_OPERATION = '[equivalent] every request runs its operation with an undo log, so `undo` is never undefined there';
/** Where `undo?.push` only ever runs inside an operation. */
const ALWAYS_IN_AN_OPERATION = new Set(['createRateLimiter.consume', 'TokenStore.update', 'TokenStore.delete']);
const LIMITER_OFF =
  '[unreachable] rate limiting turned off, a mock option; the contract run has it on (test/model/store-and-limits.test.ts)';

/** Declarations ignored as a whole, by qualified name. */
const DECLARATIONS = new Map([
  ['TokenStore.#removeInserted', UNDO],
  ['TokenStore.#restoreDeleted', UNDO],
  ['createSeededRandom.rewind', UNDO],
  ['createSeededRandom.state', UNDO],
  ['TokenStore.all', MOCK_API],
  ['TokenStore.clear', MOCK_API],
  ['TokenStore.size', MOCK_API],
  ['TokenStore.countForAccount', MOCK_API],
  ['TokenStore.collection', MOCK_API],
  ['createRateLimiter.windows', MOCK_API],
  ['createRateLimiter.load', MOCK_API],
  ['createRateLimiter.clear', MOCK_API],
  ['createAccountRegistry.all', MOCK_API],
  ['createAccountRegistry.clear', MOCK_API],
  ['createAccountRegistry.setMasterTokenId', MOCK_API],
  ['UndoLog.recorded', CHANGE_FEED],
  ['UndoLog.push', REFUSED_ONLY],
  ['UndoLog.#steps', REFUSED_ONLY],
  ['TokenStore.constructor', CHANGE_FEED],
  ['TokenStore.#changes', CHANGE_FEED],
  ['plainRecord', CHANGE_FEED],
  ['UndoLog.constructor', CHANGE_FEED],
  ['UndoLog.#entries', CHANGE_FEED],
  ['UndoLog.#changeLog', CHANGE_FEED],
  ['UndoLog.#takesAtStart', CHANGE_FEED],
  ['var:UndoLog.rollback.wrote', CHANGE_FEED],
  // A delete remembers where its record was for its undo only.
  ['var:TokenStore.delete.position', UNDO],
  ['var:TokenStore.delete.shardIndex', UNDO],
  ['TokenStore.#dropIfEmpty', SHARDS],
]);

/** The name a node declares, if any. */
function declaredName(node) {
  switch (node.type) {
    case 'ClassDeclaration':
    case 'FunctionDeclaration':
      return node.id?.name;
    case 'ClassMethod':
    case 'ObjectMethod':
    case 'ObjectProperty':
    case 'ClassProperty':
      return node.key.type === 'Identifier' ? node.key.name : node.key.value;
    case 'ClassPrivateMethod':
    case 'ClassPrivateProperty':
      return `#${node.key.id.name}`;
    case 'VariableDeclarator':
      return node.id.type === 'Identifier' ? node.id.name : undefined;
    default:
      return undefined;
  }
}

/** `createRateLimiter.consume`: the declarations enclosing the node, outermost first. */
function qualifiedName(path) {
  const names = [];
  for (let current = path; current; current = current.parentPath) {
    const name = declaredName(current.node);
    if (name !== undefined) names.unshift(name);
  }
  return names.join('.');
}

/** `undo.push(…)` or `undo?.push(…)`: a write registering its inverse. */
function isUndoPush(node) {
  if (node.type !== 'CallExpression' && node.type !== 'OptionalCallExpression') return false;
  const callee = node.callee;
  return (
    (callee.type === 'MemberExpression' || callee.type === 'OptionalMemberExpression') &&
    callee.object.type === 'Identifier' &&
    callee.object.name === 'undo' &&
    callee.property.type === 'Identifier' &&
    callee.property.name === 'push'
  );
}

/** `changes?.record(…)` or `this.#changes?.record(…)`: an entry for the change feed. */
function isChangeRecord(node) {
  if (node.type !== 'CallExpression' && node.type !== 'OptionalCallExpression') return false;
  const callee = node.callee;
  if ((callee.type !== 'MemberExpression' && callee.type !== 'OptionalMemberExpression') || callee.property.name !== 'record') return false;
  const target = callee.object;
  if (target.type === 'Identifier') return target.name === 'changes';
  return target.type === 'MemberExpression' && target.property.type === 'PrivateName' && target.property.id.name === 'changes';
}

/** `undo !== undefined` (the id generator's guard around its inverse). */
function isUndoPresentTest(node) {
  return (
    node.type === 'BinaryExpression' &&
    node.operator === '!==' &&
    node.left.type === 'Identifier' &&
    node.left.name === 'undo' &&
    node.right.type === 'Identifier' &&
    node.right.name === 'undefined'
  );
}

const EMPTY_CATCH = '[equivalent] an empty catch block returns undefined too';

/** `catch { return undefined; }`: a decoder's answer for what it cannot decode. */
function isCatchReturningUndefined(path) {
  const { node, parent } = path;
  if (node.type !== 'BlockStatement' || parent?.type !== 'CatchClause' || node.body.length !== 1) return false;
  const [statement] = node.body;
  return statement.type === 'ReturnStatement' && statement.argument?.type === 'Identifier' && statement.argument.name === 'undefined';
}

/** Branches to ignore when they are entered, with the reason. */
const ignoredBranches = new WeakMap();

function shouldIgnore(path) {
  const { node, parentPath } = path;
  const parent = parentPath?.node;
  // Variables are listed as `var:…`, so that the limiter's `windows` map is not its windows() method.
  const declared = declaredName(node) === undefined ? undefined : qualifiedName(path);
  const name = declared !== undefined && node.type === 'VariableDeclarator' ? `var:${declared}` : declared;
  if (name !== undefined && DECLARATIONS.has(name)) return DECLARATIONS.get(name);
  if (parent !== undefined && isUndoPush(parent)) {
    // The inverse itself, and the kind of a write step (a refused request has none to revert).
    if (path.key === 1) return UNDO;
    if (path.key === 0 && node.type === 'StringLiteral' && node.value === 'write') return REFUSED_ONLY;
    // `undo?.`: every request runs its operation with an undo log (a write outside one, when the
    // mock creates its accounts, is in insertMany and the registry, whose `?.` stays counted).
    if (path.key === 'callee' && ALWAYS_IN_AN_OPERATION.has(qualifiedName(path))) return IN_AN_OPERATION;
  }
  if (isChangeRecord(node)) return CHANGE_FEED;
  // A `Stryker disable` comment cannot reach a catch block (it would sit inside the try block).
  if (isCatchReturningUndefined(path)) return EMPTY_CATCH;
  // The branches below are recognised by their test when the `if` is entered: by the time Stryker
  // enters a branch, it has already replaced the test with its mutant switch.
  if (ignoredBranches.has(node)) return ignoredBranches.get(node);
  if (node.type === 'IfStatement') {
    // The id generator's inverse, registered only under an undo log.
    if (isUndoPresentTest(node.test)) ignoredBranches.set(node.consequent, UNDO);
    // `if (config === false) return …`: the limiter of a mock built with rateLimit: false.
    const test = node.test;
    if (
      qualifiedName(path) === 'createRateLimiter.consume' &&
      test.type === 'BinaryExpression' &&
      test.left.type === 'Identifier' &&
      test.left.name === 'config' &&
      test.right.type === 'BooleanLiteral'
    ) {
      ignoredBranches.set(node.consequent, LIMITER_OFF);
    }
  }
  if (node.type === 'IfStatement' && qualifiedName(path) === 'UndoLog.rollback') {
    // The undo log withdraws a reverted operation's entries from the change feed.
    if (node.test.type === 'Identifier' && node.test.name === 'wrote') return CHANGE_FEED;
  }
  // Reverting a step: a refused request skips all of its steps, its counts.
  if (node.type === 'TryStatement' && qualifiedName(path) === 'UndoLog.rollback') return UNDO;
  if (node.type === 'ExpressionStatement' && node.expression.type === 'AssignmentExpression' && node.expression.left.name === 'wrote')
    return CHANGE_FEED;
  return undefined;
}

export const strykerPlugins = [{ kind: 'Ignore', name: 'beyond-http', value: { shouldIgnore } }];
