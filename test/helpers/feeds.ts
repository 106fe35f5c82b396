import type { FeedStore, StaticCopies } from '../../lambdas/domain/feed/ports.js';
import { FeedPublisher } from '../../lambdas/domain/feed/publisher.js';
import { FeedReader } from '../../lambdas/domain/feed/reader.js';
import { staticCurrentPath, staticPagePath } from '../../lambdas/domain/feed/static-paths.js';
import { type CurrentPointer, defaultFeedOptions, type FeedVersion } from '../../lambdas/domain/feed/types.js';
import { FeedUpkeep } from '../../lambdas/domain/feed/upkeep.js';
import { ManualClock } from './clock.js';
import { FakeCatalog } from './fake-catalog.js';

/** In-memory FeedStore, held to the DynamoDB one by test/helpers/contracts/feeds.ts. */
export class MemoryFeedStore implements FeedStore {
  readonly versions = new Map<string, FeedVersion>();
  readonly pages = new Map<string, string>();
  readonly settings = new Map<string, { degraded?: boolean; staticCurrent?: number }>();
  pageReads = 0;

  async putPages(feedId: string, version: number, pages: string[]) {
    for (const [i, body] of pages.entries()) this.pages.set(`${feedId}#${version}#${i + 1}`, body);
  }
  async claim(v: FeedVersion) {
    const key = `${v.feedId}#${v.version}`;
    if (this.versions.has(key)) return false;
    this.versions.set(key, { ...v, complete: false });
    return true;
  }
  async markComplete(feedId: string, version: number) {
    this.update(feedId, version, { complete: true });
  }
  async getVersion(feedId: string, version: number) {
    const stored = this.versions.get(`${feedId}#${version}`);
    return stored ? { ...stored } : null;
  }
  async versionsUpTo(feedId: string, upTo: number, limit: number) {
    return this.of(feedId)
      .filter((v) => v.publishAt <= upTo)
      .slice(0, limit);
  }
  async getPage(feedId: string, version: number, page: number) {
    this.pageReads += 1;
    return this.pages.get(`${feedId}#${version}#${page}`) ?? null;
  }
  async extend(v: FeedVersion, expiresAt: number) {
    this.update(v.feedId, v.version, { expiresAt });
  }
  async unsupersededBefore(feedId: string, before: number) {
    return this.of(feedId).filter((v) => v.version < before && !v.superseded);
  }
  async markSuperseded(feedId: string, version: number, superseded: boolean) {
    this.update(feedId, version, { superseded });
  }
  async feedIds() {
    return [...new Set([...this.versions.values()].map((v) => v.feedId))];
  }
  async isDegraded(feedId: string) {
    return this.settings.get(feedId)?.degraded === true;
  }
  async setDegraded(feedId: string, degraded: boolean) {
    this.settings.set(feedId, { ...this.settings.get(feedId), degraded });
  }
  async staticCurrent(feedId: string) {
    return this.settings.get(feedId)?.staticCurrent ?? null;
  }
  async setStaticCurrent(feedId: string, version: number) {
    this.settings.set(feedId, { ...this.settings.get(feedId), staticCurrent: version });
  }

  /** A feed's versions, newest first. */
  private of(feedId: string): FeedVersion[] {
    return [...this.versions.values()]
      .filter((v) => v.feedId === feedId)
      .sort((a, b) => b.publishAt - a.publishAt)
      .map((v) => ({ ...v }));
  }

  private update(feedId: string, version: number, change: Partial<FeedVersion>): void {
    const stored = this.versions.get(`${feedId}#${version}`);
    if (!stored) throw new Error(`No version ${version} of ${feedId}`);
    Object.assign(stored, change);
  }
}

/** In-memory StaticCopies: objects by key (static-paths.ts layout) and the tags marking superseded pages. */
export class MemoryStatics implements StaticCopies {
  readonly objects = new Map<string, string>();
  readonly superseded = new Set<string>();
  async putPage(feedId: string, version: number, page: number, body: string) {
    this.objects.set(staticPagePath(feedId, version, page), body);
  }
  async putCurrent(feedId: string, pointer: CurrentPointer) {
    this.objects.set(staticCurrentPath(feedId), JSON.stringify(pointer));
  }
  async setSuperseded(version: FeedVersion, superseded: boolean) {
    for (let page = 1; page <= version.totalPages; page++) {
      const key = staticPagePath(version.feedId, version.version, page);
      if (!this.objects.has(key)) continue;
      if (superseded) this.superseded.add(key);
      else this.superseded.delete(key);
    }
  }
}

/** A catalog of `count` products SKU-000…, all in stock, ranked in SKU order (falling sales). */
export function memoryCatalog(count: number): FakeCatalog {
  const catalog = new FakeCatalog();
  for (let i = 0; i < count; i++) {
    const sku = `SKU-${String(i).padStart(3, '0')}`;
    catalog.info.set(sku, { sku, name: `Product ${i}`, description: '', version: 1, sales: count - i });
    catalog.prices.set(sku, { sku, amount: 100 + i, original: 100 + i, currency: 'USD', version: 1 });
    catalog.stock.set(sku, { sku, quantity: 5, version: 1 });
  }
  return catalog;
}

/**
 * A feed domain on in-memory ports, at 2026-11-21 09:00 UTC: `publisher`, a `reader` (one
 * container; `freshReader()` is another, with its own L1), `upkeep` (the scheduler).
 */
export function feedWorld(pageSize = 10, catalogSize = 95) {
  const clock = new ManualClock(Date.parse('2026-11-21T09:00:00Z'));
  const store = new MemoryFeedStore();
  const statics = new MemoryStatics();
  const catalog = memoryCatalog(catalogSize);
  const options = { ...defaultFeedOptions, pageSize };
  const freshReader = () => new FeedReader(store, clock, options);
  return {
    clock,
    store,
    statics,
    catalog,
    options,
    publisher: new FeedPublisher({ store, catalog, statics, clock }, options),
    reader: freshReader(),
    freshReader,
    upkeep: new FeedUpkeep({ store, statics, clock }, options),
  };
}
