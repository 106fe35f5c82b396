import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { CatalogReader, ReadOptions } from '../domain/product/ports.js';
import type { Price, ProductInfo, SourceKind, Stock } from '../domain/product/types.js';
import { infoFromItem, priceFromItem, productKey, stockFromItem } from './catalog-items.js';

/**
 * CatalogReader over a DynamoDB document client. Give it the DAX-backed client for cached reads
 * (eventually consistent GetItem is served from the DAX item cache) or the plain one.
 */
export class DynamoCatalogReader implements CatalogReader {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async getInfo(sku: string, signal?: AbortSignal, options?: ReadOptions): Promise<ProductInfo | null> {
    const item = await this.get(sku, 'info', signal, options);
    return item ? infoFromItem(item) : null;
  }

  async getPrice(sku: string, signal?: AbortSignal, options?: ReadOptions): Promise<Price | null> {
    const item = await this.get(sku, 'price', signal, options);
    return item ? priceFromItem(item) : null;
  }

  async getStock(sku: string, signal?: AbortSignal, options?: ReadOptions): Promise<Stock | null> {
    const item = await this.get(sku, 'stock', signal, options);
    return item ? stockFromItem(item) : null;
  }

  private async get(sku: string, kind: SourceKind, signal?: AbortSignal, options?: ReadOptions) {
    const out = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: productKey(sku, kind), ConsistentRead: options?.consistent === true }),
      { abortSignal: signal },
    );
    return out.Item;
  }
}
