import { describe, expect, it } from 'vitest';
import { base64UrlToText, textToBase64Url, bytesToBase64Url, base64UrlToBytes } from '../../src/model/base64url.ts';
import { comparePositions, decodeCursor, encodeCursor } from '../../src/model/cursor.ts';
import { CUID_PATTERN, createIdGenerator } from '../../src/model/ids.ts';
import { createSeededRandom } from '../../src/model/random.ts';
import { createCachingSigner as createSigner } from '../../src/state/signer.ts';
import {
  atobSafeTemporaryPayload,
  decodeClaims,
  encodePermanentPayload,
  encodeTemporaryPayload,
  isAtobSafePayload,
  signPayload,
  splitToken,
  verifyTokenSignature,
} from '../../src/model/token-codec.ts';

describe('base64url', () => {
  it('round-trips UTF-8 without padding and with the URL alphabet', () => {
    for (const text of ['', 'a', 'ab', 'abc', '{"u":"ü"}', '\u{1F600}??>>']) {
      const encoded = textToBase64Url(text);
      expect(encoded).not.toMatch(/[+/=]/);
      expect(base64UrlToText(encoded)).toBe(text);
    }
    expect(bytesToBase64Url(new Uint8Array([251, 255]))).toBe('-_8');
    expect(base64UrlToBytes('-_8')).toEqual(new Uint8Array([251, 255]));
  });

  it('rejects what is not base64', () => {
    expect(base64UrlToBytes('a')).toBeUndefined();
    expect(base64UrlToBytes('ab$c')).toBeUndefined();
    expect(base64UrlToText('__8')).toBeUndefined(); // not valid UTF-8
  });
});

describe('token codec', () => {
  it('matches the reference example payload byte for byte', () => {
    expect(encodePermanentPayload({ u: 'scothis', a: 'cijucimbe000brbkt48d0dhcx' })).toBe(
      'eyJ1Ijoic2NvdGhpcyIsImEiOiJjaWp1Y2ltYmUwMDBicmJrdDQ4ZDBkaGN4In0',
    );
  });

  it('splits only three non-empty parts with a pk/sk/tk prefix', () => {
    expect(splitToken('pk.a.b')).toEqual({ usage: 'pk', payload: 'a', signature: 'b' });
    for (const bad of ['pk.a', 'pk.a.b.c', 'ak.a.b', 'pk..b', '']) expect(splitToken(bad)).toBeUndefined();
  });

  it('decodes the reference tk example into claims', () => {
    const parts = splitToken(
      'tk.eyJ1IjoibWFwYm94IiwiZXhwIjoxNDczOTY3NjczLCJpYXQiOjE0NzM5Njc2NDMsInNjb3BlcyI6WyJzdHlsZXM6cmVhZCIsImZvbnRzOnJlYWQiXSwiY2xpZW50IjoiYXBpIn0.ZepsWvpjTMlpePE4IQBs0g',
    )!;
    expect(decodeClaims(parts)).toEqual({
      usage: 'tk',
      claims: { u: 'mapbox', exp: 1473967673, iat: 1473967643, scopes: ['styles:read', 'fonts:read'], client: 'api' },
    });
    expect(decodeClaims({ usage: 'pk', payload: textToBase64Url('{"u":"x"}'), signature: 's' })).toBeUndefined();
    expect(decodeClaims({ usage: 'pk', payload: textToBase64Url('[1]'), signature: 's' })).toBeUndefined();
  });

  it('signs with a 22-char HMAC that verifies only with the same key and usage', async () => {
    const signer = await createSigner(new Uint8Array(32).fill(1));
    const other = await createSigner(new Uint8Array(32).fill(2));
    const token = await signPayload(signer, 'sk', 'eyJ1IjoieCJ9');
    const parts = splitToken(token)!;
    expect(parts.signature).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(await verifyTokenSignature(signer, parts)).toBe(true);
    expect(await verifyTokenSignature(other, parts)).toBe(false);
    expect(await verifyTokenSignature(signer, { ...parts, usage: 'pk' })).toBe(false);
  });

  it('moves iat back (at most 5 s) only when that yields a payload without - and _', () => {
    for (const u of ['mockuser', 'jane-doe', 'a>b', 'x?y']) {
      for (let iat = 1_700_000_000; iat < 1_700_000_050; iat++) {
        const base = { u, exp: iat + 600, iat, scopes: ['styles:read', 'tokens:write'], client: 'api' as const };
        const { claims, payload } = atobSafeTemporaryPayload(base);
        const safeNudges = [0, 1, 2, 3, 4, 5].filter((n) => isAtobSafePayload(encodeTemporaryPayload({ ...base, iat: iat - n })));
        expect(claims.exp).toBe(iat + 600);
        expect(iat - claims.iat).toBe(safeNudges[0] ?? 0);
        expect(payload).toBe(encodeTemporaryPayload(claims));
      }
    }
  });
});

describe('ids', () => {
  it('are 25-char cuids whose timestamp decodes to the creation time, deterministic for a seed', () => {
    const a = createIdGenerator(createSeededRandom(1));
    const b = createIdGenerator(createSeededRandom(1));
    const now = Date.parse('2016-01-25T19:07:07.514Z');
    const ids = Array.from({ length: 50 }, () => a.next(now));
    expect(ids).toEqual(Array.from({ length: 50 }, () => b.next(now)));
    for (const id of ids) {
      expect(id).toMatch(CUID_PATTERN);
      expect(parseInt(id.slice(1, 9), 36)).toBe(now);
    }
    expect(new Set(ids).size).toBe(50);
    expect([...ids].sort()).toEqual(ids); // the counter keeps same-millisecond ids ascending
  });
});

describe('cursor', () => {
  it('round-trips and refuses foreign values', () => {
    const position = { key: 1_700_000_000_123, id: 'cabc' };
    expect(decodeCursor(encodeCursor(position))).toEqual(position);
    for (const bad of ['', 'abc', textToBase64Url('12.'), textToBase64Url('x.cabc'), textToBase64Url('1.CAPS')])
      expect(decodeCursor(bad)).toBeUndefined();
    expect(comparePositions({ key: 1, id: 'b' }, { key: 1, id: 'a' })).toBeGreaterThan(0);
    expect(comparePositions({ key: 1, id: 'b' }, { key: 2, id: 'a' })).toBeLessThan(0);
  });
});
