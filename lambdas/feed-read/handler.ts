/** GET /v1/feeds/{feedId}: Today's picks pages. Wiring only; see lambdas/domain/feed/. */
import { DynamoFeedStore } from '../adapters/dynamo-feeds.js';
import { systemClock } from '../domain/clock.js';
import { DegradeSwitch } from '../domain/feed/degrade-switch.js';
import { FeedReader } from '../domain/feed/reader.js';
import { StaticCopyUrls } from '../domain/feed/static-paths.js';
import { defaultFeedOptions } from '../domain/feed/types.js';
import { apiHandler } from '../http/api-handler.js';
import { feedRoutes } from '../http/routes/feeds.js';
import { dynamoDocumentClient } from '../shared/clients.js';
import { intEnv, requireEnv } from '../shared/env.js';
import { createTelemetry } from '../shared/telemetry.js';

const { logger, metrics } = createTelemetry('feed-read');
const store = new DynamoFeedStore(dynamoDocumentClient(), requireEnv('FEEDS_TABLE'));
const options = { ...defaultFeedOptions, lookbackMs: intEnv('FEED_LOOKBACK_MS', defaultFeedOptions.lookbackMs) };

export const handler = apiHandler(
  feedRoutes({
    reader: new FeedReader(store, systemClock, options),
    degrade: new DegradeSwitch(store, systemClock),
    statics: new StaticCopyUrls(requireEnv('FEEDS_STATIC_BASE_URL')),
    currentMaxAgeSeconds: intEnv('FEED_CURRENT_MAX_AGE_S', 5),
    metrics,
  }),
  logger,
  metrics,
);
