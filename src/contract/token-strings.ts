/**
 * Reading token strings the way clients do (`usage.payload.signature`, payload = base64url JSON),
 * written independently of the mock's own codec so a codec bug cannot hide from the suite.
 */
export interface DecodedToken {
  usage: string;
  claims: Record<string, unknown>;
}

export function decodeTokenString(token: string): DecodedToken | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  const [usage, payload] = parts as [string, string, string];
  try {
    const claims: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    if (claims === null || typeof claims !== 'object' || Array.isArray(claims)) return undefined;
    return { usage, claims: claims as Record<string, unknown> };
  } catch {
    return undefined;
  }
}

/** The same token with a different (well-formed, 22-character) signature. */
export function forgeSignature(token: string): string {
  const parts = token.split('.');
  const signature = parts[2] ?? '';
  const forged = signature === 'A'.repeat(22) ? 'B'.repeat(22) : 'A'.repeat(22);
  return [parts[0], parts[1], forged].join('.');
}
