import { describe, expect, it } from 'vitest';
import { type CatalogChange, type InvalidationDeps, processCatalogChanges } from '../../lambdas/domain/invalidation/process-changes.js';

let seq = 0;
function stockChange(sku: string, version: number, quantity: number, previousQuantity?: number): CatalogChange {
  seq += 1;
  const item = { pk: `PRODUCT#${sku}`, sk: 'STOCK', type: 'STOCK', sku, quantity, version };
  return {
    sequenceNumber: String(seq).padStart(10, '0'),
    sku,
    kind: 'stock',
    version,
    item,
    previous: previousQuantity === undefined ? undefined : { ...item, quantity: previousQuantity, version: version - 1 },
  };
}

/** In-memory caches with the same version guards as the DynamoDB adapters. */
function fakeDeps() {
  const cache = new Map<string, number>();
  const flags = new Map<string, { soldOut: boolean; stockVersion: number }>();
  const refreshed: string[] = [];
  const deps: InvalidationDeps = {
    itemCache: {
      async refresh(change) {
        refreshed.push(`${change.sku}@${change.version}`);
        if ((cache.get(change.sku) ?? 0) > change.version) return 'superseded';
        cache.set(change.sku, change.version);
        return 'refreshed';
      },
    },
    soldOut: {
      async set(sku, soldOut, stockVersion) {
        const current = flags.get(sku);
        if (!current || current.stockVersion < stockVersion) flags.set(sku, { soldOut, stockVersion });
      },
    },
    hooks: [],
  };
  return { deps, cache, flags, refreshed };
}

describe('processCatalogChanges', () => {
  it('applies only the newest version of each item in a batch', async () => {
    const { deps, refreshed } = fakeDeps();

    const outcome = await processCatalogChanges([stockChange('A', 2, 5, 6), stockChange('A', 3, 4, 5), stockChange('B', 7, 1, 2)], deps);

    expect(refreshed).toEqual(['A@3', 'B@7']);
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

  it('skips records whose image did not change (no self-sustaining chains)', async () => {
    const { deps, refreshed } = fakeDeps();
    const change = stockChange('A', 4, 2, 2);
    change.previous = { ...change.item };

    const outcome = await processCatalogChanges([change], deps);

    expect(refreshed).toEqual([]);
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
    const inOrder = fakeDeps();
    for (const change of history) await processCatalogChanges([change], inOrder.deps);

    for (let run = 0; run < 20; run++) {
      const shuffled = fakeDeps();
      const replayed = [...history, ...history].sort(() => Math.random() - 0.5);
      for (let i = 0; i < replayed.length; i += 3) await processCatalogChanges(replayed.slice(i, i + 3), shuffled.deps);

      // The flag's value is what readers use; its version stamp may be any version at or after
      // the last crossing.
      expect(shuffled.flags.get('A')?.soldOut).toBe(inOrder.flags.get('A')?.soldOut);
      expect(shuffled.flags.get('A')?.soldOut).toBe(false);
      expect(shuffled.cache).toEqual(inOrder.cache);
    }
  });

  it('stops at the first failure and reports its sequence number as the checkpoint', async () => {
    const { deps } = fakeDeps();
    const failing = stockChange('B', 1, 1);
    deps.itemCache.refresh = async (change) => {
      if (change.sku === 'B') throw new Error('DAX unavailable');
      return 'refreshed';
    };

    const outcome = await processCatalogChanges([stockChange('A', 1, 1), failing, stockChange('C', 1, 1)], deps);

    expect(outcome).toMatchObject({ processed: 1, failedAt: failing.sequenceNumber });
  });
});
