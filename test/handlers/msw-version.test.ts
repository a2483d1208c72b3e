import { describe, expect, it } from 'vitest';
import { http } from 'msw';
import { createTokensMock } from '../../src/index.ts';

/**
 * Records which msw major the handler suite runs against (3 by default, 2 under vitest.msw2.config.ts)
 * and that the mock's handlers are instances of that same msw copy (handlers from another copy break
 * server.close() in msw 3).
 */
describe('msw compatibility', () => {
  it('builds its handlers with the msw copy the application uses', () => {
    const ours = http.get('https://x.test/a', () => undefined);
    const { handlers } = createTokensMock();
    for (const handler of handlers) {
      expect(Object.getPrototypeOf(handler)).toBe(Object.getPrototypeOf(ours));
      expect(typeof (handler as { run?: unknown }).run).toBe('function');
    }
    // msw 3 handlers have dispose(); msw 2 handlers don't.
    expect('dispose' in ours ? '3' : '2').toBe(process.env.MSW_MAJOR_EXPECTED ?? '3');
  });
});
