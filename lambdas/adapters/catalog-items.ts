import type { Price, ProductInfo, SourceKind, Stock } from '../domain/product/types.js';

/**
 * Catalog single-table layout (docs/data-model.md): pk = PRODUCT#<sku>, sk = INFO | PRICE |
 * STOCK, and `type` repeats the tag so stream filter criteria can select item kinds. This module
 * is the only place that knows item shapes: reader, writers and the seeder all go through it.
 */
export const SORT_KEY: Record<SourceKind, 'INFO' | 'PRICE' | 'STOCK'> = {
  info: 'INFO',
  price: 'PRICE',
  stock: 'STOCK',
};

export const productPk = (sku: string) => `PRODUCT#${sku}`;
export const productKey = (sku: string, kind: SourceKind) => ({ pk: productPk(sku), sk: SORT_KEY[kind] });

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

type Item = Record<string, unknown>;

export const infoItem = (info: ProductInfo, updatedAt: number): Item => ({
  ...productKey(info.sku, 'info'),
  type: 'INFO',
  ...info,
  updatedAt,
});
export const priceItem = (price: Price, updatedAt: number): Item => ({
  ...productKey(price.sku, 'price'),
  type: 'PRICE',
  ...price,
  updatedAt,
});
export const stockItem = (stock: Stock, updatedAt: number): Item => ({
  ...productKey(stock.sku, 'stock'),
  type: 'STOCK',
  ...stock,
  updatedAt,
});

export function infoFromItem(item: Item): ProductInfo {
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

export function priceFromItem(item: Item): Price {
  return {
    sku: String(item.sku),
    amount: Number(item.amount),
    original: Number(item.original),
    currency: String(item.currency),
    version: Number(item.version),
  };
}

export function stockFromItem(item: Item): Stock {
  return { sku: String(item.sku), quantity: Number(item.quantity), version: Number(item.version) };
}

function optionalNumber(value: unknown): number | undefined {
  return typeof value === 'number' ? value : undefined;
}
