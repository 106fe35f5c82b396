import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { CatalogChange, ItemCacheRefresher, SoldOutFlags } from '../domain/invalidation/process-changes.js';
import { productPk } from './catalog-items.js';

/**
 * Refreshes the DAX item cache by writing the newest image back through DAX (DAX has no
 * invalidate call; a write through it replaces the cached item). The put is conditional on the
 * stored version still being this one, so an older record can never overwrite a newer item, and
 * since the item it writes is identical to what is stored, DynamoDB emits no stream record for
 * it: the processor never feeds itself.
 */
export class DaxWriteThroughRefresher implements ItemCacheRefresher {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async refresh(change: CatalogChange): Promise<'refreshed' | 'superseded'> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: change.item,
          ConditionExpression: 'version = :v',
          ExpressionAttributeValues: { ':v': change.version },
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

export const SOLD_OUT_SK = 'SOLDOUT';

/**
 * Sold-out flags live beside the product (pk = PRODUCT#<sku>, sk = SOLDOUT, type = FLAG). The
 * stream's filter selects only INFO/PRICE/STOCK, so flag writes never come back as work.
 */
export class DynamoSoldOutFlags implements SoldOutFlags {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async set(sku: string, soldOut: boolean, stockVersion: number): Promise<void> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: productPk(sku), sk: SOLD_OUT_SK },
          UpdateExpression: 'SET soldOut = :soldOut, stockVersion = :v, #type = :flag, sku = :sku',
          ConditionExpression: 'attribute_not_exists(stockVersion) OR stockVersion < :v',
          ExpressionAttributeNames: { '#type': 'type' },
          ExpressionAttributeValues: { ':soldOut': soldOut, ':v': stockVersion, ':flag': 'FLAG', ':sku': sku },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }
}
