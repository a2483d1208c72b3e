import { bytesToBase64Url } from './base64url.ts';

/**
 * Token signatures: the first 16 bytes of HMAC-SHA-256(key, "usage.payload"), unpadded base64url
 * (22 chars, docs/sources.md §6.3). Which implementation computes the HMAC (node:crypto or Web
 * Crypto) and the cache of verdicts are the mock's choice (src/state/signer.ts); the model only
 * signs and verifies. The interface is async so callers need not know which implementation runs.
 */
export interface Signer {
  sign(signedPart: string): Promise<string>;
  verify(signedPart: string, signature: string): Promise<boolean>;
  /** Raw key bytes (snapshots store them so restored tokens still verify). */
  readonly keyBytes: Uint8Array;
}

export const SIGNATURE_BYTES = 16;
export const SIGNING_KEY_BYTES = 32;

/** HMAC-SHA-256 under one key: the full 32-byte MAC of the message's UTF-8 bytes. */
export type Hmac = (message: string) => Uint8Array | Promise<Uint8Array>;

/** Signs with `mac`, an HMAC-SHA-256 under `keyBytes`; a signature verifies when signing gives it again. */
export function createSigner(keyBytes: Uint8Array, mac: Hmac): Signer {
  const sign = async (signedPart: string): Promise<string> => bytesToBase64Url((await mac(signedPart)).subarray(0, SIGNATURE_BYTES));
  return {
    keyBytes,
    sign,
    // Timing safety does not matter for a mock; a plain comparison is enough.
    verify: async (signedPart, signature) => (await sign(signedPart)) === signature,
  };
}
