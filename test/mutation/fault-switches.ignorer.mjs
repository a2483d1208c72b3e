// A StrykerJS ignorer (stryker.config.json `ignorers`): the fault switches of the model are not
// mutated. src/model/faults.ts (the catalogue of deliberate faults) is left out of `mutate`
// because it is not the model's faithful behaviour; the switches that turn those faults on inside
// the other model files (`this.#faulty('…')`, `faults.has('…')`, the `faults.size === 0` fast
// paths) are the same catalogue spread over the rules. The contract suite runs against the
// faithful mock, where every switch is off, so their mutants are either equivalent (a switch that
// is off whatever its name) or only reachable with a fault on; the catalogue's own regression
// tests (test/faults) cover them. docs/mutation-testing.md counts them as ignored, apart from the score.
//
// Written against Stryker's plain plugin shape ({ kind, name, value }) so it needs no import of
// @stryker-mutator/api; `path` is a Babel NodePath.

const REASON = 'fault switch: only reachable with a catalogue fault on (docs/mutation-testing.md)';

/** Private methods of TokensService that run only with a fault on (or are the switch itself). */
const FAULT_ONLY_METHODS = new Set(['faulty', 'faultyPage', 'withoutIgnoredParameters']);

/** `faults` or `this.faults`. */
function isFaultSet(node) {
  if (node?.type === 'Identifier') return node.name === 'faults';
  return (
    node?.type === 'MemberExpression' &&
    node.object.type === 'ThisExpression' &&
    node.property.type === 'Identifier' &&
    node.property.name === 'faults'
  );
}

/** `this.#faulty(…)`, `faults.has(…)` or `this.faults.has(…)`: true only with that fault on. */
function isFaultCall(node) {
  if (node?.type !== 'CallExpression' || node.callee.type !== 'MemberExpression') return false;
  const { object, property } = node.callee;
  if (object.type === 'ThisExpression' && property.type === 'PrivateName') return property.id.name === 'faulty';
  return property.type === 'Identifier' && property.name === 'has' && isFaultSet(object);
}

/** `faults.size === 0` or `this.faults.size === 0`: the faithful fast path. */
function isNoFaultsTest(node) {
  return (
    node?.type === 'BinaryExpression' &&
    node.operator === '===' &&
    node.left.type === 'MemberExpression' &&
    isFaultSet(node.left.object) &&
    node.left.property.type === 'Identifier' &&
    node.left.property.name === 'size' &&
    node.right.type === 'NumericLiteral' &&
    node.right.value === 0
  );
}

/** A condition that can hold only with a fault on: a fault call, or an `&&` with one. */
function needsFault(node) {
  if (isFaultCall(node)) return true;
  return node?.type === 'LogicalExpression' && node.operator === '&&' && (needsFault(node.left) || needsFault(node.right));
}

/** `if (faults.size === 0) return …;` */
function isNoFaultsReturn(node) {
  return node?.type === 'IfStatement' && isNoFaultsTest(node.test) && node.consequent.type === 'ReturnStatement';
}

function shouldIgnore(path) {
  const { node, parent } = path;
  if (isFaultCall(node) || isNoFaultsTest(node)) return REASON;
  if (node.type === 'UnaryExpression' && node.operator === '!' && isFaultCall(node.argument)) return REASON;
  if (node.type === 'ClassPrivateMethod' && FAULT_ONLY_METHODS.has(node.key.id.name)) return REASON;
  // The statement guarded by a fault: `if (x && faults.has('…')) …`.
  if (node.type === 'IfStatement' && needsFault(node.test)) return REASON;
  // The branch of `faulty ? a : b` taken with the fault on, and of `faults.size === 0 ? a : b` taken with any.
  if (parent?.type === 'ConditionalExpression') {
    if (path.key === 'consequent' && needsFault(parent.test)) return REASON;
    if (path.key === 'alternate' && isNoFaultsTest(parent.test)) return REASON;
  }
  // What follows `if (faults.size === 0) return …;` in the same block.
  if (typeof path.key === 'number' && path.getAllPrevSiblings().some((sibling) => isNoFaultsReturn(sibling.node))) return REASON;
  return undefined;
}

export const strykerPlugins = [{ kind: 'Ignore', name: 'fault-switches', value: { shouldIgnore } }];
