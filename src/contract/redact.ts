/**
 * Secrets never leave the suite: every token string (pk/sk/tk with three parts) and every
 * `access_token` query value is replaced by its redacted form (`sk.…`) before anything is
 * recorded, reported or thrown.
 */

const TOKEN_STRING = /\b(pk|sk|tk)\.[A-Za-z0-9_\-+/=%]+\.[A-Za-z0-9_\-+/=%]+/g;
const ACCESS_TOKEN_PARAM = /([?&]access_token=)([^&#\s"']*)/g;

/** `sk.eyJ….abc` -> `sk.…`; anything else that is not empty -> `…`. */
export function redactTokenValue(value: string): string {
  const usage = /^(pk|sk|tk)\./.exec(value);
  if (usage) return `${usage[1]}.…`;
  return value.length === 0 ? '' : '…';
}

/** Redacts token strings, `access_token=` values and any extra secret given (e.g. the master token). */
export function redactText(text: string, extraSecrets: readonly string[] = []): string {
  let out = text;
  for (const secret of extraSecrets) {
    if (secret.length >= 8) out = out.split(secret).join(redactTokenValue(secret));
  }
  out = out.replace(ACCESS_TOKEN_PARAM, (_match, prefix: string, value: string) => {
    // A shell variable (`$MAPBOX_ACCESS_TOKEN` in a replay line) is a placeholder, not a secret.
    if (/^\$[A-Z_]+$/.test(value)) return `${prefix}${value}`;
    return `${prefix}${redactTokenValue(decodeSafely(value))}`;
  });
  return out.replace(TOKEN_STRING, (match) => redactTokenValue(match));
}

/** Deeply redacts every string of a JSON-like value (token fields of bodies included). */
export function redactValue<T>(value: T, extraSecrets: readonly string[] = []): T {
  if (typeof value === 'string') return redactText(value, extraSecrets) as T;
  if (Array.isArray(value)) return value.map((item) => redactValue(item, extraSecrets)) as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = redactValue(item, extraSecrets);
    return out as T;
  }
  return value;
}

function decodeSafely(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
