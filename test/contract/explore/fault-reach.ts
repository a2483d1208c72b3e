// Which faults of the catalogue exploration finds on its own, and why it cannot reach the others.
// Shared by test/contract/explore/faults.test.ts and scripts/explore-faults.ts (which writes the
// table of docs/explore.md).
import { exploreContract } from '../../../src/contract/explore/explore.ts';
import { faultNames, type FaultName } from '../../../src/faults/catalogue.ts';

/** Faults exploration cannot reach by design, each with the reason. */
export const UNREACHABLE: Partial<Record<FaultName, string>> = {
  'other-user-accessible':
    'exploration acts on one account only (safe on a real account); the main run checks other accounts with --other-username',
  'rate-limit-not-enforced':
    'exploration stays under the rate limit by design (budget and pacing); the opt-in rate-limit check of the main run spends the quota',
  'update-allows-urls-on-default':
    "exploration never writes to the account's default token (only to tokens the run created); the main run does with --include-default-token",
  'delete-allows-default-token':
    "exploration never writes to the account's default token (only to tokens the run created); the main run does with --include-default-token",
};

const FAULT_SEED = 42;
/** Sequences per fault: found faults stop at the first divergence; unreachable ones run them all. */
const RUNS_PER_FAULT = { reachable: 1500, unreachable: 300 } as const;

export interface FaultReach {
  fault: FaultName;
  found: boolean;
  /** Sequences run until the divergence (shrinking included). */
  sequences: number;
  /** The minimal sequence printed, one action per line. */
  sequence: string[];
  deviation: string;
}

export async function exploreFault(fault: FaultName): Promise<FaultReach> {
  const runs = UNREACHABLE[fault] === undefined ? RUNS_PER_FAULT.reachable : RUNS_PER_FAULT.unreachable;
  const report = await exploreContract({ runs, seed: FAULT_SEED, faults: [fault] });
  return {
    fault,
    found: report.divergence !== undefined,
    sequences: report.sequences.run,
    sequence: report.divergence?.sequence ?? [],
    deviation: report.divergence?.step.deviations[0] ?? '',
  };
}

/** The markdown table of docs/explore.md (between its fault-table markers). */
export function faultTable(rows: readonly FaultReach[]): string {
  const lines = ['| fault | found | minimal sequence (as printed) | first deviation |', '|---|---|---|---|'];
  for (const row of rows) {
    const cell = (text: string): string => text.replace(/\|/g, '\\|');
    if (row.found) {
      lines.push(
        `| \`${row.fault}\` | yes | ${row.sequence.map((line, index) => `${index + 1}. ${cell(line)}`).join('<br>')} | ${cell(row.deviation)} |`,
      );
    } else {
      lines.push(`| \`${row.fault}\` | no | not reachable: ${cell(UNREACHABLE[row.fault] ?? 'NO REASON STATED')} | |`);
    }
  }
  return lines.join('\n');
}

export { faultNames };
