/** What the CLI prints once the server listens. */
export interface BannerInfo {
  baseUrl: string;
  username: string;
  /** The default account's master secret token. */
  token: string;
  docsUrl: string | undefined;
}

/** The `--json` line: exactly these three keys, for scripts that start the server. */
export function formatJsonLine(info: BannerInfo): string {
  return JSON.stringify({ baseUrl: info.baseUrl, username: info.username, token: info.token });
}

/** The human banner: where the server is, whose token to use, a curl line that works as printed. */
export function formatBanner(info: BannerInfo): string {
  const listUrl = `${info.baseUrl}/tokens/v2/${encodeURIComponent(info.username)}?access_token=${info.token}`;
  const lines = [
    `Mapbox Tokens API mock listening on ${info.baseUrl}`,
    `  username      ${info.username}`,
    `  secret token  ${info.token}`,
    `  try           curl "${listUrl}"`,
  ];
  if (info.docsUrl !== undefined) lines.push(`  API reference ${info.docsUrl}`);
  lines.push('Press Ctrl+C to stop.');
  return lines.join('\n');
}
