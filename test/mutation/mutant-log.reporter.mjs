// A StrykerJS reporter (stryker.config.json `reporters`): one JSON line per mutant, written as soon
// as the mutant is tested, to reports/mutation/mutants.ndjson. Stryker's own JSON report appears
// only when the whole run ends; with this log, a run stopped early (a long run on shared cores)
// still shows every mutant tested so far, and survivors can be read while it runs.
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

const LOG = 'reports/mutation/mutants.ndjson';

class MutantLogReporter {
  static inject = [];

  constructor() {
    mkdirSync(dirname(LOG), { recursive: true });
    writeFileSync(LOG, '');
  }

  onMutantTested(result) {
    const { id, fileName, location, mutatorName, replacement, status, statusReason, coveredBy, killedBy } = result;
    const line = {
      id,
      file: fileName,
      line: location.start.line,
      column: location.start.column + 1,
      mutatorName,
      replacement,
      status,
      statusReason,
      coveredBy: coveredBy?.length,
      killedBy,
    };
    appendFileSync(LOG, `${JSON.stringify(line)}\n`);
  }
}

export const strykerPlugins = [{ kind: 'Reporter', name: 'mutant-log', injectableClass: MutantLogReporter }];
