import { describe, expect, it } from 'vitest';
import { type InvalidationDeps, processCatalogChanges, type StockChange } from '../../../../lambdas/domain/invalidation/process-changes.js';
import { MemoryItemCache, MemorySoldOutFlags, stockImage } from '../../../helpers/invalidation.js';

let seq = 0;
function stockChange(sku: string, version: number, quantity: number, previousQuantity?: number): StockChange {
  seq += 1;
  return {
    sequenceNumber: String(seq).padStart(10, '0'),
    sku,
    kind: 'stock',
    version,
    quantity,
    ...(previousQuantity === undefined ? {} : { previousQuantity }),
    changed: true,
    image: stockImage(sku, quantity, version),
  };
}

/**
 * In-memory caches with the same version guards as the DynamoDB adapters. The table already holds
 * `tableVersions` (stream records arrive after their writes).
 */
function fakeDeps(tableVersions: Record<string, number> = {}) {
  const itemCache = new MemoryItemCache();
  for (const [sku, version] of Object.entries(tableVersions)) itemCache.store(sku, version);
  const soldOut = new MemorySoldOutFlags();
  const deps: InvalidationDeps = { itemCache, soldOut };
  return { deps, itemCache, flags: soldOut.flags };
}

describe('processCatalogChanges', () => {
  it('applies only the newest version of each item in a batch', async () => {
    const { deps, itemCache } = fakeDeps({ A: 3, B: 7 });

    const outcome = await processCatalogChanges([stockChange('A', 2, 5, 6), stockChange('A', 3, 4, 5), stockChange('B', 7, 1, 2)], deps);

    expect(itemCache.attempts).toEqual(['A@3', 'B@7']);
    expect(itemCache.cached).toEqual(
      new Map([
        ['STOCK#A', 3],
        ['STOCK#B', 7],
      ]),
    );
    expect(outcome).toMatchObject({ processed: 2, skipped: 1 });
  });

  it('sets the sold-out flag when stock crosses zero, and clears it when it comes back', async () => {
    const { deps, flags } = fakeDeps();

    await processCatalogChanges([stockChange('A', 1, 3), stockChange('A', 2, 0, 3)], deps);
    expect(flags.get('A')).toEqual({ soldOut: true, stockVersion: 2 });

    await processCatalogChanges([stockChange('A', 3, 10, 0)], deps);
    expect(flags.get('A')).toEqual({ soldOut: false, stockVersion: 3 });
  });

  it('does not write the flag for changes that do not cross zero', async () => {
    const { deps, flags } = fakeDeps();

    await processCatalogChanges([stockChange('A', 5, 8, 9)], deps);

    expect(flags.has('A')).toBe(false);
  });

  it('skips records whose item did not change (no self-sustaining chains)', async () => {
    const { deps, itemCache } = fakeDeps({ A: 4 });
    const change = { ...stockChange('A', 4, 2, 2), changed: false };

    const outcome = await processCatalogChanges([change], deps);

    expect(itemCache.attempts).toEqual([]);
    expect(outcome.skipped).toBe(1);
  });

  it('converges to the same state whatever the order and however often records are replayed', async () => {
    const history = [
      stockChange('A', 1, 2),
      stockChange('A', 2, 0, 2),
      stockChange('A', 3, 0, 0),
      stockChange('A', 4, 6, 0),
      stockChange('A', 5, 1, 6),
    ];
    const inOrder = fakeDeps({ A: 5 });
    for (const change of history) await processCatalogChanges([change], inOrder.deps);

    for (let run = 0; run < 20; run++) {
      const shuffled = fakeDeps({ A: 5 });
      const replayed = [...history, ...history].sort(() => Math.random() - 0.5);
      for (let i = 0; i < replayed.length; i += 3) await processCatalogChanges(replayed.slice(i, i + 3), shuffled.deps);

      // The flag's value is what readers use; its version stamp may be any version at or after
      // the last crossing.
      expect(shuffled.flags.get('A')?.soldOut).toBe(inOrder.flags.get('A')?.soldOut);
      expect(shuffled.flags.get('A')?.soldOut).toBe(false);
      expect(shuffled.itemCache.cached).toEqual(inOrder.itemCache.cached);
    }
  });

  it('stops at the first failure and reports its sequence number as the checkpoint', async () => {
    const { deps } = fakeDeps();
    const failing = stockChange('B', 1, 1);
    deps.itemCache.refresh = async (_image, version) => {
      if (version === failing.version) throw new Error('DAX unavailable'); // B is the only change at version 1
      return 'refreshed';
    };

    const outcome = await processCatalogChanges([stockChange('A', 2, 1), failing, stockChange('C', 2, 1)], deps);

    expect(outcome).toMatchObject({ processed: 1, failedAt: failing.sequenceNumber });
  });
});
