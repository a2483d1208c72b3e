import { bytesToBase64Url } from './base64url.ts';

/**
 * Token signatures: the first 16 bytes of HMAC-SHA-256(key, "usage.payload"), unpadded base64url
 * (22 chars, FACTS §6.3). Web Crypto keeps this browser-safe; the price is that signing is async.
 */
export interface Signer {
  sign(signedPart: string): Promise<string>;
  verify(signedPart: string, signature: string): Promise<boolean>;
  /** Raw key bytes (snapshots store them so restored tokens still verify). */
  readonly keyBytes: Uint8Array;
}

export const SIGNATURE_BYTES = 16;
/**
 * Web Crypto signing costs tens of microseconds per call (an async round trip), and every request
 * verifies its token: verdicts are memoised. A signature's validity under a fixed key never
 * changes, so the cache cannot go stale; it is simply emptied when full to bound memory.
 */
export const VERIFY_CACHE_SIZE = 10_000;
export const SIGNING_KEY_BYTES = 32;

export async function createSigner(keyBytes: Uint8Array): Promise<Signer> {
  const key = await crypto.subtle.importKey('raw', keyBytes as Uint8Array<ArrayBuffer>, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const encoder = new TextEncoder();
  const sign = async (signedPart: string): Promise<string> => {
    const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(signedPart)));
    return bytesToBase64Url(mac.subarray(0, SIGNATURE_BYTES));
  };
  const verdicts = new Map<string, boolean>();
  return {
    keyBytes,
    sign,
    async verify(signedPart: string, signature: string): Promise<boolean> {
      const key = `${signedPart}.${signature}`;
      const known = verdicts.get(key);
      if (known !== undefined) return known;
      // Timing safety does not matter for a mock; a plain comparison is enough.
      const verdict = (await sign(signedPart)) === signature;
      if (verdicts.size >= VERIFY_CACHE_SIZE) verdicts.clear();
      verdicts.set(key, verdict);
      return verdict;
    },
  };
}

export function randomSigningKey(): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(SIGNING_KEY_BYTES));
}
