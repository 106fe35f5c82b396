import { L1Cache } from '../cache.js';
import type { Clock } from '../clock.js';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Bounds the strongly consistent re-reads that clients' ETags can trigger, so no header turns the
 * cache off. Per key (source and SKU), in this container:
 * - concurrent re-reads share one read (single-flight);
 * - once a consistent read has shown version V, a claim above V cannot be honest unless V+1 was
 *   written since: it is checked again no sooner than `intervalMs` after that read, by one read
 *   every waiting request shares. An inflated ETag therefore costs at most one read per interval
 *   per key, and an honest client whose newer version was written in the meantime still gets it
 *   (after a wait of at most one interval), so monotonic reads hold.
 */
export class ConsistentRereads<V> {
  private readonly shown: L1Cache<'shown', { version: number; at: number }>;
  private readonly pending = new Map<string, Promise<V>>();

  constructor(
    private readonly intervalMs: number,
    private readonly clock: Clock,
    maxEntries: number,
  ) {
    this.shown = new L1Cache({ maxEntries, ttlMs: { shown: intervalMs }, negativeTtlMs: 0, clock });
  }

  /**
   * Re-reads `key` for a client that claims to have seen version `claimed`.
   * @param versionOf the version a read returned (null when the item does not exist)
   */
  reread(key: string, claimed: number, read: () => Promise<V>, versionOf: (value: V) => number | null): Promise<V> {
    const inFlight = this.pending.get(key);
    if (inFlight) return inFlight;
    const last = this.shown.peek('shown', key);
    const wait = last.hit && last.value && claimed > last.value.version ? last.value.at + this.intervalMs - this.clock.now() : 0;
    const rereading = (async () => {
      if (wait > 0) await sleep(wait);
      const value = await read();
      this.shown.set('shown', key, { version: versionOf(value) ?? -1, at: this.clock.now() });
      return value;
    })().finally(() => this.pending.delete(key));
    this.pending.set(key, rereading);
    return rereading;
  }
}
