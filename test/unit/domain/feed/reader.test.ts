import { beforeEach, describe, expect, it } from 'vitest';
import { GoneError, NotFoundError } from '../../../../lambdas/domain/errors.js';
import type { FeedReader } from '../../../../lambdas/domain/feed/reader.js';
import { defaultFeedOptions, FEED_RETENTION_MS, type FeedPage } from '../../../../lambdas/domain/feed/types.js';
import { feedWorld } from '../../../helpers/feeds.js';

const HOUR = 60 * 60 * 1000;

describe('FeedReader', () => {
  let world: ReturnType<typeof feedWorld>;
  beforeEach(() => {
    world = feedWorld();
  });

  const read = async (page: number, version?: number, reader: FeedReader = world.reader) => {
    const answer = await reader.page('picks', page, version);
    if (answer.kind !== 'page') throw new Error('expected a page');
    return JSON.parse(answer.body) as FeedPage;
  };

  it('shows a client scrolling a pinned version every SKU exactly once while three newer versions publish', async () => {
    const { publisher, clock, store } = world;
    const pinned = await publisher.publish('picks', {});
    const seen: string[] = [];
    for (let page = 1; page <= pinned.totalPages; page++) {
      if (page % 3 === 0) {
        clock.advance(1_000);
        // A re-ranked list (reversed order, different members) lands mid-scroll.
        await publisher.publish('picks', { skus: Array.from({ length: 40 }, (_, i) => `SKU-${String(94 - i - page).padStart(3, '0')}`) });
      }
      seen.push(...(await read(page, pinned.version)).items.map((i) => i.sku));
    }

    expect(seen).toHaveLength(95);
    expect(new Set(seen).size).toBe(95);
    expect(store.versions.size).toBe(4);
  });

  it('makes a future version current exactly at its publishAt', async () => {
    const { publisher, clock } = world;
    const today = await publisher.publish('picks', {});
    const drop = await publisher.publish('picks', { publishAt: clock.now() + HOUR, skus: ['SKU-001', 'SKU-002'] });

    clock.set(drop.publishAt - 1);
    expect((await read(1)).version).toBe(today.version);
    clock.set(drop.publishAt);
    clock.advance(defaultFeedOptions.pointerTtlMs); // past the ≤1 s pointer cache
    expect((await read(1)).version).toBe(drop.version);
  });

  it('does not serve a future version even from a freshly cached pointer', async () => {
    const { publisher, clock } = world;
    await publisher.publish('picks', {});
    const drop = await publisher.publish('picks', { publishAt: clock.now() + 500 });

    await read(1);
    clock.advance(499);

    expect((await read(1)).version).not.toBe(drop.version);
  });

  it('falls back to the next newest complete version when the newest is incomplete or misses a page', async () => {
    const { publisher, clock, store, freshReader } = world;
    const good = await publisher.publish('picks', {});
    clock.advance(60_000);
    const broken = await publisher.publish('picks', {});
    store.pages.delete(`picks#${broken.version}#1`);
    clock.advance(2_000);

    expect((await read(1, undefined, freshReader())).version).toBe(good.version);

    const registered = store.versions.get(`picks#${broken.version}`);
    if (registered) registered.complete = false;
    store.pages.set(`picks#${broken.version}#1`, '{}');
    expect((await read(1, undefined, freshReader())).version).toBe(good.version);
  });

  it('does not fall back further than the lookback window', async () => {
    const { publisher, clock, store, freshReader } = world;
    await publisher.publish('picks', {});
    clock.advance(2 * HOUR);
    const newest = await publisher.publish('picks', {});
    store.pages.delete(`picks#${newest.version}#1`);

    await expect(freshReader().page('picks', 1)).rejects.toMatchObject({ code: 'FEED_UNAVAILABLE', kind: 'unavailable' });
  });

  it('answers 304 for page 1 when If-None-Match names the current version, without reading a page', async () => {
    const { publisher, store, reader } = world;
    const v = await publisher.publish('picks', {});
    await read(1);
    const readsBefore = store.pageReads;

    const answer = await reader.page('picks', 1, undefined, `"${v.version}"`);

    expect(answer.kind).toBe('not-modified');
    expect(store.pageReads).toBe(readsBefore);
  });

  it('answers 410 with the current version once a pinned version is pruned', async () => {
    const { publisher, clock, reader } = world;
    const old = await publisher.publish('picks', {});
    clock.advance(FEED_RETENTION_MS - 1_000);
    const current = await publisher.publish('picks', {});
    clock.advance(2_000);

    const pruned = reader.page('picks', 1, old.version);

    await expect(pruned).rejects.toBeInstanceOf(GoneError);
    await expect(reader.page('picks', 1, old.version)).rejects.toMatchObject({ details: { current: current.version } });
  });

  it('keeps answering the current version pinned past its 24 h', async () => {
    const { publisher, clock } = world;
    const only = await publisher.publish('picks', {});
    clock.advance(FEED_RETENTION_MS + HOUR);

    expect((await read(2, only.version)).version).toBe(only.version);
  });

  it('answers 404 for an unknown feed and for a page past the last', async () => {
    const { publisher, reader } = world;
    const v = await publisher.publish('picks', {});

    await expect(reader.page('other', 1)).rejects.toBeInstanceOf(NotFoundError);
    await expect(reader.page('picks', v.totalPages + 1, v.version)).rejects.toMatchObject({ code: 'PAGE_NOT_FOUND' });
  });
});
