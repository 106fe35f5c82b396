import { type DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { FeedCatalog } from '../domain/feed/ports.js';
import type { FeedItem } from '../domain/feed/types.js';
import type { Price, ProductInfo, Stock } from '../domain/product/types.js';
import { infoFromItem, kindOfSortKey, priceFromItem, productKey, stockFromItem } from './catalog-items.js';
import { batchGetAll } from './dynamo-batch.js';

/**
 * Picks score: 3 × sales + clicks + exposure / 100 (sales count most; exposure alone is cheap).
 * Sold-out products are left out: a pick should be buyable when it is published.
 */
export function pickScore(info: ProductInfo): number {
  return 3 * (info.sales ?? 0) + (info.clicks ?? 0) + (info.exposure ?? 0) / 100;
}

interface Product {
  info?: ProductInfo;
  price?: Price;
  stock?: Stock;
}

function toItem(p: Required<Pick<Product, 'info'>> & Product): FeedItem {
  return {
    sku: p.info.sku,
    name: p.info.name,
    price: p.price ? { amount: p.price.amount, original: p.price.original, currency: p.price.currency } : null,
    stock: { available: (p.stock?.quantity ?? 0) > 0 },
  };
}

/**
 * FeedCatalog over the catalog table. Ranking scans the catalog (fine for a periodic job over
 * thousands of products; a score index would be the next step at hundreds of thousands).
 */
export class DynamoFeedCatalog implements FeedCatalog {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async ranked(limit: number): Promise<FeedItem[]> {
    const products = new Map<string, Product>();
    let startKey: Record<string, unknown> | undefined;
    do {
      const out = await this.client.send(
        new ScanCommand({
          TableName: this.tableName,
          FilterExpression: '#t IN (:info, :price, :stock)',
          ExpressionAttributeNames: { '#t': 'type' },
          ExpressionAttributeValues: { ':info': 'INFO', ':price': 'PRICE', ':stock': 'STOCK' },
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of out.Items ?? []) collect(products, item);
      startKey = out.LastEvaluatedKey;
    } while (startKey);
    return [...products.values()]
      .filter((p): p is Product & { info: ProductInfo } => p.info !== undefined && (p.stock?.quantity ?? 0) > 0)
      .sort((a, b) => pickScore(b.info) - pickScore(a.info) || a.info.sku.localeCompare(b.info.sku))
      .slice(0, limit)
      .map(toItem);
  }

  async snapshot(skus: string[]): Promise<{ items: FeedItem[]; missing: string[] }> {
    const products = new Map<string, Product>();
    const keys = skus.flatMap((sku) => [productKey(sku, 'info'), productKey(sku, 'price'), productKey(sku, 'stock')]);
    for (const item of await batchGetAll(this.client, this.tableName, keys)) collect(products, item);
    const items: FeedItem[] = [];
    const missing: string[] = [];
    for (const sku of skus) {
      const p = products.get(sku);
      if (p?.info) items.push(toItem({ ...p, info: p.info }));
      else missing.push(sku);
    }
    return { items, missing };
  }
}

function collect(products: Map<string, Product>, item: Record<string, unknown>): void {
  const kind = kindOfSortKey(item.sk);
  const sku = String(item.sku);
  const p = products.get(sku) ?? {};
  if (kind === 'info') p.info = infoFromItem(item);
  else if (kind === 'price') p.price = priceFromItem(item);
  else if (kind === 'stock') p.stock = stockFromItem(item);
  products.set(sku, p);
}
