import { L1Cache } from '../cache.js';
import type { Clock } from '../clock.js';
import { ConflictError, DependencyError, GoneError, NotFoundError, ValidationError } from '../errors.js';
import type { FeedCatalog, FeedStore, StaticCopies } from './ports.js';
import { type CurrentPointer, FEED_RETENTION_MS, type FeedItem, type FeedPage, type FeedVersion } from './types.js';

export interface FeedOptions {
  pageSize: number;
  maxItems: number;
  /** How far back from the newest version a fallback may reach. */
  lookbackMs: number;
  /** L1 TTL of the current-version pointer. */
  pointerTtlMs: number;
  /** Bound on cached pages (pages are immutable, so only memory limits them). */
  maxCachedPages: number;
}

export const defaultFeedOptions: FeedOptions = {
  pageSize: 20,
  maxItems: 200,
  lookbackMs: 60 * 60 * 1000,
  pointerTtlMs: 1_000,
  maxCachedPages: 5_000,
};

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

export function currentPointer(v: FeedVersion): CurrentPointer {
  return {
    feedId: v.feedId,
    version: v.version,
    publishAt: new Date(v.publishAt).toISOString(),
    pageSize: v.pageSize,
    totalPages: v.totalPages,
    totalItems: v.totalItems,
    pagePath: `feeds/${v.feedId}/${v.version}/{page}.json`,
  };
}

export type PageAnswer =
  | { kind: 'page'; version: FeedVersion; body: string; pinned: boolean }
  | { kind: 'not-modified'; version: FeedVersion };

/**
 * Today's picks: immutable, versioned feeds keyed by publish time.
 *
 * - Publishing claims the version (incomplete), writes every page and its static copy, then marks
 *   it complete: a version is visible only when complete, and never overwritten.
 * - The current version is the newest complete one with publishAt ≤ now; if the newest is
 *   incomplete or a page is missing, the next newest within the lookback window answers.
 * - A pinned version always answers the same bytes, so a scrolling client never sees an item twice.
 */
export class FeedService {
  private readonly pointers: L1Cache<'pointer', { versions: FeedVersion[] }>;
  private readonly pages: L1Cache<'page', { body: string }>;
  /** Version metadata is immutable but for expiresAt, which only the current version extends. */
  private readonly versionMeta: L1Cache<'version', FeedVersion>;

  constructor(
    private readonly store: FeedStore,
    private readonly clock: Clock,
    private readonly options: FeedOptions = defaultFeedOptions,
  ) {
    this.pointers = new L1Cache({
      maxEntries: 1_000,
      ttlMs: { pointer: options.pointerTtlMs },
      negativeTtlMs: options.pointerTtlMs,
      clock,
    });
    this.pages = new L1Cache({ maxEntries: options.maxCachedPages, ttlMs: { page: FEED_RETENTION_MS }, negativeTtlMs: 0, clock });
    this.versionMeta = new L1Cache({ maxEntries: 10_000, ttlMs: { version: 60_000 }, negativeTtlMs: options.pointerTtlMs, clock });
  }

  async publish(
    feedId: string,
    input: { publishAt?: number; skus?: string[] },
    deps: { catalog: FeedCatalog; statics: StaticCopies },
  ): Promise<FeedVersion> {
    const now = this.clock.now();
    const publishAt = input.publishAt ?? now;
    let items: FeedItem[];
    if (input.skus) {
      const { items: found, missing } = await deps.catalog.snapshot([...new Set(input.skus)]);
      if (missing.length)
        throw new ValidationError(
          'Unknown SKUs',
          missing.map((sku) => ({ path: 'body.skus', message: `${sku} is not a product` })),
          'UNKNOWN_SKUS',
        );
      items = found;
    } else {
      items = await deps.catalog.ranked(this.options.maxItems);
    }
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
    if (!(await this.store.claim(version))) {
      throw new ConflictError('VERSION_EXISTS', `Feed ${feedId} already has a version published at ${new Date(publishAt).toISOString()}`);
    }
    const bodies = Array.from({ length: totalPages }, (_, i) => pageBody(version, i + 1, items.slice(i * pageSize, (i + 1) * pageSize)));
    await this.store.putPages(feedId, publishAt, bodies, version.expiresAt);
    await Promise.all(bodies.map((body, i) => deps.statics.putPage(feedId, publishAt, i + 1, body)));
    await this.store.markComplete(feedId, publishAt);
    if (publishAt <= now) await this.syncStatic(feedId, deps.statics);
    return { ...version, complete: true };
  }

