import { beforeEach, describe, expect, it } from 'vitest';
import { GoneError } from '../../../../lambdas/domain/errors.js';
import { FeedPublisher } from '../../../../lambdas/domain/feed/publisher.js';
import { staticCurrentPath, staticPagePath } from '../../../../lambdas/domain/feed/static-paths.js';
import { defaultFeedOptions, type FeedPage } from '../../../../lambdas/domain/feed/types.js';
import { feedWorld, MemoryStatics } from '../../../helpers/feeds.js';

describe('FeedPublisher', () => {
  let world: ReturnType<typeof feedWorld>;
  beforeEach(() => {
    world = feedWorld();
  });

  const read = async (page: number, version?: number) => {
    const answer = await world.freshReader().page('picks', page, version);
    if (answer.kind !== 'page') throw new Error('expected a page');
    return JSON.parse(answer.body) as FeedPage;
  };

  it('publishes a version as pages of the configured size with hasMore until the last page', async () => {
    const v = await world.publisher.publish('picks', {});

    const first = await read(1);
    const last = await read(10);

    expect(v).toMatchObject({ totalItems: 95, totalPages: 10, pageSize: 10, complete: true });
    expect(first).toMatchObject({ feedId: 'picks', version: v.version, page: 1, totalPages: 10, hasMore: true });
    expect(first.items).toHaveLength(10);
    expect(last).toMatchObject({ page: 10, hasMore: false });
    expect(last.items).toHaveLength(5);
  });

  it('publishes the given SKUs in their order, once each, as snapshots', async () => {
    await world.publisher.publish('picks', { skus: ['SKU-003', 'SKU-001', 'SKU-003'] });

    expect((await read(1)).items).toEqual([
      { sku: 'SKU-003', name: 'Product 3', price: { amount: 103, original: 103, currency: 'USD' }, stock: { available: true } },
      { sku: 'SKU-001', name: 'Product 1', price: { amount: 101, original: 101, currency: 'USD' }, stock: { available: true } },
    ]);
  });

  it('writes static copies identical to the served pages, and points current.json at a version due now only', async () => {
    const { publisher, statics, clock } = world;
    const today = await publisher.publish('picks', {});
    await publisher.publish('picks', { publishAt: clock.now() + 60_000, skus: ['SKU-001'] });

    const served = await world.freshReader().page('picks', 3, today.version);
    expect(served.kind === 'page' && served.body).toBe(statics.objects.get(staticPagePath('picks', today.version, 3)));
    expect(JSON.parse(statics.objects.get(staticCurrentPath('picks')) ?? '{}')).toMatchObject({
      version: today.version,
      pagePath: `feeds/picks/${today.version}/{page}.json`,
    });
  });

  it('refuses a concurrent publish at the same instant without touching the winner’s pages', async () => {
    const { publisher, statics, clock } = world;
    const at = clock.now();
    const results = await Promise.allSettled([
      publisher.publish('picks', { publishAt: at, skus: ['SKU-001', 'SKU-002'] }),
      publisher.publish('picks', { publishAt: at, skus: ['SKU-009'] }),
    ]);

    const [won, lost] = results;
    expect(won?.status).toBe('fulfilled');
    expect(lost).toMatchObject({ status: 'rejected', reason: { code: 'VERSION_EXISTS' } });
    expect((await read(1, at)).items.map((i) => i.sku)).toEqual(['SKU-001', 'SKU-002']);
    expect(statics.objects.get(staticPagePath('picks', at, 1))).toContain('SKU-001');
  });

  it('never shows a version whose publish failed midway', async () => {
    const { publisher, store, catalog, clock } = world;
    const good = await publisher.publish('picks', {});
    clock.advance(1_000);
    const failing = new (class extends MemoryStatics {
      override async putPage(): Promise<void> {
        throw new Error('S3 down');
      }
    })();
    const broken = clock.now();

    await expect(new FeedPublisher({ store, catalog, statics: failing, clock }, world.options).publish('picks', {})).rejects.toThrow(
      'S3 down',
    );
    clock.advance(defaultFeedOptions.pointerTtlMs);

    expect((await read(1)).version).toBe(good.version);
    await expect(world.freshReader().page('picks', 1, broken)).rejects.toBeInstanceOf(GoneError);
  });

  it('refuses a second version with the same publish time (versions are immutable)', async () => {
    await world.publisher.publish('picks', {});

    await expect(world.publisher.publish('picks', {})).rejects.toMatchObject({ code: 'VERSION_EXISTS', kind: 'conflict' });
  });

  it('rejects unknown SKUs, naming each, and an empty catalog', async () => {
    await expect(world.publisher.publish('picks', { skus: ['SKU-001', 'NOPE'] })).rejects.toMatchObject({
      code: 'UNKNOWN_SKUS',
      details: [{ path: 'body.skus', message: 'NOPE is not a product' }],
    });
    await expect(feedWorld(10, 0).publisher.publish('picks', {})).rejects.toMatchObject({ code: 'EMPTY_FEED', kind: 'validation' });
  });
});
