// Summary of a StrykerJS run from reports/mutation/mutants.ndjson (test/mutation/mutant-log.reporter.mjs),
// which holds every mutant tested so far: usable while a run goes on or after it was stopped.
// `npm run mutation:summary` prints the counts per file and the score; `-- --survivors` lists the
// mutants no check killed, each with the function it is in, `-- --by-function` counts them per
// function, and `-- --ignored` counts the mutants ignored with a reason, per reason. Line numbers
// move as the model is edited, and the function is found in the file as it is now: read them right
// after the run.
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';

const mutants = readFileSync('reports/mutation/mutants.ndjson', 'utf8')
  .trim()
  .split('\n')
  .filter(Boolean)
  .map((line) => JSON.parse(line));
const STATUSES = ['Killed', 'Timeout', 'Survived', 'NoCoverage', 'Ignored', 'RuntimeError', 'CompileError'];
const byFile = new Map();
for (const mutant of mutants) {
  const file = relative(process.cwd(), mutant.file);
  const counts = byFile.get(file) ?? Object.fromEntries(STATUSES.map((status) => [status, 0]));
  counts[mutant.status] = (counts[mutant.status] ?? 0) + 1;
  byFile.set(file, counts);
}
const total = Object.fromEntries(STATUSES.map((status) => [status, [...byFile.values()].reduce((sum, counts) => sum + counts[status], 0)]));
/** Stryker's mutation score: detected / (detected + undetected); ignored and erroring mutants are left out. */
const score = (c) => {
  const detected = c.Killed + c.Timeout;
  const valid = detected + c.Survived + c.NoCoverage;
  return valid === 0 ? '-' : `${((100 * detected) / valid).toFixed(1)} %`;
};
const rows = [...byFile.entries()].sort(([a], [b]) => a.localeCompare(b));
console.log(['file', ...STATUSES, 'score'].join('\t'));
for (const [file, counts] of rows) console.log([file, ...STATUSES.map((status) => counts[status]), score(counts)].join('\t'));
console.log(['all', ...STATUSES.map((status) => total[status]), score(total)].join('\t'));
// The mutants this project ignores with a reason (test/mutation/beyond-http.ignorer.mjs and the
// `Stryker disable` comments of src/model), apart from the static ones Stryker cannot run per test.
const isStatic = (mutant) => /^Static mutant/.test(mutant.statusReason ?? '');
const ignoredWithReason = mutants.filter((mutant) => mutant.status === 'Ignored' && !isStatic(mutant));
const raw = { ...total, NoCoverage: total.NoCoverage + ignoredWithReason.length };
console.log(`score counting the ${ignoredWithReason.length} mutants ignored with a reason as not killed: ${score(raw)}`);
if (process.argv.includes('--ignored')) {
  // The reasons, each with its number of mutants.
  const reasons = new Map();
  for (const mutant of ignoredWithReason) reasons.set(mutant.statusReason, (reasons.get(mutant.statusReason) ?? 0) + 1);
  for (const [reason, count] of [...reasons.entries()].sort(([, a], [, b]) => b - a)) console.log(`${count}\t${reason}`);
}
/**
 * A class, function or method declared on a line: at the top level or one or two levels in (class
 * members, the methods of an object a factory returns), so that the callbacks inside a function
 * do not count as its name; a property typed as a function (`name: (a) => Promise<T>`) is no declaration.
 */
const DECLARATION =
  /^ {0,4}(?:export\s+)?(?:async\s+)?(?:class\s+([\w$]+)|function\*?\s+([\w$]+)|(?:static\s+|get\s+|set\s+)*(#?[\w$]+)\s*(?:<[^>]*>)?\((?:[^)]*\)[^=;]*\{|[^)]*\{)?\s*$|(?<=^ {0,2})(?:const|let)\s+([\w$]+)\s*=\s*(?:async\s*)?\(|([\w$]+)\s*:\s*(?:async\s*)?\([^)]*\)\s*=>(?!\s*(?:void|Promise|[A-Z]|string|number|boolean|unknown)\b))/;
const KEYWORDS = new Set(['if', 'for', 'while', 'switch', 'catch', 'return', 'else']);
const sources = new Map();
/** The nearest declaration at or above `line` (1-based) in the file as it is now. */
function enclosingFunction(file, line) {
  if (!sources.has(file)) sources.set(file, readFileSync(file, 'utf8').split('\n'));
  const lines = sources.get(file);
  for (let index = Math.min(line, lines.length) - 1; index >= 0; index--) {
    const match = DECLARATION.exec(lines[index]);
    const name = match?.slice(1).find((group) => group !== undefined);
    if (name !== undefined && !KEYWORDS.has(name)) return name;
  }
  return '(module)';
}
if (process.argv.includes('--survivors')) {
  for (const mutant of mutants.filter((candidate) => candidate.status === 'Survived' || candidate.status === 'NoCoverage')) {
    const file = relative(process.cwd(), mutant.file);
    console.log(
      `${mutant.status}\t${file}:${mutant.line}:${mutant.column}\t${enclosingFunction(mutant.file, mutant.line)}\t${mutant.mutatorName}\t${JSON.stringify(mutant.replacement).slice(0, 100)}`,
    );
  }
}
if (process.argv.includes('--by-function')) {
  // The mutants no check killed, grouped by file and function (a table for docs/mutation-testing.md).
  const groups = new Map();
  for (const mutant of mutants.filter((candidate) => candidate.status === 'Survived' || candidate.status === 'NoCoverage')) {
    const key = `${relative(process.cwd(), mutant.file)}\t${enclosingFunction(mutant.file, mutant.line)}`;
    const group = groups.get(key) ?? { Survived: 0, NoCoverage: 0, lines: new Set() };
    group[mutant.status] += 1;
    group.lines.add(mutant.line);
    groups.set(key, group);
  }
  for (const [key, group] of [...groups.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    console.log(`${key}\t${group.Survived}\t${group.NoCoverage}\t${[...group.lines].sort((a, b) => a - b).join(', ')}`);
  }
}
