import { feedStoreContract, staticCopiesContract } from '../../helpers/contracts/feeds.js';
import { MemoryFeedStore, MemoryStatics } from '../../helpers/feeds.js';

feedStoreContract('MemoryFeedStore', async () => new MemoryFeedStore());

staticCopiesContract('MemoryStatics', async () => {
  const statics = new MemoryStatics();
  return { statics, read: async (key) => statics.objects.get(key) ?? null };
});
