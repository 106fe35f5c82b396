/** POST /v1/admin/feeds/{feedId}/versions, PUT /v1/admin/feeds/{feedId}/degrade. Wiring only; see lambdas/domain/feed/. */
import { DynamoFeedCatalog } from '../adapters/dynamo-feed-catalog.js';
import { DynamoFeedStore } from '../adapters/dynamo-feeds.js';
import { S3StaticCopies } from '../adapters/s3-static-copies.js';
import { systemClock } from '../domain/clock.js';
import { DegradeSwitch } from '../domain/feed/degrade-switch.js';
import { FeedPublisher } from '../domain/feed/publisher.js';
import { StaticCopyUrls } from '../domain/feed/static-paths.js';
import { defaultFeedOptions } from '../domain/feed/types.js';
import { apiHandler } from '../http/api-handler.js';
import { adminFeedRoutes } from '../http/routes/admin-feeds.js';
import { dynamoDocumentClient } from '../shared/clients.js';
import { intEnv, requireEnv } from '../shared/env.js';
import { s3Client } from '../shared/s3-client.js';
import { createTelemetry } from '../shared/telemetry.js';

const { logger, metrics } = createTelemetry('feed-admin');
const store = new DynamoFeedStore(dynamoDocumentClient(), requireEnv('FEEDS_TABLE'));
const options = {
  pageSize: intEnv('FEED_PAGE_SIZE', defaultFeedOptions.pageSize),
  maxItems: intEnv('FEED_MAX_ITEMS', defaultFeedOptions.maxItems),
  lookbackMs: intEnv('FEED_LOOKBACK_MS', defaultFeedOptions.lookbackMs),
};
const publisher = new FeedPublisher(
  {
    store,
    catalog: new DynamoFeedCatalog(dynamoDocumentClient(), requireEnv('CATALOG_TABLE')),
    statics: new S3StaticCopies(s3Client(), requireEnv('FEEDS_BUCKET')),
    clock: systemClock,
  },
  options,
);

export const handler = apiHandler(
  adminFeedRoutes({
    publisher,
    degrade: new DegradeSwitch(store, systemClock),
    statics: new StaticCopyUrls(requireEnv('FEEDS_STATIC_BASE_URL')),
    clock: systemClock,
    metrics,
  }),
  logger,
  metrics,
);
