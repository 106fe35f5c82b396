import type { FeedCatalog, FeedStore, StaticCopies } from '../../lambdas/domain/feed/ports.js';
import type { CurrentPointer, FeedItem, FeedVersion } from '../../lambdas/domain/feed/types.js';

/** In-memory FeedStore with the same semantics as the DynamoDB one. */
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
    const stored = this.versions.get(`${feedId}#${version}`);
    if (stored) stored.complete = true;
  }
  async getVersion(feedId: string, version: number) {
    return this.versions.get(`${feedId}#${version}`) ?? null;
  }
  async versionsUpTo(feedId: string, upTo: number, limit: number) {
    return [...this.versions.values()]
      .filter((v) => v.feedId === feedId && v.publishAt <= upTo)
      .sort((a, b) => b.publishAt - a.publishAt)
      .slice(0, limit);
  }
  async getPage(feedId: string, version: number, page: number) {
    this.pageReads += 1;
    return this.pages.get(`${feedId}#${version}#${page}`) ?? null;
  }
  async extend(v: FeedVersion, expiresAt: number) {
    const stored = this.versions.get(`${v.feedId}#${v.version}`);
    if (stored) stored.expiresAt = expiresAt;
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
}

export class MemoryStatics implements StaticCopies {
  readonly objects = new Map<string, string>();
  async putPage(feedId: string, version: number, page: number, body: string) {
    this.objects.set(`feeds/${feedId}/${version}/${page}.json`, body);
  }
  async putCurrent(feedId: string, pointer: CurrentPointer) {
    this.objects.set(`feeds/${feedId}/current.json`, JSON.stringify(pointer));
  }
  currentUrl(feedId: string) {
    return `https://cdn.test/feeds/${feedId}/current.json`;
  }
  pageUrl(feedId: string, version: number, page: number) {
    return `https://cdn.test/feeds/${feedId}/${version}/${page}.json`;
  }
}

/** A catalog of `count` products SKU-000…; `ranked` returns them in SKU order. */
export function memoryCatalog(count: number): FeedCatalog {
  const items: FeedItem[] = Array.from({ length: count }, (_, i) => ({
    sku: `SKU-${String(i).padStart(3, '0')}`,
    name: `Product ${i}`,
    price: { amount: 100 + i, original: 100 + i, currency: 'USD' },
    stock: { available: true },
  }));
  return {
    ranked: async (limit) => items.slice(0, limit),
    snapshot: async (skus) => ({
      items: items.filter((i) => skus.includes(i.sku)).sort((a, b) => skus.indexOf(a.sku) - skus.indexOf(b.sku)),
      missing: skus.filter((s) => !items.some((i) => i.sku === s)),
    }),
  };
}
