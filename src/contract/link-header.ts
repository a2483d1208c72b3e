/** The `rel="next"` target of an RFC 8288 Link header (quotes optional, first rel wins), if any. */
export function nextLink(header: string | null): string | undefined {
  if (!header) return undefined;
  for (const entry of header.split(/,\s*(?=<)/)) {
    const match = /^\s*<([^>]*)>(.*)$/.exec(entry);
    if (!match) continue;
    const rel = /;\s*rel\s*=\s*"?([^";]+)"?/i.exec(match[2] ?? '');
    if (rel && rel[1]!.trim().split(/\s+/).includes('next')) return match[1];
  }
  return undefined;
}
