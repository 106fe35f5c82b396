import type { StoredImage } from '../domain/invalidation/process-changes.js';
import type { Price, ProductInfo, SourceKind, Stock } from '../domain/product/types.js';

/**
 * The catalog table's item shapes (docs/data-model.md), in one place: keys, attribute names,
 * the sold-out flag, and the mapping to and from domain types. Every adapter of the catalog table,
 * the stream decoder, the demo seeder and the benches go through this module.
 *
 *   pk = PRODUCT#<sku>   sk = INFO | PRICE | STOCK | SOLDOUT
 *
 * `type` repeats the kind (FLAG for the sold-out flag) so the stream's filter can select item
 * kinds: it lets INFO, PRICE and STOCK through, so flag writes never come back as work.
 */
export type CatalogItem = Record<string, unknown>;

export const SORT_KEY: Record<SourceKind, 'INFO' | 'PRICE' | 'STOCK'> = {
  info: 'INFO',
  price: 'PRICE',
  stock: 'STOCK',
};
const SOLD_OUT_SK = 'SOLDOUT';

/** The `type` values of product items (what a scan for products filters on). */
export const PRODUCT_ITEM_TYPES = Object.values(SORT_KEY);

export const productPk = (sku: string) => `PRODUCT#${sku}`;
export const productKey = (sku: string, kind: SourceKind) => ({ pk: productPk(sku), sk: SORT_KEY[kind] });
/** Key of a SKU's sold-out flag, written by the catalog stream processor beside the product. */
export const soldOutFlagKey = (sku: string) => ({ pk: productPk(sku), sk: SOLD_OUT_SK });

export function kindOfSortKey(sk: unknown): SourceKind | undefined {
  switch (sk) {
    case 'INFO':
      return 'info';
    case 'PRICE':
      return 'price';
    case 'STOCK':
      return 'stock';
    default:
      return undefined;
  }
}

// ---- Product items ↔ domain ------------------------------------------------------------------

export const infoItem = (info: ProductInfo, updatedAt: number): CatalogItem => ({
  ...productKey(info.sku, 'info'),
  type: SORT_KEY.info,
  ...info,
  updatedAt,
});
export const priceItem = (price: Price, updatedAt: number): CatalogItem => ({
  ...productKey(price.sku, 'price'),
  type: SORT_KEY.price,
  ...price,
  updatedAt,
});
export const stockItem = (stock: Stock, updatedAt: number): CatalogItem => ({
  ...productKey(stock.sku, 'stock'),
  type: SORT_KEY.stock,
  ...stock,
  updatedAt,
});

export function infoFromItem(item: CatalogItem): ProductInfo {
  return {
    sku: String(item.sku),
    name: String(item.name),
    description: String(item.description ?? ''),
    version: Number(item.version),
    sales: optionalNumber(item.sales),
    exposure: optionalNumber(item.exposure),
    clicks: optionalNumber(item.clicks),
  };
}

export function priceFromItem(item: CatalogItem): Price {
  return {
    sku: String(item.sku),
    amount: Number(item.amount),
    original: Number(item.original),
    currency: String(item.currency),
    version: Number(item.version),
  };
}

export function stockFromItem(item: CatalogItem): Stock {
  return { sku: String(item.sku), quantity: Number(item.quantity ?? 0), version: Number(item.version) };
}

function optionalNumber(value: unknown): number | undefined {
  return typeof value === 'number' ? value : undefined;
}

// ---- Writes that several adapters share -----------------------------------------------------

export interface StockAdjustment {
  /** Units to add (negative to take). The result never goes below zero. */
  delta: number;
  now: number;
  /** The result never goes above this (a refund omits it: it gives back units taken). */
  max?: number;
  /** If-Match: only when the item is at this version. */
  expectedVersion?: number;
  /** Refuse to create the stock item (it must already hold stock). */
  mustExist?: boolean;
}

/**
 * The UpdateItem parts that move a SKU's stock by `delta` and raise its version, with every bound
 * in the condition, so the bounds hold however many writers race. Used by the admin writer,
 * the deduction consumer's transaction and refunds alike.
 */
export function stockAdjustment(sku: string, a: StockAdjustment) {
  const conditions: string[] = [];
  const values: Record<string, unknown> = { ':delta': a.delta, ':zero': 0, ':one': 1, ':type': SORT_KEY.stock, ':sku': sku, ':now': a.now };
  if (a.delta < 0) {
    conditions.push('quantity >= :floor');
    values[':floor'] = -a.delta;
  } else if (a.mustExist) {
    conditions.push('attribute_exists(quantity)');
  }
  if (a.max !== undefined && a.delta > 0) {
    conditions.push('(attribute_not_exists(quantity) OR quantity <= :ceiling) AND :delta <= :max');
    values[':ceiling'] = a.max - a.delta;
    values[':max'] = a.max;
  }
  if (a.expectedVersion !== undefined) {
    conditions.push('version = :expected');
    values[':expected'] = a.expectedVersion;
  }
  return {
    Key: productKey(sku, 'stock'),
    UpdateExpression:
      'SET quantity = if_not_exists(quantity, :zero) + :delta, version = if_not_exists(version, :zero) + :one, #type = :type, sku = :sku, updatedAt = :now',
    ConditionExpression: conditions.length ? conditions.map((c) => `(${c})`).join(' AND ') : undefined,
    ExpressionAttributeNames: { '#type': 'type' },
    ExpressionAttributeValues: values,
  };
}

// ---- The sold-out flag ------------------------------------------------------------------------

export interface SoldOutFlag {
  soldOut: boolean;
  /** The stock version the flag was computed from. */
  stockVersion: number;
}

export function soldOutFlagFromItem(item: CatalogItem | undefined): SoldOutFlag | null {
  if (!item) return null;
  return { soldOut: item.soldOut === true, stockVersion: Number(item.stockVersion) };
}

/** The UpdateItem parts that set a flag, unless a newer stock version already set it. */
export function soldOutFlagUpdate(sku: string, flag: SoldOutFlag) {
  return {
    Key: soldOutFlagKey(sku),
    UpdateExpression: 'SET soldOut = :soldOut, stockVersion = :v, #type = :flag, sku = :sku',
    ConditionExpression: 'attribute_not_exists(stockVersion) OR stockVersion < :v',
    ExpressionAttributeNames: { '#type': 'type' },
    ExpressionAttributeValues: { ':soldOut': flag.soldOut, ':v': flag.stockVersion, ':flag': 'FLAG', ':sku': sku },
  };
}

// ---- Stored images (the stream processor's item cache refresh) -------------------------------

/** Wraps an item as the opaque image the domain hands back to the item cache unchanged. */
export const storedImage = (item: CatalogItem): StoredImage => item as unknown as StoredImage;

/** The item inside an image, attribute for attribute. */
export const itemOfImage = (image: StoredImage): CatalogItem => image as unknown as CatalogItem;
