import type { RandomSource } from '../model/random.ts';

/**
 * Seeds: any integer or string, all of it used. The seed's text is hashed (SHA-256, Web Crypto, so
 * browsers get the same bytes as Node) into the signing key and the PRNG's 32-bit start state, so
 * seeds that share their low 32 bits (`0` and `4294967296`) still give different keys and tokens.
 */
export type Seed = number | bigint | string;

/** The seed as the text that is hashed; a TypeError for what cannot be used in full. */
export function seedText(seed: Seed): string {
  if (typeof seed === 'bigint') return seed.toString();
  if (typeof seed === 'number') {
    // A fraction or NaN would have to be rounded or dropped: refused rather than silently changed.
    if (!Number.isInteger(seed)) throw new TypeError(`seed must be an integer or a string (got ${seed})`);
    return BigInt(seed).toString();
  }
  if (typeof seed === 'string' && seed !== '') return seed;
  throw new TypeError('seed must be an integer or a non-empty string');
}

export interface SeedMaterial {
  /** Signing key bytes. */
  key: Uint8Array;
  /** Start state of the seeded PRNG. */
  randomState: number;
}

async function digest(label: string, text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(`mapbox-tokens-mock/${label}:${text}`)));
}

/** Key and PRNG state derived from the whole seed (separate labels: neither reveals the other). */
export async function seedMaterial(seed: Seed, keyBytes: number): Promise<SeedMaterial> {
  const text = seedText(seed);
  const [key, state] = await Promise.all([digest('signing-key', text), digest('random', text)]);
  return { key: key.subarray(0, keyBytes), randomState: new DataView(state.buffer).getUint32(0) };
}

/**
 * A 32-bit number from the whole seed, synchronously (FNV-1a over its text): for draws that need
 * no secrecy, such as simulated latency, where waiting for Web Crypto's digest is not possible.
 */
export function seedNumber(seed: Seed): number {
  let hash = 0x811c9dc5;
  for (const char of seedText(seed)) {
    hash ^= char.codePointAt(0)!;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/** The random source of an unseeded mock: Math.random, with no state to snapshot or rewind. */
export function createUnseededRandom(): RandomSource {
  return { next: () => Math.random(), state: () => undefined, rewind: () => undefined };
}
