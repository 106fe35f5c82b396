import { L1Cache } from '../cache.js';
import type { Clock } from '../clock.js';
import { DependencyError, GoneError, NotFoundError } from '../errors.js';
import type { FeedStore } from './ports.js';
import { defaultFeedOptions, FEED_RETENTION_MS, type FeedOptions, type FeedVersion } from './types.js';

export type PageAnswer =
  | { kind: 'page'; version: FeedVersion; body: string; pinned: boolean }
  | { kind: 'not-modified'; version: FeedVersion };

/**
 * Reads Today's picks: immutable, versioned feeds keyed by publish time.
 *
 * - The current version is the newest complete one with publishAt ≤ now; if the newest is
 *   incomplete or a page is missing, the next newest within the lookback window answers.
 * - A pinned version always answers the same bytes, so a scrolling client never sees an item twice.
 *
 * A request's `signal` reaches the page read; the version lists it resolves against are loaded
 * once for every concurrent request (single-flight), so no one request's deadline aborts them.
 */
export class FeedReader {
  private readonly pointers: L1Cache<'pointer', { versions: FeedVersion[] }>;
  private readonly pages: L1Cache<'page', { body: string }>;
  /** Version metadata is immutable but for expiresAt, which only the current version extends. */
  private readonly versionMeta: L1Cache<'version', FeedVersion>;

  constructor(
    private readonly store: FeedStore,
    private readonly clock: Clock,
    private readonly options: Pick<FeedOptions, 'lookbackMs' | 'pointerTtlMs' | 'maxCachedPages'> = defaultFeedOptions,
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

  /**
   * A page of `feedId`. With `pinned`, that version's page (410 once pruned); without, the
   * current version's, or 304 when `ifNoneMatch` already names the current version (page 1).
   */
  async page(feedId: string, page: number, pinned?: number, ifNoneMatch?: string, signal?: AbortSignal): Promise<PageAnswer> {
    if (pinned !== undefined) {
      const version = await this.pinnedVersion(feedId, pinned);
      if (page > version.totalPages) throw new NotFoundError(`Version ${pinned} has ${version.totalPages} pages`, 'PAGE_NOT_FOUND');
      const body = await this.pageBody(version, page, signal);
      if (body === null) throw new DependencyError(`Page ${page} of version ${pinned} is unavailable`, 'FEED_PAGE_UNAVAILABLE');
      return { kind: 'page', version, body, pinned: true };
    }
    const candidates = await this.candidates(feedId);
    if (candidates.length === 0) throw new NotFoundError(`Feed ${feedId} has no published version`, 'FEED_NOT_FOUND');
    const answer = await this.resolve(candidates, page, ifNoneMatch, signal);
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
  private async resolve(candidates: FeedVersion[], page: number, ifNoneMatch?: string, signal?: AbortSignal): Promise<PageAnswer | null> {
    const newest = candidates[0];
    if (!newest) return null;
    for (const version of candidates) {
      if (version.publishAt < newest.publishAt - this.options.lookbackMs) break;
      if (!version.complete || page > version.totalPages) continue;
      if (page === 1 && ifNoneMatch === `"${version.version}"`) return { kind: 'not-modified', version };
      const body = await this.pageBody(version, page, signal);
      if (body !== null) return { kind: 'page', version, body, pinned: false };
    }
    return null;
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

  private async pageBody(version: FeedVersion, page: number, signal?: AbortSignal): Promise<string | null> {
    const key = `${version.feedId}#${version.version}#${page}`;
    const cached = this.pages.peek('page', key);
    if (cached.hit && cached.value) return cached.value.body;
    const body = await this.store.getPage(version.feedId, version.version, page, signal);
    if (body !== null) this.pages.set('page', key, { body });
    return body;
  }
}
