import { describe, expect, it } from 'vitest';
import { TokenBucket } from '../../../../lib/local/api-gateway/throttle.js';

describe('TokenBucket', () => {
  it('lets a burst through, then refills at the rate', () => {
    let now = 0;
    const bucket = new TokenBucket(10, 3, () => now);

    const burst = [bucket.take(), bucket.take(), bucket.take(), bucket.take()];
    now += 100; // 0.1 s at 10/s: one token
    const refilled = [bucket.take(), bucket.take()];

    expect(burst).toEqual([true, true, true, false]);
    expect(refilled).toEqual([true, false]);
  });

  it('never holds more than the burst, however long it was idle', () => {
    let now = 0;
    const bucket = new TokenBucket(1000, 2, () => now);
    now += 60_000;

    expect([bucket.take(), bucket.take(), bucket.take()]).toEqual([true, true, false]);
  });
});
