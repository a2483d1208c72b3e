// Exploration against every fault of the catalogue: each fault is found unaided with a short
// minimal sequence, or is listed as unreachable with a reason; docs/explore.md holds the table.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { exploreFault, faultNames, faultTable, UNREACHABLE, type FaultReach } from './fault-reach.ts';

const rows: FaultReach[] = [];

describe('exploration finds the faults of the catalogue', { timeout: 60_000 }, () => {
  it.each(faultNames.filter((fault) => UNREACHABLE[fault] === undefined))('%s is found with a minimal sequence', async (fault) => {
    const row = await exploreFault(fault);
    rows.push(row);
    expect(row.found).toBe(true);
    expect(row.sequence.length).toBeGreaterThan(0);
    expect(row.sequence.length).toBeLessThanOrEqual(4);
  });

  it.each(Object.keys(UNREACHABLE) as (keyof typeof UNREACHABLE)[])('%s is not reached, for the stated reason', async (fault) => {
    const row = await exploreFault(fault);
    rows.push(row);
    expect(row.found).toBe(false);
    expect(UNREACHABLE[fault]?.length).toBeGreaterThan(40);
  });

  it('docs/explore.md records each minimal sequence and each reason (node scripts/explore-faults.ts rewrites it)', async () => {
    expect(rows).toHaveLength(faultNames.length);
    const ordered = faultNames.map((fault) => rows.find((row) => row.fault === fault)!);
    const docs = await readFile(new URL('../../../docs/explore.md', import.meta.url), 'utf8');
    const table = /<!-- fault-table -->\n([\s\S]*?)\n<!-- \/fault-table -->/.exec(docs)?.[1];
    expect(table).toBe(faultTable(ordered));
  });
});
