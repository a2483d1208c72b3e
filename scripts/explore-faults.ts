// Rewrites the fault table of docs/explore.md: `contract-test --explore` against each fault of the
// catalogue (embedded, fixed seed), with the minimal sequence it printed or the reason it cannot
// reach the fault. test/contract/explore/faults.test.ts fails when the table is stale.
import { readFile, writeFile } from 'node:fs/promises';
import { exploreFault, faultNames, faultTable } from '../test/contract/explore/fault-reach.ts';

const rows = [];
for (const fault of faultNames) rows.push(await exploreFault(fault));
const path = new URL('../docs/explore.md', import.meta.url);
const docs = await readFile(path, 'utf8');
const next = docs.replace(
  /<!-- fault-table -->[\s\S]*?<!-- \/fault-table -->/,
  `<!-- fault-table -->\n${faultTable(rows)}\n<!-- /fault-table -->`,
);
if (next === docs && !docs.includes('<!-- fault-table -->')) throw new Error('docs/explore.md has no fault-table markers');
await writeFile(path, next);
console.log(`${rows.filter((row) => row.found).length}/${rows.length} faults found by exploration; table written to docs/explore.md`);
