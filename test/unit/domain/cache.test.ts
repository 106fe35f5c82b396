import { describe, expect, it } from 'vitest';
import { L1Cache } from '../../../lambdas/domain/cache.js';
import { ManualClock } from '../../helpers/clock.js';

type Kind = 'info' | 'stock';
const value = (v: number) => ({ v });

function cache(clock = new ManualClock(), maxEntries = 100) {
  return new L1Cache<Kind, { v: number }>({ maxEntries, ttlMs: { info: 30_000, stock: 1_000 }, negativeTtlMs: 500, clock });
}

describe('L1Cache', () => {
  it('expires each kind after its own TTL', () => {
    const clock = new ManualClock();
    const c = cache(clock);
    c.set('info', 'A', value(1));
    c.set('stock', 'A', value(2));

    clock.advance(1_001);

    expect(c.peek('stock', 'A').hit).toBe(false);
    expect(c.peek('info', 'A')).toEqual({ hit: true, value: { v: 1 } });
    clock.advance(29_000);
    expect(c.peek('info', 'A').hit).toBe(false);
  });

  it('caches "not found" for the negative TTL only', () => {
    const clock = new ManualClock();
    const c = cache(clock);
    c.set('info', 'missing', null);

    expect(c.peek('info', 'missing')).toEqual({ hit: true, value: null });
    clock.advance(501);
    expect(c.peek('info', 'missing').hit).toBe(false);
  });

  it('evicts the least recently used entry beyond its bound', () => {
    const c = cache(new ManualClock(), 2);
    c.set('info', 'A', value(1));
    c.set('info', 'B', value(2));
    c.peek('info', 'A');

    c.set('info', 'C', value(3));

    expect(c.size).toBe(2);
    expect(c.peek('info', 'B').hit).toBe(false);
    expect(c.peek('info', 'A').hit).toBe(true);
  });

  it('shares one load among concurrent misses for the same key (single-flight)', async () => {
    const c = cache();
    let loads = 0;
    const load = async () => {
      loads += 1;
      await new Promise((r) => setTimeout(r, 5));
      return value(7);
    };

    const results = await Promise.all(Array.from({ length: 50 }, () => c.getOrLoad('info', 'A', load)));

    expect(loads).toBe(1);
    expect(results.every((r) => r?.v === 7)).toBe(true);
  });

  it('does not cache a failed load, so the next caller retries', async () => {
    const c = cache();
    await expect(c.getOrLoad('info', 'A', () => Promise.reject(new Error('down')))).rejects.toThrow('down');

    const second = await c.getOrLoad('info', 'A', async () => value(1));

    expect(second).toEqual({ v: 1 });
  });
});
