/** Wiring shared by the feed functions: configuration read once, adapters built once. */
import { DynamoFeedStore } from '../adapters/dynamo-feeds.js';
import { StaticCopyUrls } from '../adapters/s3-static-copies.js';
import { systemClock } from '../domain/clock.js';
import { defaultFeedOptions, FeedService } from '../domain/feed/feed-service.js';
import { dynamoDocumentClient } from './clients.js';
import { intEnv, requireEnv } from './env.js';

export const feedOptions = {
  ...defaultFeedOptions,
  pageSize: intEnv('FEED_PAGE_SIZE', defaultFeedOptions.pageSize),
  maxItems: intEnv('FEED_MAX_ITEMS', defaultFeedOptions.maxItems),
  lookbackMs: intEnv('FEED_LOOKBACK_MS', defaultFeedOptions.lookbackMs),
};
export const feedStore = new DynamoFeedStore(dynamoDocumentClient(), requireEnv('FEEDS_TABLE'));
export const feedService = new FeedService(feedStore, systemClock, feedOptions);
export const staticBaseUrl = requireEnv('FEEDS_STATIC_BASE_URL');
export const staticUrls = new StaticCopyUrls(staticBaseUrl);
