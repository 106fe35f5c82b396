import type { Clock } from '../clock.js';
import { ConflictError, ValidationError } from '../errors.js';
import type { FeedCatalog, FeedStore, StaticCopies } from './ports.js';
import { feedItem, rankPicks } from './ranking.js';
import { defaultFeedOptions, FEED_RETENTION_MS, type FeedItem, type FeedOptions, type FeedPage, type FeedVersion } from './types.js';
import { FeedUpkeep } from './upkeep.js';

/** The page body exactly as served and as stored in S3 (one serializer for both). */
export function pageBody(version: FeedVersion, page: number, items: FeedItem[]): string {
  const body: FeedPage = {
    feedId: version.feedId,
    version: version.version,
    page,
    pageSize: version.pageSize,
    totalPages: version.totalPages,
    items,
    hasMore: page < version.totalPages,
  };
  return JSON.stringify(body);
}

export interface PublisherDeps {
  store: FeedStore;
  catalog: FeedCatalog;
  statics: StaticCopies;
  clock: Clock;
}

/**
 * Publishes versions of Today's picks: claims the version (incomplete), writes every page and its
 * static copy, then marks it complete. A version is visible only when complete, and never
 * overwritten; a version due now also moves the static current.json.
 */
export class FeedPublisher {
  private readonly upkeep: FeedUpkeep;

  constructor(
    private readonly deps: PublisherDeps,
    private readonly options: Pick<FeedOptions, 'pageSize' | 'maxItems' | 'lookbackMs'> = defaultFeedOptions,
  ) {
    this.upkeep = new FeedUpkeep(deps, options);
  }

  /**
   * @param input.skus exactly these products, in this order; without, the catalog ranked (ranking.ts)
   * @throws ValidationError UNKNOWN_SKUS or EMPTY_FEED; ConflictError VERSION_EXISTS.
   */
  async publish(feedId: string, input: { publishAt?: number; skus?: string[] }, signal?: AbortSignal): Promise<FeedVersion> {
    const { store, statics, clock } = this.deps;
    const now = clock.now();
    const publishAt = input.publishAt ?? now;
    const items = input.skus
      ? await this.snapshot(input.skus, signal)
      : rankPicks(await this.deps.catalog.products(signal), this.options.maxItems);
    if (items.length === 0) throw new ValidationError('A feed version needs at least one product', undefined, 'EMPTY_FEED');

    const pageSize = this.options.pageSize;
    const totalPages = Math.ceil(items.length / pageSize);
    const version: FeedVersion = {
      feedId,
      version: publishAt,
      publishAt,
      pageSize,
      totalPages,
      totalItems: items.length,
      complete: false,
      expiresAt: publishAt + FEED_RETENTION_MS,
    };
    // Claim the version, write its pages and their static copies, then mark it complete: readers
    // skip it until then, and a second publish at the same instant is refused before it can
    // overwrite anything. A publish that fails midway leaves an incomplete version, which readers
    // never see and TTL removes.
    if (!(await store.claim(version, signal))) {
      throw new ConflictError('VERSION_EXISTS', `Feed ${feedId} already has a version published at ${new Date(publishAt).toISOString()}`);
    }
    const bodies = Array.from({ length: totalPages }, (_, i) => pageBody(version, i + 1, items.slice(i * pageSize, (i + 1) * pageSize)));
    await store.putPages(feedId, publishAt, bodies, version.expiresAt, signal);
    await Promise.all(bodies.map((body, i) => statics.putPage(feedId, publishAt, i + 1, body, signal)));
    await store.markComplete(feedId, publishAt, signal);
    if (publishAt <= now) await this.upkeep.pointCurrent(feedId, signal);
    return { ...version, complete: true };
  }

  /** Snapshots of exactly `skus`, in order (duplicates once). */
  private async snapshot(skus: readonly string[], signal?: AbortSignal): Promise<FeedItem[]> {
    const unique = [...new Set(skus)];
    const found = new Map((await this.deps.catalog.productsBySku(unique, signal)).map((p) => [p.info.sku, p]));
    const missing = unique.filter((sku) => !found.has(sku));
    if (missing.length) {
      throw new ValidationError(
        'Unknown SKUs',
        missing.map((sku) => ({ path: 'body.skus', message: `${sku} is not a product` })),
        'UNKNOWN_SKUS',
      );
    }
    return unique.map((sku) => feedItem(found.get(sku) as NonNullable<ReturnType<typeof found.get>>));
  }
}
