import { operationPath } from '../http/routes.ts';

/** What the CLI prints once the server listens. */
export interface BannerInfo {
  baseUrl: string;
  username: string;
  /** The default account's master secret token. */
  token: string;
  docsUrl: string | undefined;
  /** Faults the mock was started with (deliberate deviations from the documented API); usually none. */
  faults?: readonly string[];
}

/**
 * The `--json` line, for scripts that start the server: `baseUrl`, `username`, `token`, and
 * `faults` (the list) only when faults are active, so a faulty mock never passes for a faithful one.
 */
export function formatJsonLine(info: BannerInfo): string {
  const faults = info.faults ?? [];
  return JSON.stringify({ baseUrl: info.baseUrl, username: info.username, token: info.token, ...(faults.length > 0 && { faults }) });
}

/** The human banner: where the server is, whose token to use, a curl line that works as printed. */
export function formatBanner(info: BannerInfo): string {
  const listUrl = `${info.baseUrl}${operationPath('listTokens', { username: info.username })}?access_token=${info.token}`;
  const lines = [
    `Mapbox Tokens API mock listening on ${info.baseUrl}`,
    `  username      ${info.username}`,
    `  secret token  ${info.token}`,
    `  try           curl "${listUrl}"`,
  ];
  if (info.docsUrl !== undefined) lines.push(`  API reference ${info.docsUrl}`);
  const faults = info.faults ?? [];
  if (faults.length > 0) {
    lines.push(`  FAULTS        ${faults.join(', ')}`, '                (injected on purpose: this mock does NOT behave as documented)');
  }
  lines.push('Press Ctrl+C to stop.');
  return lines.join('\n');
}
