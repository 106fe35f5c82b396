import type { Clock } from '../clock.js';
import type { FeedStore, StaticCopies } from './ports.js';
import { FeedReader } from './reader.js';
import { staticPagePath } from './static-paths.js';
import { type CurrentPointer, defaultFeedOptions, FEED_RETENTION_MS, type FeedOptions, type FeedVersion } from './types.js';

/** The static pointer to a version. */
export function currentPointer(v: FeedVersion): CurrentPointer {
  return {
    feedId: v.feedId,
    version: v.version,
    publishAt: new Date(v.publishAt).toISOString(),
    pageSize: v.pageSize,
    totalPages: v.totalPages,
    totalItems: v.totalItems,
    pagePath: staticPagePath(v.feedId, v.version, '{page}'),
  };
}

/**
 * Keeps a feed's stored versions and static copies in line with what is current (the scheduler,
 * every minute, and the publisher for a version due now):
 * - current.json points at the current version (a scheduled version goes live in degraded mode too);
 * - the current version does not expire while it is current, in the table or in S3;
 * - older versions' static copies are marked superseded once the API has pruned them, so S3's
 *   lifecycle rule removes them (and only them).
 */
export class FeedUpkeep {
  private readonly reader: FeedReader;

  constructor(
    private readonly deps: { store: FeedStore; statics: StaticCopies; clock: Clock },
    options: Pick<FeedOptions, 'lookbackMs'> = defaultFeedOptions,
  ) {
    // Upkeep must see versions as they are now: no pointer cache.
    this.reader = new FeedReader(deps.store, deps.clock, { ...defaultFeedOptions, lookbackMs: options.lookbackMs, pointerTtlMs: 0 });
  }

  /** Points the static current.json at the current version; returns it (null when there is none). */
  async pointCurrent(feedId: string, signal?: AbortSignal): Promise<FeedVersion | null> {
    const current = await this.reader.current(feedId);
    if (!current) return null;
    if ((await this.deps.store.staticCurrent(feedId, signal)) !== current.version) {
      await this.deps.statics.putCurrent(feedId, currentPointer(current), signal);
      await this.deps.store.setStaticCurrent(feedId, current.version, signal);
    }
    return current;
  }

  /** The scheduled upkeep of one feed; returns its current version. */
  async run(feedId: string): Promise<FeedVersion | null> {
    const { store, statics, clock } = this.deps;
    const current = await this.pointCurrent(feedId);
    if (!current) return null;
    const now = clock.now();
    if (current.expiresAt < now + FEED_RETENTION_MS / 2) await store.extend(current, now + FEED_RETENTION_MS);
    if (current.superseded) {
      // Current again (a newer version lost a page and readers fell back to this one): keep it.
      await statics.setSuperseded(current, false);
      await store.markSuperseded(feedId, current.version, false);
    }
    for (const old of await store.unsupersededBefore(feedId, current.version)) {
      // Pinned readers may still ask for it until it expires: its static copies stay until then.
      if (old.expiresAt > now) continue;
      await statics.setSuperseded(old, true);
      await store.markSuperseded(feedId, old.version, true);
    }
    return current;
  }
}
