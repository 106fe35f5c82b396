import { L1Cache } from '../cache.js';
import type { Clock } from '../clock.js';
import type { FeedStore } from './ports.js';

/**
 * The per-feed degrade switch: while on, readers are pointed at the static copies. It is
 * configuration in the feeds table, flipped by an admin route (no deploy), and read on every
 * request through a short cache (each container re-reads it every `ttlMs`).
 */
export class DegradeSwitch {
  private readonly cache: L1Cache<'degraded', { on: boolean }>;

  constructor(
    private readonly store: Pick<FeedStore, 'isDegraded' | 'setDegraded'>,
    clock: Clock,
    ttlMs = 5_000,
  ) {
    this.cache = new L1Cache({ maxEntries: 1_000, ttlMs: { degraded: ttlMs }, negativeTtlMs: ttlMs, clock });
  }

  async isOn(feedId: string): Promise<boolean> {
    const entry = await this.cache.getOrLoad('degraded', feedId, async () => ({ on: await this.store.isDegraded(feedId) }));
    return entry?.on === true;
  }

  async set(feedId: string, on: boolean, signal?: AbortSignal): Promise<void> {
    await this.store.setDegraded(feedId, on, signal);
    this.cache.delete('degraded', feedId);
  }
}
