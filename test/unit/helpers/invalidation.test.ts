import { itemCacheRefresherContract, soldOutFlagsContract } from '../../helpers/contracts/invalidation.js';
import { MemoryItemCache, MemorySoldOutFlags } from '../../helpers/invalidation.js';

itemCacheRefresherContract('MemoryItemCache', async () => {
  const itemCache = new MemoryItemCache();
  return { itemCache, store: async (sku, _quantity, version) => itemCache.store(sku, version) };
});

soldOutFlagsContract('MemorySoldOutFlags', async () => {
  const flags = new MemorySoldOutFlags();
  return { flags, read: async (sku) => flags.flags.get(sku) ?? null };
});
