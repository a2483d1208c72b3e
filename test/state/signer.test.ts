import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { SIGNATURE_BYTES } from '../../src/model/signing.ts';
import {
  createCachingSigner as createSigner,
  defaultHmacImplementation,
  nodeCryptoHmac,
  webCryptoHmac,
  type HmacImplementation,
} from '../../src/state/signer.ts';

/** An implementation the test does not take from the package: the expected bytes. */
const reference = (key: Uint8Array, message: string): string =>
  createHmac('sha256', key).update(message, 'utf8').digest().subarray(0, SIGNATURE_BYTES).toString('base64url');

const nodeHmac = nodeCryptoHmac()!;
const implementations: Array<[string, HmacImplementation]> = [
  ['node:crypto', nodeHmac],
  ['web-crypto', webCryptoHmac],
];

// Signed parts are "usage.payload" in practice; the properties also cover any text, including
// astral code points and lone surrogates (both sides must encode them as the same UTF-8).
const loneSurrogates = fc.string({ unit: fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code)) });
const message = fc.oneof(
  fc.constantFrom('pk', 'sk', 'tk').chain((usage) => fc.base64String().map((payload) => `${usage}.${payload.replace(/=+$/, '')}`)),
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.tuple(fc.string({ unit: 'binary' }), loneSurrogates).map(([a, b]) => a + b),
);
// Any non-empty key (Web Crypto refuses empty ones); longer than 64 bytes, HMAC hashes the key first.
const key = fc.uint8Array({ minLength: 1, maxLength: 130 });

describe('signing', () => {
  it('uses the synchronous node:crypto HMAC under Node, Web Crypto otherwise', () => {
    expect(nodeHmac).toBeDefined();
    expect(defaultHmacImplementation().name).toBe('node:crypto');
  });

  it.each(implementations)('%s matches the RFC 4231 vector (first 16 bytes, base64url)', async (_name, implementation) => {
    const signer = await createSigner(new TextEncoder().encode('Jefe'), implementation);
    // HMAC-SHA-256 = 5bdcc146bf60754e6a042426089575c7 5a003f08...
    expect(await signer.sign('what do ya want for nothing?')).toBe('W9zBRr9gdU5qBCQmCJV1xw');
  });

  it('gives byte-identical signatures on both paths, each verifying the other', async () => {
    await fc.assert(
      fc.asyncProperty(key, message, async (keyBytes, signedPart) => {
        const node = await createSigner(keyBytes, nodeHmac);
        const web = await createSigner(keyBytes, webCryptoHmac);
        const fromNode = await node.sign(signedPart);
        const fromWeb = await web.sign(signedPart);
        expect(fromNode).toBe(reference(keyBytes, signedPart));
        expect(fromWeb).toBe(fromNode);
        expect(fromNode).toMatch(/^[A-Za-z0-9_-]{22}$/);
        expect(await node.verify(signedPart, fromWeb)).toBe(true);
        expect(await web.verify(signedPart, fromNode)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it.each(implementations)(
    '%s rejects another key, another message and a tampered signature, also once cached',
    async (_name, implementation) => {
      await fc.assert(
        fc.asyncProperty(key, key, message, fc.nat(21), async (keyBytes, otherKey, signedPart, at) => {
          fc.pre(Buffer.compare(keyBytes, otherKey) !== 0);
          const signer = await createSigner(keyBytes, implementation);
          const other = await createSigner(otherKey, implementation);
          const signature = await signer.sign(signedPart);
          const tampered = signature.slice(0, at) + (signature[at] === 'A' ? 'B' : 'A') + signature.slice(at + 1);
          for (let pass = 0; pass < 2; pass++) {
            expect(await signer.verify(signedPart, signature)).toBe(true);
            expect(await other.verify(signedPart, signature)).toBe(false);
            expect(await signer.verify(`${signedPart}x`, signature)).toBe(false);
            expect(await signer.verify(signedPart, tampered)).toBe(false);
          }
        }),
        { numRuns: 100 },
      );
    },
  );

  describe('falls back to Web Crypto when node:crypto is out of reach', () => {
    const original = Object.getOwnPropertyDescriptor(process, 'getBuiltinModule')!;
    afterEach(() => {
      Object.defineProperty(process, 'getBuiltinModule', original);
    });
    const withGetBuiltinModule = (value: unknown): HmacImplementation => {
      Object.defineProperty(process, 'getBuiltinModule', { ...original, value });
      return defaultHmacImplementation();
    };

    it('without getBuiltinModule (Node < 22.3, browsers, other runtimes)', () => {
      expect(withGetBuiltinModule(undefined)).toBe(webCryptoHmac);
    });

    it('when getBuiltinModule finds no crypto module, one without createHmac, or throws', () => {
      expect(withGetBuiltinModule(() => undefined)).toBe(webCryptoHmac);
      expect(withGetBuiltinModule(() => ({ randomBytes: () => undefined }))).toBe(webCryptoHmac);
      expect(
        withGetBuiltinModule(() => {
          throw new Error('denied by a permission model');
        }),
      ).toBe(webCryptoHmac);
    });

    it('and the fallback signer verifies what the default signer issued', async () => {
      const keyBytes = new Uint8Array(32).fill(9);
      const issued = await (await createSigner(keyBytes)).sign('sk.eyJ1IjoieCJ9');
      const fallback = await createSigner(keyBytes, withGetBuiltinModule(undefined));
      expect(await fallback.verify('sk.eyJ1IjoieCJ9', issued)).toBe(true);
    });
  });
});
