/** POST /v1/admin/feeds/{feedId}/versions, PUT /v1/admin/feeds/{feedId}/degrade. Wiring only. */
import { DynamoFeedCatalog } from '../adapters/dynamo-feed-catalog.js';
import { systemClock } from '../domain/clock.js';
import { apiHandler } from '../http/api-handler.js';
import { router } from '../http/router.js';
import { adminFeedRoutes } from '../http/routes/admin-feeds.js';
import { dynamoDocumentClient } from '../shared/clients.js';
import { requireEnv } from '../shared/env.js';
import { staticCopies } from '../shared/feed-static-copies.js';
import { feedService, feedStore } from '../shared/feeds.js';
import { createLogger } from '../shared/logger.js';

const logger = createLogger('feed-admin');

export const handler = apiHandler(
  router(
    adminFeedRoutes({
      feeds: feedService,
      store: feedStore,
      statics: staticCopies,
      catalog: new DynamoFeedCatalog(dynamoDocumentClient(), requireEnv('CATALOG_TABLE')),
      clock: systemClock,
    }),
  ),
  logger,
);
