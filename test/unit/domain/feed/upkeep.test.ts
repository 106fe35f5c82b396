import { beforeEach, describe, expect, it } from 'vitest';
import { staticCurrentPath, staticPagePath } from '../../../../lambdas/domain/feed/static-paths.js';
import { FEED_RETENTION_MS } from '../../../../lambdas/domain/feed/types.js';
import { FeedUpkeep } from '../../../../lambdas/domain/feed/upkeep.js';
import { feedWorld } from '../../../helpers/feeds.js';

const HOUR = 60 * 60 * 1000;

describe('FeedUpkeep', () => {
  let world: ReturnType<typeof feedWorld>;
  beforeEach(() => {
    world = feedWorld();
  });
  const pointer = () => JSON.parse(world.statics.objects.get(staticCurrentPath('picks')) ?? '{}') as { version: number };
  const pagesOf = (version: number, totalPages: number) =>
    Array.from({ length: totalPages }, (_, i) => staticPagePath('picks', version, i + 1));

  it('moves current.json when a scheduled drop goes live', async () => {
    const { publisher, upkeep, clock } = world;
    const today = await publisher.publish('picks', {});
    const drop = await publisher.publish('picks', { publishAt: clock.now() + HOUR, skus: ['SKU-001'] });
    expect(pointer().version).toBe(today.version);

    clock.set(drop.publishAt + 1_000);
    const current = await upkeep.run('picks');

    expect(current?.version).toBe(drop.version);
    expect(pointer().version).toBe(drop.version);
  });

  it('keeps the current version alive past 24 h, in the table and in S3', async () => {
    const { publisher, upkeep, clock, store, statics } = world;
    const only = await publisher.publish('picks', {});
    clock.advance(FEED_RETENTION_MS + HOUR);

    await upkeep.run('picks');

    expect(store.versions.get(`picks#${only.version}`)?.expiresAt).toBe(clock.now() + FEED_RETENTION_MS);
    expect(statics.superseded.size).toBe(0);
  });

  it('marks an older version’s static copies superseded once it is pruned, and only then', async () => {
    const { publisher, upkeep, clock, store, statics } = world;
    const old = await publisher.publish('picks', {});
    clock.advance(HOUR);
    const current = await publisher.publish('picks', {});

    await upkeep.run('picks');
    expect(statics.superseded.size).toBe(0); // still served pinned for 23 h

    clock.set(old.expiresAt);
    await upkeep.run('picks');

    expect([...statics.superseded].sort()).toEqual(pagesOf(old.version, old.totalPages).sort());
    expect(store.versions.get(`picks#${old.version}`)?.superseded).toBe(true);
    expect(store.versions.get(`picks#${current.version}`)?.superseded).toBeUndefined();
  });

  it('marks the pages of a publish that failed midway too, once pruned', async () => {
    const { upkeep, clock, store, statics, publisher } = world;
    const at = clock.now() - HOUR;
    await store.claim({
      feedId: 'picks',
      version: at,
      publishAt: at,
      pageSize: 10,
      totalPages: 3,
      totalItems: 25,
      complete: false,
      expiresAt: at + FEED_RETENTION_MS,
    });
    await statics.putPage('picks', at, 1, '{}');
    await publisher.publish('picks', {});

    clock.set(at + FEED_RETENTION_MS);
    await upkeep.run('picks');

    expect([...statics.superseded]).toEqual([staticPagePath('picks', at, 1)]);
  });

  it('keeps a version that becomes current again (readers fell back to it)', async () => {
    const { publisher, upkeep, clock, store, statics, options } = world;
    const old = await publisher.publish('picks', {});
    clock.advance(HOUR / 2);
    const newer = await publisher.publish('picks', {});
    clock.set(old.expiresAt);
    await upkeep.run('picks');
    expect(statics.superseded.size).toBe(old.totalPages);

    store.pages.delete(`picks#${newer.version}#1`); // the newest loses a page: readers fall back
    const current = await new FeedUpkeep({ store, statics, clock }, options).run('picks'); // the next run, in a new container

    expect(current?.version).toBe(old.version);
    expect(statics.superseded.size).toBe(0);
    expect(store.versions.get(`picks#${old.version}`)?.superseded).toBe(false);
  });
});
