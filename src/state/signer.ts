import { createSigner, SIGNING_KEY_BYTES, type Hmac, type Signer } from '../model/signing.ts';

// The signer a mock's model gets (src/model/signing.ts says what a signature is): the fastest HMAC
// the runtime offers, and a bounded cache of verification verdicts.

/** Prepares an Hmac for a raw key. */
export interface HmacImplementation {
  readonly name: string;
  forKey(keyBytes: Uint8Array): Hmac | Promise<Hmac>;
}

/** Web Crypto: every platform the package supports has it; async. */
export const webCryptoHmac: HmacImplementation = {
  name: 'web-crypto',
  async forKey(keyBytes) {
    const key = await crypto.subtle.importKey('raw', keyBytes as Uint8Array<ArrayBuffer>, { name: 'HMAC', hash: 'SHA-256' }, false, [
      'sign',
    ]);
    const encoder = new TextEncoder();
    return async (message) => new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(message)));
  },
};

/** The slice of node:crypto used here, typed locally so the package needs no Node types. */
interface NodeCrypto {
  createSecretKey(key: Uint8Array): object;
  createHmac(algorithm: 'sha256', key: object): { update(data: string, encoding: 'utf8'): { digest(): Uint8Array } };
}
interface RuntimeWithBuiltins {
  process?: { getBuiltinModule?: (id: string) => unknown };
}

/**
 * node:crypto's synchronous createHmac when the runtime exposes getBuiltinModule (Node >= 22.3;
 * other runtimes that emulate it work too), else undefined. `process` is read off globalThis so
 * that bundlers do not polyfill it and browsers simply find nothing.
 */
export function nodeCryptoHmac(): HmacImplementation | undefined {
  let nodeCrypto: NodeCrypto;
  try {
    const getBuiltinModule = (globalThis as RuntimeWithBuiltins).process?.getBuiltinModule;
    if (typeof getBuiltinModule !== 'function') return undefined;
    const candidate = getBuiltinModule('node:crypto') as Partial<NodeCrypto> | undefined;
    if (typeof candidate?.createHmac !== 'function' || typeof candidate.createSecretKey !== 'function') return undefined;
    nodeCrypto = candidate as NodeCrypto;
  } catch {
    return undefined;
  }
  return {
    name: 'node:crypto',
    forKey(keyBytes) {
      // A KeyObject made once: createHmac with raw key bytes imports the key on every call, ~8x slower.
      const key = nodeCrypto.createSecretKey(keyBytes);
      // A fresh Hmac per message: node:crypto's Hmac is single-use after digest().
      return (message) => nodeCrypto.createHmac('sha256', key).update(message, 'utf8').digest();
    },
  };
}

/** The runtime's synchronous HMAC when there is one, else Web Crypto. */
export function defaultHmacImplementation(): HmacImplementation {
  return nodeCryptoHmac() ?? webCryptoHmac;
}

/** The model's signer, as the mock adds to it: verdicts are cached (see VERIFY_CACHE_SIZE). */
export interface CachingSigner extends Signer {
  /** Verdicts held by the verification cache now (at most VERIFY_CACHE_SIZE). */
  cachedVerdicts(): number;
}

/**
 * Every request verifies its token, so verdicts are memoised. A signature's validity under a fixed
 * key never changes, so the cache cannot go stale. It is a bounded LRU, because anonymous clients
 * choose what goes into it: at most VERIFY_CACHE_SIZE verdicts, each for a token of at most
 * VERIFY_CACHE_MAX_KEY_CHARS characters (longer ones, which the mock never issues, are verified
 * every time), so the cache holds at most ~10 MB whatever clients send (issue 14: forged 15 KB
 * tokens used to pin ~290 MB).
 * Measured (node 24, retrieve through mock.fetch, same token, alternating rounds): with Web Crypto
 * a miss costs ~100 µs (an async round trip through the thread pool); with the synchronous
 * node:crypto HMAC an uncached retrieve still took ~1.6x a cached one (~94 vs ~57 µs; a bare
 * verify measures ~10 µs, a cache hit ~0.8 µs), while the cache's bookkeeping adds ~1 µs to a miss.
 * So the cache stays, for both implementations.
 */
export const VERIFY_CACHE_SIZE = 10_000;
/** Longest token (signed part + signature) whose verdict is cached; the mock's own are far shorter. */
export const VERIFY_CACHE_MAX_KEY_CHARS = 1024;
/** A signer for `keyBytes` with the runtime's HMAC (or `implementation`) and a verdict cache. */
export async function createCachingSigner(
  keyBytes: Uint8Array,
  implementation: HmacImplementation = defaultHmacImplementation(),
): Promise<CachingSigner> {
  const signer = createSigner(keyBytes, await implementation.forKey(keyBytes));
  const verdicts = new Map<string, boolean>();
  return {
    keyBytes,
    sign: signer.sign,
    cachedVerdicts: () => verdicts.size,
    async verify(signedPart: string, signature: string): Promise<boolean> {
      const key = `${signedPart}.${signature}`;
      const cacheable = key.length <= VERIFY_CACHE_MAX_KEY_CHARS;
      const known = cacheable ? verdicts.get(key) : undefined;
      if (known !== undefined) {
        // Most recently used last: a Map iterates in insertion order, so the first key is the LRU.
        verdicts.delete(key);
        verdicts.set(key, known);
        return known;
      }
      const verdict = await signer.verify(signedPart, signature);
      if (!cacheable) return verdict;
      if (verdicts.size >= VERIFY_CACHE_SIZE) verdicts.delete(verdicts.keys().next().value!);
      verdicts.set(key, verdict);
      return verdict;
    },
  };
}

/** The signing key of an unseeded mock. */
export function randomSigningKey(): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(SIGNING_KEY_BYTES));
}
