import { type DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { FeedCatalog } from '../domain/feed/ports.js';
import type { CatalogProduct } from '../domain/feed/types.js';
import type { Price, ProductInfo, Stock } from '../domain/product/types.js';
import {
  type CatalogItem,
  infoFromItem,
  kindOfSortKey,
  PRODUCT_ITEM_TYPES,
  priceFromItem,
  productKey,
  stockFromItem,
} from './catalog-items.js';
import { batchGetAll } from './dynamo-batch.js';

interface Parts {
  info?: ProductInfo;
  price?: Price;
  stock?: Stock;
}

/**
 * FeedCatalog over the catalog table. `products` scans the catalog (fine for a periodic job over
 * thousands of products; a score index would be the next step at hundreds of thousands).
 */
export class DynamoFeedCatalog implements FeedCatalog {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async products(signal?: AbortSignal): Promise<CatalogProduct[]> {
    const parts = new Map<string, Parts>();
    const types = Object.fromEntries(PRODUCT_ITEM_TYPES.map((t, i) => [`:t${i}`, t]));
    let startKey: Record<string, unknown> | undefined;
    do {
      const out = await this.client.send(
        new ScanCommand({
          TableName: this.tableName,
          FilterExpression: `#t IN (${Object.keys(types).join(', ')})`,
          ExpressionAttributeNames: { '#t': 'type' },
          ExpressionAttributeValues: types,
          ExclusiveStartKey: startKey,
        }),
        { abortSignal: signal },
      );
      for (const item of out.Items ?? []) collect(parts, item);
      startKey = out.LastEvaluatedKey;
    } while (startKey);
    return products(parts);
  }

  async productsBySku(skus: readonly string[], signal?: AbortSignal): Promise<CatalogProduct[]> {
    const parts = new Map<string, Parts>();
    const keys = skus.flatMap((sku) => [productKey(sku, 'info'), productKey(sku, 'price'), productKey(sku, 'stock')]);
    for (const item of await batchGetAll(this.client, this.tableName, keys, false, signal)) collect(parts, item);
    return products(parts);
  }
}

function collect(parts: Map<string, Parts>, item: CatalogItem): void {
  const kind = kindOfSortKey(item.sk);
  const sku = String(item.sku);
  const p = parts.get(sku) ?? {};
  if (kind === 'info') p.info = infoFromItem(item);
  else if (kind === 'price') p.price = priceFromItem(item);
  else if (kind === 'stock') p.stock = stockFromItem(item);
  parts.set(sku, p);
}

/** Products that have info (price and stock may be missing). */
function products(parts: Map<string, Parts>): CatalogProduct[] {
  return [...parts.values()].flatMap((p) => (p.info ? [{ info: p.info, price: p.price ?? null, stock: p.stock ?? null }] : []));
}
