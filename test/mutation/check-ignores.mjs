// Checks that no mutant ignored with a reason in a StrykerJS run is one a reference run killed
// (docs/mutation-testing.md, "No ignore may hide a mutant a check kills"). The reference should be
// a run that ignored as little as possible (run 5 ignored only static mutants).
//
//   npm run mutation:check-ignores -- <reference mutation.json> [<run mutation.json>]
//
// The run defaults to reports/mutation/mutation.json. Mutants are matched by file, the text of their
// line (lines move between runs), column within the line, mutator and replacement; where that key
// occurs more than once in a file, by its order of occurrence. Exits 1 when an ignore hides a
// killed or timed-out mutant, and lists each.
import { readFileSync } from 'node:fs';

const [referencePath, runPath = 'reports/mutation/mutation.json'] = process.argv.slice(2);
if (referencePath === undefined) {
  console.error('usage: npm run mutation:check-ignores -- <reference mutation.json> [<run mutation.json>]');
  process.exit(2);
}

/** Every mutant of a report with its matching key, in order of position within each file. */
function keyedMutants(report) {
  const keyed = [];
  for (const [file, { source, mutants }] of Object.entries(report.files)) {
    const lines = source.split('\n');
    const occurrences = new Map();
    const ordered = [...mutants].sort(
      (a, b) => a.location.start.line - b.location.start.line || a.location.start.column - b.location.start.column,
    );
    for (const mutant of ordered) {
      const line = lines[mutant.location.start.line - 1];
      const indent = line.length - line.trimStart().length;
      const key = [file, line.trim(), mutant.location.start.column - indent, mutant.mutatorName, mutant.replacement].join('\u0000');
      const nth = occurrences.get(key) ?? 0;
      occurrences.set(key, nth + 1);
      keyed.push({ key: `${key}\u0000${nth}`, file, mutant });
    }
  }
  return keyed;
}

const read = (path) => JSON.parse(readFileSync(path, 'utf8'));
const referenceStatus = new Map(keyedMutants(read(referencePath)).map(({ key, mutant }) => [key, mutant.status]));
const isStatic = (mutant) => /^Static mutant/.test(mutant.statusReason ?? '');

let checked = 0;
let unmatched = 0;
const hidden = [];
for (const { key, file, mutant } of keyedMutants(read(runPath))) {
  if (mutant.status !== 'Ignored' || isStatic(mutant)) continue;
  checked += 1;
  const status = referenceStatus.get(key);
  if (status === undefined) unmatched += 1;
  else if (status === 'Killed' || status === 'Timeout') hidden.push({ file, mutant, status });
}
for (const { file, mutant, status } of hidden) {
  console.log(
    `${file}:${mutant.location.start.line} ${mutant.mutatorName} ${JSON.stringify(mutant.replacement)}: ${status} in the reference, ignored as "${mutant.statusReason}"`,
  );
}
console.log(
  `${checked} mutants ignored with a reason; ${hidden.length} of them killed in the reference run; ${unmatched} without a match there (code the reference did not have)`,
);
process.exit(hidden.length === 0 ? 0 : 1);
