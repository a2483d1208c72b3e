import { base64UrlToText, textToBase64Url } from './base64url.ts';
import type { Signer } from './signing.ts';

/**
 * Token strings are `usage.payload.signature` (docs/sources.md §6): payload = unpadded base64url of compact JSON,
 * `{"u","a"}` for pk/sk and `{"u","exp","iat","scopes","client"}` for tk, in that key order.
 */
export type PermanentUsage = 'pk' | 'sk';
export type TokenUsage = PermanentUsage | 'tk';

export interface PermanentClaims {
  u: string;
  a: string;
}

export interface TemporaryClaims {
  u: string;
  exp: number;
  iat: number;
  scopes: string[];
  client: 'api';
}

export interface TokenParts {
  usage: TokenUsage;
  payload: string;
  signature: string;
}

export type TokenClaims = { usage: PermanentUsage; claims: PermanentClaims } | { usage: 'tk'; claims: TemporaryClaims };

const USAGES: ReadonlySet<string> = new Set(['pk', 'sk', 'tk']);

/** Structural split: exactly three non-empty dot parts and a known usage prefix, else undefined (malformed). */
export function splitToken(token: string): TokenParts | undefined {
  const parts = token.split('.');
  if (parts.length !== 3 || parts.some((part) => part.length === 0)) return undefined;
  const [usage, payload, signature] = parts as [string, string, string];
  if (!USAGES.has(usage)) return undefined;
  return { usage: usage as TokenUsage, payload, signature };
}

export function encodePermanentPayload(claims: PermanentClaims): string {
  return textToBase64Url(JSON.stringify({ u: claims.u, a: claims.a }));
}

export function encodeTemporaryPayload(claims: TemporaryClaims): string {
  return textToBase64Url(JSON.stringify({ u: claims.u, exp: claims.exp, iat: claims.iat, scopes: claims.scopes, client: claims.client }));
}

/**
 * The browser SDK decodes payloads with atob, which rejects the base64url characters `-` and `_`
 * (docs/sources.md §1.2): issued payloads should avoid them.
 */
// Stryker disable next-line BlockStatement: [conforming] payloads without '-' or '_' (which atob refuses) are the mock's choice for browser clients, not a documented rule
export function isAtobSafePayload(payload: string): boolean {
  // Stryker disable next-line BooleanLiteral,Regex: [conforming] payloads without '-' or '_' (which atob refuses) are the mock's choice for browser clients, not a documented rule
  return !/[-_]/.test(payload);
}

/** An array whose every item is a string. */
export function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

/** Decodes the payload into claims of the given usage; undefined when it is not base64 JSON of that shape. */
/** The largest time a Date holds, in seconds (ECMAScript: 8.64e15 ms either side of the epoch). */
const MAX_DATE_SECONDS = 8.64e12;

function isEpochSeconds(value: unknown): value is number {
  return Number.isSafeInteger(value) && Math.abs(value as number) <= MAX_DATE_SECONDS;
}

export function decodeClaims(parts: TokenParts): TokenClaims | undefined {
  const text = base64UrlToText(parts.payload);
  if (text === undefined) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return undefined;
  const record = json as Record<string, unknown>;
  if (typeof record.u !== 'string') return undefined;
  if (parts.usage === 'tk') {
    const { exp, iat, scopes, client } = record;
    // Only the documented shape decodes: times a Date can hold (a forged `exp: 1e300` must read as
    // invalid, not crash the presenter) and the one client the API issues.
    if (!isEpochSeconds(exp) || !isEpochSeconds(iat) || !isStringArray(scopes) || client !== 'api') {
      return undefined;
    }
    return { usage: 'tk', claims: { u: record.u, exp, iat, scopes, client } };
  }
  if (typeof record.a !== 'string') return undefined;
  return { usage: parts.usage, claims: { u: record.u, a: record.a } };
}

export async function signPayload(signer: Signer, usage: TokenUsage, payload: string): Promise<string> {
  const signedPart = `${usage}.${payload}`;
  return `${signedPart}.${await signer.sign(signedPart)}`;
}

export async function verifyTokenSignature(signer: Signer, parts: TokenParts): Promise<boolean> {
  return signer.verify(`${parts.usage}.${parts.payload}`, parts.signature);
}

/** How far back `iat` may move to find an atob-safe tk payload (best effort, documented). */
const MAX_IAT_NUDGE_SECONDS = 5;

/** Builds tk claims whose payload avoids `-`/`_`, moving iat back by up to MAX_IAT_NUDGE_SECONDS. */
export function atobSafeTemporaryPayload(claims: TemporaryClaims): { claims: TemporaryClaims; payload: string } {
  let first: { claims: TemporaryClaims; payload: string } | undefined;
  for (let nudge = 0; nudge <= MAX_IAT_NUDGE_SECONDS; nudge++) {
    const candidate = { ...claims, iat: claims.iat - nudge };
    const payload = encodeTemporaryPayload(candidate);
    first ??= { claims: candidate, payload };
    // Stryker disable next-line ConditionalExpression: [conforming] payloads without '-' or '_' (which atob refuses) are the mock's choice for browser clients, not a documented rule
    if (isAtobSafePayload(payload)) return { claims: candidate, payload };
  }
  return first!;
}
