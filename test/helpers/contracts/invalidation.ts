import { describe, expect, it } from 'vitest';
import type { SoldOutFlag } from '../../../lambdas/adapters/catalog-items.js';
import type { ItemCacheRefresher, SoldOutFlags } from '../../../lambdas/domain/invalidation/process-changes.js';
import { stockImage } from '../invalidation.js';

let n = 0;
const newSku = () => `IV-${process.pid}-${Date.now().toString(36)}-${++n}`;

export interface ItemCacheWorld {
  itemCache: ItemCacheRefresher;
  /** Makes the table hold this stock item (as a catalog write would). */
  store(sku: string, quantity: number, version: number): Promise<void>;
}

/** What every ItemCacheRefresher does. */
export function itemCacheRefresherContract(name: string, make: () => Promise<ItemCacheWorld>) {
  describe(`${name} as ItemCacheRefresher`, () => {
    it('refreshes with the image of the stored version and refuses an older one', async () => {
      const { itemCache, store } = await make();
      const sku = newSku();
      await store(sku, 4, 3);

      expect(await itemCache.refresh(stockImage(sku, 4, 3), 3)).toBe('refreshed');
      expect(await itemCache.refresh(stockImage(sku, 9, 2), 2)).toBe('superseded');
    });
  });
}

export interface FlagsWorld {
  flags: SoldOutFlags;
  read(sku: string): Promise<SoldOutFlag | null>;
}

/** What every SoldOutFlags does. */
export function soldOutFlagsContract(name: string, make: () => Promise<FlagsWorld>) {
  describe(`${name} as SoldOutFlags`, () => {
    it('keeps the flag of the newest stock version, whatever order the updates come in', async () => {
      const { flags, read } = await make();
      const sku = newSku();

      await flags.set(sku, true, 5);
      await flags.set(sku, false, 4);
      expect(await read(sku)).toEqual({ soldOut: true, stockVersion: 5 });
      await flags.set(sku, false, 6);

      expect(await read(sku)).toEqual({ soldOut: false, stockVersion: 6 });
      expect(await read(newSku())).toBeNull();
    });
  });
}
