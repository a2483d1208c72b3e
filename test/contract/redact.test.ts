import { getHeapSpaceStatistics } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { SecretSet, redactText } from '../../src/contract/redact.ts';

const TOKEN = 'sk.eyJ1IjoibW9ja3VzZXIiLCJhIjoiY2xhYmMxMjMifQ.QUJDREVGR0hJSktMTU5PUFFSU1Q';
const SIGNATURE = TOKEN.split('.')[2]!;

/** `text` with every character written as a JSON `\uXXXX` escape, or a URL `%XX` escape. */
const jsonEscaped = (text: string): string => [...text].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('');
const percentEncoded = (text: string): string => [...text].map((c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`).join('');

describe('SecretSet.redact', () => {
  const secrets = new SecretSet([TOKEN, 'a-master-secret-value']);

  it('redacts a secret raw, JSON-escaped, percent-encoded, mixed, and its signature alone', () => {
    const mixed = `${TOKEN.slice(0, 10)}${jsonEscaped(TOKEN.slice(10, 20))}${percentEncoded(TOKEN.slice(20, 30))}${TOKEN.slice(30)}`;
    for (const spelling of [TOKEN, jsonEscaped(TOKEN), percentEncoded(TOKEN).toLowerCase(), mixed]) {
      expect(secrets.redact(`before "${spelling}" after`)).toBe('before "sk.…" after');
    }
    expect(secrets.redact(`sig=${SIGNATURE};`)).toBe('sig=…;');
    expect(secrets.redact('{"a-master-secret-value":1}')).toBe('{"…":1}');
  });

  it('leaves other text alone, escapes included', () => {
    const text = 'GET /tokens/v2/mockuser?limit=1 caf\\u00e9 100%25 done';
    expect(secrets.redact(text)).toBe(text);
  });

  it('redacts every occurrence, the whole token before its signature', () => {
    expect(secrets.redact(`${TOKEN} ${SIGNATURE} ${TOKEN}`)).toBe('sk.… … sk.…');
  });

  it('still redacts token strings and access_token values it never saw', () => {
    expect(redactText('url?access_token=pk.abc.def&x=1 and tk.eyJhIjoxfQ.c2lnbmF0dXJl')).toBe('url?access_token=pk.…&x=1 and tk.…');
  });

  it("does not grow V8's code space per secret (one compiled pattern each once aborted long runs)", () => {
    const codeBytes = (): number =>
      getHeapSpaceStatistics()
        .filter((space) => space.space_name.startsWith('code'))
        .reduce((sum, space) => sum + space.space_used_size, 0);
    const many = new SecretSet(Array.from({ length: 400 }, (_, i) => `sk.eyJ1Ijoib3RoZXIiLCJuIjo${i}fQ.${SIGNATURE}${i}`));
    const text = `{"token":"${jsonEscaped(TOKEN)}","note":"${'x'.repeat(2000)}"}`;
    const before = codeBytes();
    for (let i = 0; i < 20; i++) many.redact(text);
    expect(codeBytes() - before).toBeLessThan(4 * 1024 * 1024);
  });
});
