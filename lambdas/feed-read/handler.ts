/** GET /v1/feeds/{feedId}: Today's picks pages. Wiring only; see lambdas/domain/feed/. */
import { L1Cache } from '../domain/cache.js';
import { systemClock } from '../domain/clock.js';
import { apiHandler } from '../http/api-handler.js';
import { router } from '../http/router.js';
import { feedRoutes } from '../http/routes/feeds.js';
import { intEnv } from '../shared/env.js';
import { feedService, feedStore, staticUrls } from '../shared/feeds.js';
import { createLogger } from '../shared/logger.js';

const logger = createLogger('feed-read');
// The degrade switch is configuration in the feeds table; each container re-reads it every 5 s.
const switches = new L1Cache<'degraded', { on: boolean }>({
  maxEntries: 1_000,
  ttlMs: { degraded: 5_000 },
  negativeTtlMs: 5_000,
  clock: systemClock,
});

export const handler = apiHandler(
  router(
    feedRoutes({
      feeds: feedService,
      statics: staticUrls,
      isDegraded: async (feedId) =>
        (await switches.getOrLoad('degraded', feedId, async () => ({ on: await feedStore.isDegraded(feedId) })))?.on === true,
      currentMaxAgeSeconds: intEnv('FEED_CURRENT_MAX_AGE_S', 5),
    }),
  ),
  logger,
);
