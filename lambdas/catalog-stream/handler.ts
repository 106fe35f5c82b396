/**
 * Catalog stream processor: DynamoDB Streams (filtered to INFO/PRICE/STOCK items) → DAX item
 * cache and sold-out flags. Partial batch responses checkpoint at the first failure.
 * Wiring only; see lambdas/domain/invalidation/process-changes.ts.
 */
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { decodeCatalogRecord } from '../adapters/catalog-stream-records.js';
import { DaxWriteThroughRefresher, DynamoSoldOutFlags, noItemCache } from '../adapters/dynamo-invalidation.js';
import { type CatalogChange, processCatalogChanges } from '../domain/invalidation/process-changes.js';
import { dynamoDocumentClient } from '../shared/clients.js';
import { cachedReadClient, readsThroughDax } from '../shared/dax-client.js';
import { requireEnv } from '../shared/env.js';
import { createLogger } from '../shared/logger.js';

const logger = createLogger('catalog-stream');
const table = requireEnv('CATALOG_TABLE');
const deps = {
  itemCache: readsThroughDax ? new DaxWriteThroughRefresher(cachedReadClient(), table) : noItemCache,
  soldOut: new DynamoSoldOutFlags(dynamoDocumentClient(), table),
};

export const handler = async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
  const changes: CatalogChange[] = [];
  for (const record of event.Records) {
    const change = decodeCatalogRecord(record);
    if (change === 'ignore') continue;
    if (change === 'poison') {
      // Checkpoint here: the event source bisects, retries, then sends it to the on-failure
      // destination and moves on.
      logger.error('Malformed catalog stream record', { eventID: record.eventID });
      const outcome = await processCatalogChanges(changes, deps);
      return { batchItemFailures: [{ itemIdentifier: outcome.failedAt ?? record.dynamodb?.SequenceNumber ?? '' }] };
    }
    changes.push(change);
  }
  const outcome = await processCatalogChanges(changes, deps);
  logger.info('Changes applied', {
    records: event.Records.length,
    processed: outcome.processed,
    skipped: outcome.skipped,
    failedAt: outcome.failedAt,
  });
  return { batchItemFailures: outcome.failedAt ? [{ itemIdentifier: outcome.failedAt }] : [] };
};