  /**
   * A page of `feedId`. With `pinned`, that version's page (410 once pruned); without, the
   * current version's, or 304 when `ifNoneMatch` already names the current version (page 1).
   */
  async page(feedId: string, page: number, pinned?: number, ifNoneMatch?: string): Promise<PageAnswer> {
    if (pinned !== undefined) {
      const version = await this.pinnedVersion(feedId, pinned);
      if (page > version.totalPages) throw new NotFoundError(`Version ${pinned} has ${version.totalPages} pages`, 'PAGE_NOT_FOUND');
      const body = await this.pageBody(version, page);
      if (body === null) throw new DependencyError(`Page ${page} of version ${pinned} is unavailable`, 'FEED_PAGE_UNAVAILABLE');
      return { kind: 'page', version, body, pinned: true };
    }
    const candidates = await this.candidates(feedId);
    if (candidates.length === 0) throw new NotFoundError(`Feed ${feedId} has no published version`, 'FEED_NOT_FOUND');
    const answer = await this.resolve(candidates, page, ifNoneMatch);
    if (answer) return answer;
    const newest = candidates[0] as FeedVersion;
    if (page > newest.totalPages) throw new NotFoundError(`The current version has ${newest.totalPages} pages`, 'PAGE_NOT_FOUND');
    throw new DependencyError(`No complete version of feed ${feedId} is available`, 'FEED_UNAVAILABLE');
  }

  /** The version readers get now (null when there is none): the one that answers page 1. */
  async current(feedId: string): Promise<FeedVersion | null> {
    return (await this.resolve(await this.candidates(feedId), 1))?.version ?? null;
  }

  /**
   * The one resolution rule: the newest complete version (newest first, within the lookback of
   * the newest) whose page `page` exists.
   */
  private async resolve(candidates: FeedVersion[], page: number, ifNoneMatch?: string): Promise<PageAnswer | null> {
    const newest = candidates[0];
    if (!newest) return null;
    for (const version of candidates) {
      if (version.publishAt < newest.publishAt - this.options.lookbackMs) break;
      if (!version.complete || page > version.totalPages) continue;
      if (page === 1 && ifNoneMatch === `"${version.version}"`) return { kind: 'not-modified', version };
      const body = await this.pageBody(version, page);
      if (body !== null) return { kind: 'page', version, body, pinned: false };
    }
    return null;
  }

  /**
   * Scheduled upkeep, per feed: point the static current.json at the current version (a future
   * version becomes current on the first run after its publishAt), and keep the current version
   * from expiring while it is current.
   */
  async syncStatic(feedId: string, statics: StaticCopies): Promise<FeedVersion | null> {
    const current = await this.current(feedId);
    if (!current) return null;
    if ((await this.store.staticCurrent(feedId)) !== current.version) {
      await statics.putCurrent(feedId, currentPointer(current));
      await this.store.setStaticCurrent(feedId, current.version);
    }
    const now = this.clock.now();
    if (current.expiresAt < now + FEED_RETENTION_MS / 2) await this.store.extend(current, now + FEED_RETENTION_MS);
    return current;
  }

  private async candidates(feedId: string): Promise<FeedVersion[]> {
    const entry = await this.pointers.getOrLoad('pointer', feedId, async () => ({
      versions: await this.store.versionsUpTo(feedId, this.clock.now(), 10),
    }));
    // The pointer is cached ≤ 1 s; a cached list may hold a version whose time has not come.
    const now = this.clock.now();
    return (entry?.versions ?? []).filter((v) => v.publishAt <= now);
  }

  private async pinnedVersion(feedId: string, pinned: number): Promise<FeedVersion> {
    // Only complete versions are cached (and served); an incomplete one reads as absent.
    const version = await this.versionMeta.getOrLoad('version', `${feedId}#${pinned}`, async () => {
      const stored = await this.store.getVersion(feedId, pinned);
      return stored?.complete ? stored : null;
    });
    const now = this.clock.now();
    const available = version !== null && version.publishAt <= now;
    if (available && version.expiresAt > now) return version;
    const current = await this.current(feedId);
    if (available && current?.version === pinned) return version; // past its TTL but still current
    const why = available ? 'has been pruned' : 'is not available';
    throw new GoneError('FEED_VERSION_GONE', `Version ${pinned} of feed ${feedId} ${why}`, { current: current?.version ?? null });
  }

  private async pageBody(version: FeedVersion, page: number): Promise<string | null> {
    const key = `${version.feedId}#${version.version}#${page}`;
    const cached = this.pages.peek('page', key);
    if (cached.hit && cached.value) return cached.value.body;
    const body = await this.store.getPage(version.feedId, version.version, page);
    if (body !== null) this.pages.set('page', key, { body });
    return body;
  }
}
