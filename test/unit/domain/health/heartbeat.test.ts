import { describe, expect, it } from 'vitest';
import { StreamHeartbeat } from '../../../../lambdas/domain/health/heartbeat.js';
import type { StreamHeartbeats } from '../../../../lambdas/domain/health/ports.js';
import { ManualClock } from '../../../helpers/clock.js';
import { MemoryHeartbeats } from '../../../helpers/health.js';

describe('StreamHeartbeat', () => {
  it('records the newest record’s time and when it was handled', async () => {
    const clock = new ManualClock();
    const store = new MemoryHeartbeats();

    await new StreamHeartbeat('catalog-stream', store, clock).beat(clock.now() - 3_000);

    expect(await store.read('catalog-stream')).toEqual({
      stream: 'catalog-stream',
      lastRecordAt: clock.now() - 3_000,
      processedAt: clock.now(),
    });
  });

  it('records at most once per interval per container', async () => {
    const clock = new ManualClock();
    const writes: number[] = [];
    const store: StreamHeartbeats = { record: async (p) => void writes.push(p.processedAt), read: async () => null };
    const heartbeat = new StreamHeartbeat('catalog-stream', store, clock, 1_000);

    await heartbeat.beat(clock.now());
    clock.advance(999);
    await heartbeat.beat(clock.now());
    clock.advance(1);
    await heartbeat.beat(clock.now());

    expect(writes).toHaveLength(2);
  });

  it('reports a failed write instead of throwing (the batch is not failed for telemetry)', async () => {
    const failing: StreamHeartbeats = { record: () => Promise.reject(new Error('throttled')), read: async () => null };

    await expect(new StreamHeartbeat('catalog-stream', failing, new ManualClock()).beat(0)).resolves.toBe(false);
  });

  it('measures a batch’s lag from its newest record, never below zero', () => {
    const clock = new ManualClock();
    const heartbeat = new StreamHeartbeat('catalog-stream', new MemoryHeartbeats(), clock);

    expect([heartbeat.lagOf(clock.now() - 2_500), heartbeat.lagOf(clock.now() + 400)]).toEqual([2_500, 0]);
  });
});
