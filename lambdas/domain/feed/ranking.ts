import type { ProductInfo } from '../product/types.js';
import type { CatalogProduct, FeedItem } from './types.js';

/** Picks score: 3 × sales + clicks + exposure / 100 (sales count most; exposure alone is cheap). */
export function pickScore(info: ProductInfo): number {
  return 3 * (info.sales ?? 0) + (info.clicks ?? 0) + (info.exposure ?? 0) / 100;
}

/**
 * Today's picks from the whole catalog: in-stock products only (a pick should be buyable when it
 * is published), highest score first (ties by SKU, so a ranking is reproducible), top `limit`.
 */
export function rankPicks(products: readonly CatalogProduct[], limit: number): FeedItem[] {
  return products
    .filter((p) => (p.stock?.quantity ?? 0) > 0)
    .sort((a, b) => pickScore(b.info) - pickScore(a.info) || a.info.sku.localeCompare(b.info.sku))
    .slice(0, limit)
    .map(feedItem);
}

/** A product's snapshot as a feed item: name, price and availability as of now. */
export function feedItem(p: CatalogProduct): FeedItem {
  return {
    sku: p.info.sku,
    name: p.info.name,
    price: p.price ? { amount: p.price.amount, original: p.price.original, currency: p.price.currency } : null,
    stock: { available: (p.stock?.quantity ?? 0) > 0 },
  };
}
