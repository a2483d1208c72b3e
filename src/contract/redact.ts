/**
 * Secrets never leave the suite: every token string (pk/sk/tk with three parts), every
 * `access_token` query value and every secret the run has seen (the master token, each token
 * string a server showed, and each one's signature part alone) is replaced by its redacted form
 * (`sk.…`) before anything is recorded, reported or thrown. A secret is found in any spelling a
 * body or URL can give it: raw, JSON-escaped (`\u002e`), percent-encoded (`%2E`), in object keys.
 */

import { detach } from './bounded-json.ts';

const TOKEN_STRING = /\b(pk|sk|tk)\.[A-Za-z0-9_\-+/=%]+\.[A-Za-z0-9_\-+/=%]+/g;
const TOKEN_STRING_ANYWHERE = /(?:pk|sk|tk)\.[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]{2,}/g;
const ACCESS_TOKEN_PARAM = /([?&]access_token=)([^&#\s"']*)/g;
/** Values nested deeper than this are replaced, not walked (bodies are bounded before, see bounded-json). */
const MAX_REDACT_DEPTH = 100;
/** Shorter strings are no secrets worth a pattern (and would redact ordinary words). */
const MIN_SECRET_LENGTH = 8;

/** `sk.eyJ….abc` -> `sk.…`; anything else that is not empty -> `…`. */
function redactTokenValue(value: string): string {
  const usage = /^(pk|sk|tk)\./.exec(value);
  if (usage) return `${usage[1]}.…`;
  return value.length === 0 ? '' : '…';
}

/** The secrets of one run; grows as servers show token strings. */
export class SecretSet {
  readonly #secrets = new Map<string, RegExp>();

  constructor(initial: readonly string[] = []) {
    for (const secret of initial) this.add(secret);
  }

  /** A token string (and its signature alone) becomes a secret. */
  add(found: string): void {
    if (found.length < MIN_SECRET_LENGTH || this.#secrets.has(found)) return;
    // Found inside a body: a copy, so the set does not keep the whole body alive.
    const secret = detach(found);
    this.#secrets.set(secret, spellingsPattern(secret));
    const parts = secret.split('.');
    const signature = parts.length === 3 ? parts[2]! : '';
    if (signature.length >= MIN_SECRET_LENGTH && !this.#secrets.has(signature)) this.#secrets.set(signature, spellingsPattern(signature));
  }

  /** Every token string in a body (raw text and parsed strings, keys included) becomes a secret. */
  harvest(text: string, json: unknown): void {
    for (const match of text.matchAll(TOKEN_STRING_ANYWHERE)) this.add(match[0]);
    walkStrings(json, (value) => {
      for (const match of value.matchAll(TOKEN_STRING_ANYWHERE)) this.add(match[0]);
    });
  }

  list(): string[] {
    return [...this.#secrets.keys()];
  }

  redact(text: string): string {
    let out = text;
    // Longest first: a whole token goes before its signature alone.
    for (const [secret, pattern] of [...this.#secrets].sort((a, b) => b[0].length - a[0].length)) {
      pattern.lastIndex = 0;
      out = out.replace(pattern, redactTokenValue(secret));
    }
    return redactPatterns(out);
  }
}

/** Redacts token strings, `access_token=` values and any extra secret given (e.g. the master token). */
export function redactText(text: string, extraSecrets: readonly string[] | SecretSet = []): string {
  const set = extraSecrets instanceof SecretSet ? extraSecrets : new SecretSet(extraSecrets);
  return set.redact(text);
}

/** Redacts every string and object key of a JSON-like value; depth-limited, never recursing without bound. */
export function redactValue<T>(value: T, extraSecrets: readonly string[] | SecretSet = []): T {
  const set = extraSecrets instanceof SecretSet ? extraSecrets : new SecretSet(extraSecrets);
  return redactNode(value, set, 0) as T;
}

function redactNode(value: unknown, set: SecretSet, depth: number): unknown {
  if (typeof value === 'string') return set.redact(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_REDACT_DEPTH) return '[nested too deep: not shown]';
  if (Array.isArray(value)) return value.map((item) => redactNode(item, set, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) out[set.redact(key)] = redactNode(item, set, depth + 1);
  return out;
}

function redactPatterns(text: string): string {
  const out = text.replace(ACCESS_TOKEN_PARAM, (_match, prefix: string, value: string) => {
    // A shell variable (`$MAPBOX_ACCESS_TOKEN` in a replay line) is a placeholder, not a secret.
    if (/^\$[A-Z_]+$/.test(value)) return `${prefix}${value}`;
    return `${prefix}${redactTokenValue(decodeSafely(value))}`;
  });
  return out.replace(TOKEN_STRING, (match) => redactTokenValue(match));
}

/** Each character of `secret` in any of its spellings: itself, `\uXXXX` (any case), `%XX` (any case). */
function spellingsPattern(secret: string): RegExp {
  const parts = [...secret].map((char) => {
    const code = char.codePointAt(0)!;
    if (code > 0xff) return escapeRegExp(char);
    const hex = code.toString(16).padStart(2, '0');
    const escapes = `\\\\u00${hexPattern(hex)}|%${hexPattern(hex)}`;
    return `(?:${escapeRegExp(char)}|${escapes})`;
  });
  return new RegExp(parts.join(''), 'g');
}

function hexPattern(hex: string): string {
  return [...hex].map((digit) => (/[a-f]/.test(digit) ? `[${digit}${digit.toUpperCase()}]` : digit)).join('');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

/** Calls `visit` on every string (and key) of a bounded JSON value, iteratively. */
function walkStrings(root: unknown, visit: (value: string) => void): void {
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const value = stack.pop();
    if (typeof value === 'string') visit(value);
    else if (Array.isArray(value)) for (const item of value) stack.push(item);
    else if (value !== null && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) {
        visit(key);
        stack.push(item);
      }
    }
  }
}

function decodeSafely(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
