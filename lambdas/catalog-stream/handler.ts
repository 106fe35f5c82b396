/**
 * Catalog stream processor: DynamoDB Streams (filtered to INFO/PRICE/STOCK items) → DAX item
 * cache, sold-out flags, feed hook. Partial batch responses checkpoint at the first failure.
 * Wiring only; see lambdas/domain/invalidation/process-changes.ts.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { kindOfSortKey } from '../adapters/catalog-items.js';
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
  hooks: [],
};

export const handler = async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
  const changes: CatalogChange[] = [];
  for (const record of event.Records) {
    const change = toChange(record);
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

function toChange(record: DynamoDBRecord): CatalogChange | 'ignore' | 'poison' {
  if (record.eventName === 'REMOVE') return 'ignore';
  const image = record.dynamodb?.NewImage;
  if (!image) return 'poison';
  const item = unmarshall(image as Record<string, AttributeValue>);
  const kind = kindOfSortKey(item.sk);
  if (!kind) return 'ignore';
  const sku = typeof item.sku === 'string' ? item.sku : undefined;
  const version = Number(item.version);
  if (!sku || !Number.isInteger(version) || !record.dynamodb?.SequenceNumber) return 'poison';
  const old = record.dynamodb.OldImage;
  return {
    sequenceNumber: record.dynamodb.SequenceNumber,
    sku,
    kind,
    version,
    item,
    previous: old ? unmarshall(old as Record<string, AttributeValue>) : undefined,
  };
}
