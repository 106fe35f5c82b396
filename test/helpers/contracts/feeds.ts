import { describe, expect, it } from 'vitest';
import type { FeedStore, StaticCopies } from '../../../lambdas/domain/feed/ports.js';
import { staticCurrentPath, staticPagePath } from '../../../lambdas/domain/feed/static-paths.js';
import type { FeedVersion } from '../../../lambdas/domain/feed/types.js';
import { currentPointer } from '../../../lambdas/domain/feed/upkeep.js';

let n = 0;
const newFeed = () => `ct-${process.pid}-${Date.now().toString(36)}-${++n}`;
const version = (feedId: string, at: number, overrides: Partial<FeedVersion> = {}): FeedVersion => ({
  feedId,
  version: at,
  publishAt: at,
  pageSize: 2,
  totalPages: 2,
  totalItems: 3,
  complete: false,
  expiresAt: at + 86_400_000,
  ...overrides,
});
// Now-ish, whole seconds: DynamoDB Local's TTL sweeper deletes items whose expiresAt has passed.
const T = Math.ceil(Date.now() / 1000) * 1000;

/** What every FeedStore does. */
export function feedStoreContract(name: string, make: () => Promise<FeedStore>) {
  describe(`${name} as FeedStore`, () => {
    it('claims a version once, incomplete until marked complete', async () => {
      const store = await make();
      const feedId = newFeed();

      expect(await store.claim(version(feedId, T))).toBe(true);
      expect(await store.claim(version(feedId, T, { totalPages: 9 }))).toBe(false);
      expect(await store.getVersion(feedId, T)).toEqual(version(feedId, T));
      await store.markComplete(feedId, T);

      expect(await store.getVersion(feedId, T)).toEqual(version(feedId, T, { complete: true }));
      expect(await store.getVersion(feedId, T + 1)).toBeNull();
      expect(await store.feedIds()).toContain(feedId);
    });

    it('lists versions up to a time, newest first, at most `limit`', async () => {
      const store = await make();
      const feedId = newFeed();
      for (const at of [T, T + 10, T + 20, T + 30]) await store.claim(version(feedId, at));

      const listed = await store.versionsUpTo(feedId, T + 25, 2);

      expect(listed.map((v) => v.version)).toEqual([T + 20, T + 10]);
    });

    it('stores page bodies byte for byte and answers null for a missing page', async () => {
      const store = await make();
      const feedId = newFeed();
      await store.claim(version(feedId, T));
      const bodies = ['{"page":1,"name":"Ünïcode ✓"}', '{"page":2}'];

      await store.putPages(feedId, T, bodies, T + 86_400_000);

      expect(await store.getPage(feedId, T, 1)).toBe(bodies[0]);
      expect(await store.getPage(feedId, T, 2)).toBe(bodies[1]);
      expect(await store.getPage(feedId, T, 3)).toBeNull();
    });

    it('moves a version’s expiry', async () => {
      const store = await make();
      const feedId = newFeed();
      const v = version(feedId, T);
      await store.claim(v);
      await store.putPages(feedId, T, ['{}', '{}'], v.expiresAt);

      await store.extend(v, T + 3 * 86_400_000);

      expect((await store.getVersion(feedId, T))?.expiresAt).toBe(T + 3 * 86_400_000);
    });

    it('lists older versions whose static copies are not yet marked superseded', async () => {
      const store = await make();
      const feedId = newFeed();
      for (const at of [T, T + 10, T + 20]) await store.claim(version(feedId, at));

      await store.markSuperseded(feedId, T, true);
      const before = await store.unsupersededBefore(feedId, T + 20);
      await store.markSuperseded(feedId, T, false);

      expect(before.map((v) => v.version)).toEqual([T + 10]);
      expect((await store.unsupersededBefore(feedId, T + 20)).map((v) => v.version).sort()).toEqual([T, T + 10]);
      expect((await store.getVersion(feedId, T))?.superseded).toBeFalsy();
    });

    it('keeps the degrade switch and the static pointer per feed', async () => {
      const store = await make();
      const [a, b] = [newFeed(), newFeed()];

      expect([await store.isDegraded(a), await store.staticCurrent(a)]).toEqual([false, null]);
      await store.setDegraded(a, true);
      await store.setStaticCurrent(a, T);

      expect([await store.isDegraded(a), await store.staticCurrent(a)]).toEqual([true, T]);
      expect([await store.isDegraded(b), await store.staticCurrent(b)]).toEqual([false, null]);
      await store.setDegraded(a, false);
      expect(await store.isDegraded(a)).toBe(false);
    });
  });
}

export interface StaticsWorld {
  statics: StaticCopies;
  /** The object at `key` (static-paths.ts layout), or null. */
  read(key: string): Promise<string | null>;
}

/** What every StaticCopies does (tagging is not observable on every store: see each adapter's tests). */
export function staticCopiesContract(name: string, make: () => Promise<StaticsWorld>) {
  describe(`${name} as StaticCopies`, () => {
    it('keeps pages and the current pointer at the documented paths, byte for byte', async () => {
      const { statics, read } = await make();
      const feedId = newFeed();
      const body = '{"page":1,"items":[{"name":"Ünïcode ✓"}]}';
      const v = version(feedId, T, { complete: true });

      await statics.putPage(feedId, T, 1, body);
      await statics.putCurrent(feedId, currentPointer(v));

      expect(await read(staticPagePath(feedId, T, 1))).toBe(body);
      expect(JSON.parse((await read(staticCurrentPath(feedId))) ?? '{}')).toEqual(currentPointer(v));
      expect(await read(staticPagePath(feedId, T, 2))).toBeNull();
    });

    it('accepts marking a version superseded even when a page is missing (a publish that failed midway)', async () => {
      const { statics, read } = await make();
      const feedId = newFeed();
      await statics.putPage(feedId, T, 1, '{"page":1}');

      await statics.setSuperseded(version(feedId, T), true);

      expect(await read(staticPagePath(feedId, T, 1))).toBe('{"page":1}');
    });
  });
}
