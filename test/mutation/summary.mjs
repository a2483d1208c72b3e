// Summary of a StrykerJS run from reports/mutation/mutants.ndjson (test/mutation/mutant-log.reporter.mjs),
// which holds every mutant tested so far: usable while a run goes on or after it was stopped.
// `npm run mutation:summary` prints the counts per file and the score; `-- --survivors` lists the
// mutants no check killed.
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
if (process.argv.includes('--survivors')) {
  for (const mutant of mutants.filter((candidate) => candidate.status === 'Survived' || candidate.status === 'NoCoverage')) {
    console.log(
      `${mutant.status}\t${relative(process.cwd(), mutant.file)}:${mutant.line}:${mutant.column}\t${mutant.mutatorName}\t${JSON.stringify(mutant.replacement).slice(0, 100)}`,
    );
  }
}
