import { describe, expect, it } from 'vitest';
import { TokenBucket } from '../../src/contract/token-bucket.ts';

/** The next permit is not granted now: it waits (and the wait is then cancelled). */
async function expectHeldBack(bucket: TokenBucket): Promise<void> {
  const controller = new AbortController();
  const next = bucket.take(controller.signal);
  let granted = false;
  void next.then(
    () => {
      granted = true;
    },
    () => undefined,
  );
  await new Promise((resolve) => setTimeout(resolve, 20));
  expect(granted).toBe(false);
  controller.abort(new Error('stop'));
  await expect(next).rejects.toThrow('stop');
}

describe('TokenBucket: never more than perMinute permits in any 60 s', () => {
  it('after the burst and the refill of one minute, the next permit waits until the oldest is a minute old', async () => {
    let now = 0;
    const bucket = new TokenBucket({ perMinute: 3, burst: 3 }, () => now);
    for (let i = 0; i < 3; i++) await bucket.take();
    // The bucket alone grants a fourth permit after 20 s of refill; the window must hold it back.
    now = 30_000;
    await expectHeldBack(bucket);
    // A minute and a second later (the margin for the time a request takes to leave) it is granted.
    now = 61_000;
    await bucket.take();
  });
});

describe('TokenBucket default pace', () => {
  it('grants 90 permits in a minute, below the documented 100, and holds back the 91st', async () => {
    let now = 0;
    const bucket = new TokenBucket({}, () => now);
    for (let i = 0; i < 90; i++) await bucket.take();
    // A minute of refill would cover the 91st permit; the default window of 90 holds it back.
    now = 59_000;
    await expectHeldBack(bucket);
  });
});
