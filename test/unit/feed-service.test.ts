import { beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../lambdas/domain/clock.js';
import { GoneError, NotFoundError } from '../../lambdas/domain/errors.js';
import { defaultFeedOptions, FeedService } from '../../lambdas/domain/feed/feed-service.js';
import { FEED_RETENTION_MS, type FeedPage } from '../../lambdas/domain/feed/types.js';
import { MemoryFeedStore, MemoryStatics, memoryCatalog } from '../helpers/feeds.js';

const HOUR = 60 * 60 * 1000;

describe('FeedService', () => {
  let clock: ManualClock;
  let store: MemoryFeedStore;
  let statics: MemoryStatics;
  let feeds: FeedService;
  const catalog = memoryCatalog(95);
  const deps = () => ({ catalog, statics });

  beforeEach(() => {
    clock = new ManualClock(Date.parse('2026-11-21T09:00:00Z'));
    store = new MemoryFeedStore();
    statics = new MemoryStatics();
    feeds = new FeedService(store, clock, { ...defaultFeedOptions, pageSize: 10 });
  });

  /** Another container: its own L1 (publishing warms the publisher's page cache). */
  const freshReader = () => new FeedService(store, clock, { ...defaultFeedOptions, pageSize: 10 });
  const read = async (page: number, version?: number, reader = feeds) => {
    const answer = await reader.page('picks', page, version);
    if (answer.kind !== 'page') throw new Error('expected a page');
    return JSON.parse(answer.body) as FeedPage;
  };

  it('publishes a version as pages of the configured size with hasMore until the last page', async () => {
    const v = await feeds.publish('picks', {}, deps());

    const first = await read(1);
    const last = await read(10);

    expect(v).toMatchObject({ totalItems: 95, totalPages: 10, pageSize: 10 });
    expect(first).toMatchObject({ feedId: 'picks', version: v.version, page: 1, totalPages: 10, hasMore: true });
    expect(first.items).toHaveLength(10);
    expect(last).toMatchObject({ page: 10, hasMore: false });
    expect(last.items).toHaveLength(5);
  });

  it('shows a client scrolling a pinned version every SKU exactly once while three newer versions publish', async () => {
    const pinned = await feeds.publish('picks', {}, deps());
    const seen: string[] = [];
    for (let page = 1; page <= pinned.totalPages; page++) {
      if (page % 3 === 0) {
        clock.advance(1_000);
        // A re-ranked list (reversed order, different members) lands mid-scroll.
        await feeds.publish(
          'picks',
          { skus: Array.from({ length: 40 }, (_, i) => `SKU-${String(94 - i - page).padStart(3, '0')}`) },
          deps(),
        );
      }
      seen.push(...(await read(page, pinned.version)).items.map((i) => i.sku));
    }

    expect(seen).toHaveLength(95);
    expect(new Set(seen).size).toBe(95);
    expect(store.versions.size).toBe(4);
  });

  it('makes a future version current exactly at its publishAt', async () => {
    const today = await feeds.publish('picks', {}, deps());
    const drop = await feeds.publish('picks', { publishAt: clock.now() + HOUR, skus: ['SKU-001', 'SKU-002'] }, deps());

    clock.set(drop.publishAt - 1);
    expect((await read(1)).version).toBe(today.version);
    clock.set(drop.publishAt);
    clock.advance(defaultFeedOptions.pointerTtlMs); // past the ≤1 s pointer cache
    expect((await read(1)).version).toBe(drop.version);
  });

  it('does not serve a future version even from a freshly cached pointer', async () => {
    await feeds.publish('picks', {}, deps());
    const drop = await feeds.publish('picks', { publishAt: clock.now() + 500 }, deps());

    await read(1);
    clock.advance(499);

    expect((await read(1)).version).not.toBe(drop.version);
  });

  it('falls back to the next newest complete version when the newest is incomplete or misses a page', async () => {
    const good = await feeds.publish('picks', {}, deps());
    clock.advance(60_000);
    const broken = await feeds.publish('picks', {}, deps());
    store.pages.delete(`picks#${broken.version}#1`);
    clock.advance(2_000);

    expect((await read(1, undefined, freshReader())).version).toBe(good.version);

    const registered = store.versions.get(`picks#${broken.version}`);
    if (registered) registered.complete = false;
    store.pages.set(`picks#${broken.version}#1`, '{}');
    expect((await read(1, undefined, freshReader())).version).toBe(good.version);
  });

  it('does not fall back further than the lookback window', async () => {
    await feeds.publish('picks', {}, deps());
    clock.advance(2 * HOUR);
    const newest = await feeds.publish('picks', {}, deps());
    store.pages.delete(`picks#${newest.version}#1`);

    await expect(freshReader().page('picks', 1)).rejects.toMatchObject({ code: 'FEED_UNAVAILABLE', status: 503 });
  });

  it('answers 304 for page 1 when If-None-Match names the current version, without reading a page', async () => {
    const v = await feeds.publish('picks', {}, deps());
    await read(1);
    const readsBefore = store.pageReads;

    const answer = await feeds.page('picks', 1, undefined, `"${v.version}"`);

    expect(answer.kind).toBe('not-modified');
    expect(store.pageReads).toBe(readsBefore);
  });

  it('answers 410 with the current version once a pinned version is pruned', async () => {
    const old = await feeds.publish('picks', {}, deps());
    clock.advance(FEED_RETENTION_MS - 1_000);
    const current = await feeds.publish('picks', {}, deps());
    clock.advance(2_000);

    const pruned = feeds.page('picks', 1, old.version);

    await expect(pruned).rejects.toBeInstanceOf(GoneError);
    await expect(feeds.page('picks', 1, old.version)).rejects.toMatchObject({ details: { current: current.version } });
  });

  it('never prunes the current version: it keeps answering past 24 h and the scheduler extends it', async () => {
    const only = await feeds.publish('picks', {}, deps());
    clock.advance(FEED_RETENTION_MS + HOUR);

    expect((await read(2, only.version)).version).toBe(only.version);
    await feeds.syncStatic('picks', statics);
    expect(store.versions.get(`picks#${only.version}`)?.expiresAt).toBe(clock.now() + FEED_RETENTION_MS);
  });

  it('writes static copies identical to the served pages, and moves current.json when a drop goes live', async () => {
    const today = await feeds.publish('picks', {}, deps());
    const drop = await feeds.publish('picks', { publishAt: clock.now() + HOUR, skus: ['SKU-001'] }, deps());

    const served = await feeds.page('picks', 3, today.version);
    expect(served.kind === 'page' && served.body).toBe(statics.objects.get(`feeds/picks/${today.version}/3.json`));
    expect(JSON.parse(statics.objects.get('feeds/picks/current.json') ?? '{}').version).toBe(today.version);

    clock.set(drop.publishAt + 1_000);
    await feeds.syncStatic('picks', statics);
    expect(JSON.parse(statics.objects.get('feeds/picks/current.json') ?? '{}').version).toBe(drop.version);
  });

  it('refuses a concurrent publish at the same instant without touching the winner’s pages', async () => {
    const at = clock.now();
    const results = await Promise.allSettled([
      feeds.publish('picks', { publishAt: at, skus: ['SKU-001', 'SKU-002'] }, deps()),
      feeds.publish('picks', { publishAt: at, skus: ['SKU-009'] }, deps()),
    ]);

    const [won, lost] = results;
    expect(won?.status).toBe('fulfilled');
    expect(lost).toMatchObject({ status: 'rejected', reason: { code: 'VERSION_EXISTS' } });
    expect((await read(1, at)).items.map((i) => i.sku)).toEqual(['SKU-001', 'SKU-002']);
    expect(statics.objects.get(`feeds/picks/${at}/1.json`)).toContain('SKU-001');
  });

  it('never shows a version whose publish failed midway', async () => {
    const good = await feeds.publish('picks', {}, deps());
    clock.advance(1_000);
    const failing = new (class extends MemoryStatics {
      override async putPage(): Promise<void> {
        throw new Error('S3 down');
      }
    })();
    const broken = clock.now();

    await expect(feeds.publish('picks', {}, { catalog, statics: failing })).rejects.toThrow('S3 down');
    clock.advance(defaultFeedOptions.pointerTtlMs);

    expect((await read(1, undefined, freshReader())).version).toBe(good.version);
    await expect(freshReader().page('picks', 1, broken)).rejects.toBeInstanceOf(GoneError);
  });

  it('refuses a second version with the same publish time (versions are immutable)', async () => {
    await feeds.publish('picks', {}, deps());

    await expect(feeds.publish('picks', {}, deps())).rejects.toMatchObject({ code: 'VERSION_EXISTS', status: 409 });
  });

  it('rejects unknown SKUs and unknown feeds', async () => {
    await expect(feeds.publish('picks', { skus: ['SKU-001', 'NOPE'] }, deps())).rejects.toMatchObject({ code: 'UNKNOWN_SKUS' });
    await expect(feeds.page('other', 1)).rejects.toBeInstanceOf(NotFoundError);
  });
});
