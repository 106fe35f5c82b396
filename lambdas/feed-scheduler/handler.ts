/**
 * Every minute (EventBridge): for each feed, point the static current.json at the current version
 * (so a scheduled version goes live in degraded mode too) and keep the current version from
 * being pruned. Wiring only; see FeedService.syncStatic.
 */
import { staticCopies } from '../shared/feed-static-copies.js';
import { feedService, feedStore } from '../shared/feeds.js';
import { createLogger } from '../shared/logger.js';

const logger = createLogger('feed-scheduler');

export const handler = async (): Promise<{ feeds: number; current: Record<string, number | null> }> => {
  const current: Record<string, number | null> = {};
  for (const feedId of await feedStore.feedIds()) {
    current[feedId] = (await feedService.syncStatic(feedId, staticCopies))?.version ?? null;
  }
  logger.info('Feeds synced', { current });
  return { feeds: Object.keys(current).length, current };
};
