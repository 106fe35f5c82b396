/**
 * Catalog stream processor: DynamoDB Streams (filtered to INFO/PRICE/STOCK items) → DAX item
 * cache and sold-out flags. Partial batch responses checkpoint at the first failure. After each
 * batch it records its lag (metric and heartbeat item, read by GET /v1/admin/health).
 * Wiring only; see lambdas/domain/invalidation/process-changes.ts.
 */
import middy from '@middy/core';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { decodeCatalogRecord } from '../adapters/catalog-stream-records.js';
import { DynamoStreamHeartbeats } from '../adapters/dynamo-heartbeats.js';
import { DaxWriteThroughRefresher, DynamoSoldOutFlags, noItemCache } from '../adapters/dynamo-invalidation.js';
import { newestRecordAt } from '../adapters/stream-record-times.js';
import { systemClock } from '../domain/clock.js';
import { StreamHeartbeat } from '../domain/health/heartbeat.js';
import { type CatalogChange, type InvalidationOutcome, processCatalogChanges } from '../domain/invalidation/process-changes.js';
import { dynamoDocumentClient } from '../shared/clients.js';
import { cachedReadClient, readsThroughDax } from '../shared/dax-client.js';
import { requireEnv } from '../shared/env.js';
import { createTelemetry, withTelemetry } from '../shared/telemetry.js';

const SERVICE = 'catalog-stream';
const { logger, metrics } = createTelemetry(SERVICE);
const table = requireEnv('CATALOG_TABLE');
const deps = {
  itemCache: readsThroughDax ? new DaxWriteThroughRefresher(cachedReadClient(), table) : noItemCache,
  soldOut: new DynamoSoldOutFlags(dynamoDocumentClient(), table),
};
const heartbeat = new StreamHeartbeat(SERVICE, new DynamoStreamHeartbeats(dynamoDocumentClient(), table), systemClock);

async function processRecords(event: DynamoDBStreamEvent): Promise<{ outcome: InvalidationOutcome; poisonAt?: string }> {
  const changes: CatalogChange[] = [];
  for (const record of event.Records) {
    const change = decodeCatalogRecord(record);
    if (change === 'ignore') continue;
    if (change === 'poison') {
      // Checkpoint here: the event source bisects, retries, then sends it to the on-failure
      // destination and moves on.
      logger.error('Malformed catalog stream record', { eventID: record.eventID });
      return { outcome: await processCatalogChanges(changes, deps), poisonAt: record.dynamodb?.SequenceNumber ?? '' };
    }
    changes.push(change);
  }
  return { outcome: await processCatalogChanges(changes, deps) };
}

export const handler = middy(async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
  const { outcome, poisonAt } = await processRecords(event);
  const newest = newestRecordAt(event.Records);
  if (newest !== undefined) {
    metrics.add('StreamLag', heartbeat.lagOf(newest));
    if (!(await heartbeat.beat(newest))) logger.warn('Heartbeat not recorded (the batch is not failed for it)');
  }
  metrics.add('StreamRecordsApplied', outcome.processed);
  metrics.add('StreamRecordsSkipped', outcome.skipped);
  logger.info('Changes applied', {
    records: event.Records.length,
    processed: outcome.processed,
    skipped: outcome.skipped,
    failedAt: outcome.failedAt ?? poisonAt,
  });
  const failedAt = outcome.failedAt ?? poisonAt;
  return { batchItemFailures: failedAt !== undefined ? [{ itemIdentifier: failedAt }] : [] };
}).use(withTelemetry({ logger, metrics }));
