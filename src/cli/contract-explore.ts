/** `contract-test --explore`: runs the explorer and reports; the replay script of a divergence goes to a file. */
import { writeFile } from 'node:fs/promises';
import { ContractUsageError } from '../contract/errors.ts';
import { exploreContract, type ExploreOptions } from '../contract/explore/explore.ts';
import { renderExploreHuman } from '../contract/explore/report.ts';

export interface ExploreCliOptions {
  baseUrl?: string;
  username?: string;
  token?: string;
  runs?: number;
  seed?: number;
  maxRequests?: number;
  replayScript?: string;
  strictMessages?: boolean;
  timeout: number;
  deadline: number;
  maxBody: number;
  reporter: 'human' | 'json' | 'junit';
  output?: string;
}

/** Exit 0 without a divergence, 1 with one, 130 when interrupted. */
export async function runExploreCli(cli: ExploreCliOptions, io: { stdout: (text: string) => void }, signal: AbortSignal): Promise<number> {
  if (cli.reporter === 'junit') throw new ContractUsageError('--explore reports as human or json (there are no checks for JUnit)');
  // The main run's bounds: per-request timeout, body cap, and --deadline as the exploration's time limit.
  const options: ExploreOptions = { signal, timeoutMs: cli.timeout * 1000, maxBodyBytes: cli.maxBody, timeLimitMs: cli.deadline * 1000 };
  if (cli.baseUrl) {
    options.baseUrl = cli.baseUrl;
    if (cli.username) options.username = cli.username;
    if (cli.token) options.token = cli.token;
  } else if (cli.reporter === 'human') io.stdout('no --base-url: exploring the embedded mock in-process\n');
  if (cli.runs !== undefined) options.runs = cli.runs;
  if (cli.seed !== undefined) options.seed = cli.seed;
  if (cli.maxRequests !== undefined) options.maxRequests = cli.maxRequests;
  if (cli.strictMessages) options.strictMessages = true;
  const report = await exploreContract(options);
  let replayPath: string | undefined;
  if (report.divergence) {
    replayPath = cli.replayScript ?? `contract-explore-${report.seed}.sh`;
    await writeFile(replayPath, report.divergence.replayScript, { encoding: 'utf8', mode: 0o755 });
  }
  const text = cli.reporter === 'human' ? renderExploreHuman(report, replayPath) : `${JSON.stringify(report, null, 2)}\n`;
  if (cli.output) await writeFile(cli.output, text, 'utf8');
  io.stdout(cli.output && cli.reporter !== 'human' ? `contract-test --explore: report written to ${cli.output}\n` : text);
  if (report.stopped === 'aborted') return 130;
  return report.divergence ? 1 : 0;
}
