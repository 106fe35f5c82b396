/**
 * Every minute (EventBridge): for each feed, point the static current.json at the current version
 * (so a scheduled version goes live in degraded mode too), keep the current version from being
 * pruned, and mark pruned versions' static copies for expiry. Wiring only; see FeedUpkeep.
 */
import middy from '@middy/core';
import { DynamoFeedStore } from '../adapters/dynamo-feeds.js';
import { S3StaticCopies } from '../adapters/s3-static-copies.js';
import { systemClock } from '../domain/clock.js';
import { defaultFeedOptions } from '../domain/feed/types.js';
import { FeedUpkeep } from '../domain/feed/upkeep.js';
import { dynamoDocumentClient } from '../shared/clients.js';
import { intEnv, optionalEnv, requireEnv } from '../shared/env.js';
import { s3Client } from '../shared/s3-client.js';
import { createTelemetry, withTelemetry } from '../shared/telemetry.js';

const { logger, metrics } = createTelemetry('feed-scheduler');
const store = new DynamoFeedStore(dynamoDocumentClient(), requireEnv('FEEDS_TABLE'));
const upkeep = new FeedUpkeep(
  {
    store,
    // FEEDS_STATIC_TAGGING=off only where S3 has no object tagging (the local runtime's emulator).
    statics: new S3StaticCopies(s3Client(), requireEnv('FEEDS_BUCKET'), { tagging: optionalEnv('FEEDS_STATIC_TAGGING') !== 'off' }),
    clock: systemClock,
  },
  { lookbackMs: intEnv('FEED_LOOKBACK_MS', defaultFeedOptions.lookbackMs) },
);

export const handler = middy(async (): Promise<{ feeds: number; current: Record<string, number | null> }> => {
  const current: Record<string, number | null> = {};
  for (const feedId of await store.feedIds()) current[feedId] = (await upkeep.run(feedId))?.version ?? null;
  metrics.add('FeedsSynced', Object.values(current).filter((v) => v !== null).length);
  logger.info('Feeds synced', { current });
  return { feeds: Object.keys(current).length, current };
}).use(withTelemetry({ logger, metrics }));
