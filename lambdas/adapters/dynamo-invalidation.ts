import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { ItemCacheRefresher, SoldOutFlags, StoredImage } from '../domain/invalidation/process-changes.js';
import { itemOfImage, soldOutFlagUpdate } from './catalog-items.js';

/**
 * Refreshes the DAX item cache by writing the newest image back through DAX (DAX has no
 * invalidate call; a write through it replaces the cached item). The put is conditional on the
 * stored version still being this one, so an older record can never overwrite a newer item, and
 * since the item it writes is the stored image attribute for attribute, DynamoDB emits no stream
 * record for it: the processor never feeds itself.
 */
export class DaxWriteThroughRefresher implements ItemCacheRefresher {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async refresh(image: StoredImage, version: number): Promise<'refreshed' | 'superseded'> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: itemOfImage(image),
          ConditionExpression: 'version = :v',
          ExpressionAttributeValues: { ':v': version },
        }),
      );
      return 'refreshed';
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return 'superseded';
      throw error;
    }
  }
}

/** Used where there is no DAX (LocalStack, local runtime): nothing to refresh. */
export const noItemCache: ItemCacheRefresher = { refresh: async () => 'superseded' };

/** Sold-out flags beside the product (see catalog-items.ts), each guarded by stock version. */
export class DynamoSoldOutFlags implements SoldOutFlags {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async set(sku: string, soldOut: boolean, stockVersion: number): Promise<void> {
    try {
      await this.client.send(new UpdateCommand({ TableName: this.tableName, ...soldOutFlagUpdate(sku, { soldOut, stockVersion }) }));
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }
}
