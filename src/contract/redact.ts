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
  readonly #secrets = new Set<string>();
  /** Longest first: a whole token goes before its signature alone. Rebuilt after an add. */
  #ordered: string[] | undefined;

  constructor(initial: readonly string[] = []) {
    for (const secret of initial) this.add(secret);
  }

  /** A token string (and its signature alone) becomes a secret. */
  add(found: string): void {
    if (found.length < MIN_SECRET_LENGTH || this.#secrets.has(found)) return;
    // Found inside a body: a copy, so the set does not keep the whole body alive.
    const secret = detach(found);
    this.#secrets.add(secret);
    const parts = secret.split('.');
    const signature = parts.length === 3 ? parts[2]! : '';
    if (signature.length >= MIN_SECRET_LENGTH) this.#secrets.add(signature);
    this.#ordered = undefined;
  }

  /** Every token string in a body (raw text and parsed strings, keys included) becomes a secret. */
  harvest(text: string, json: unknown): void {
    for (const match of text.matchAll(TOKEN_STRING_ANYWHERE)) this.add(match[0]);
    walkStrings(json, (value) => {
      for (const match of value.matchAll(TOKEN_STRING_ANYWHERE)) this.add(match[0]);
    });
  }

  list(): string[] {
    return [...this.#secrets];
  }

  redact(text: string): string {
    this.#ordered ??= [...this.#secrets].sort((a, b) => b.length - a.length);
    return redactPatterns(redactSpellings(text, this.#ordered));
  }
}

/**
 * Replaces each secret found in `text` in any spelling, matching on the decoded text. No pattern is
 * compiled per secret: a run sees hundreds of token strings, and one regular expression each
 * filled V8's code space until the process aborted.
 */
function redactSpellings(text: string, secrets: readonly string[]): string {
  const decoded = decodeEscapes(text);
  const taken: [start: number, end: number, replacement: string][] = [];
  for (const secret of secrets) {
    for (let at = decoded.text.indexOf(secret); at !== -1; at = decoded.text.indexOf(secret, at + secret.length)) {
      const start = decoded.offset(at);
      const end = decoded.offset(at + secret.length);
      if (taken.some(([from, to]) => start < to && from < end)) continue; // inside a longer secret already taken
      taken.push([start, end, redactTokenValue(secret)]);
    }
  }
  if (taken.length === 0) return text;
  taken.sort((a, b) => a[0] - b[0]);
  let out = '';
  let copied = 0;
  for (const [start, end, replacement] of taken) {
    out += text.slice(copied, start) + replacement;
    copied = end;
  }
  return out + text.slice(copied);
}

const ESCAPE = /\\u([0-9a-fA-F]{4})|%([0-9a-fA-F]{2})/g;

/**
 * `text` with every `\uXXXX` and `%XX` escape decoded, and where each decoded character starts in
 * `text` (`offset(length)` is its end), so a match maps back to the original. Most strings have no
 * escape: they are their own decoding, with no offset table built.
 */
function decodeEscapes(text: string): { text: string; offset: (index: number) => number } {
  if (!text.includes('\\') && !text.includes('%')) return { text, offset: (index) => index };
  const starts: number[] = [];
  let out = '';
  let copied = 0;
  for (const match of text.matchAll(ESCAPE)) {
    for (let i = copied; i < match.index; i++) starts.push(i);
    out += text.slice(copied, match.index) + String.fromCharCode(Number.parseInt(match[1] ?? match[2]!, 16));
    starts.push(match.index);
    copied = match.index + match[0].length;
  }
  for (let i = copied; i <= text.length; i++) starts.push(i);
  return { text: out + text.slice(copied), offset: (index) => starts[index]! };
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
