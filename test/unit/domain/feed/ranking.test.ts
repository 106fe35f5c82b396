import { describe, expect, it } from 'vitest';
import { pickScore, rankPicks } from '../../../../lambdas/domain/feed/ranking.js';
import type { CatalogProduct } from '../../../../lambdas/domain/feed/types.js';

const product = (sku: string, signals: { sales?: number; clicks?: number; exposure?: number }, quantity = 1): CatalogProduct => ({
  info: { sku, name: sku, description: '', version: 1, ...signals },
  price: { sku, amount: 100, original: 120, currency: 'EUR', version: 1 },
  stock: { sku, quantity, version: 1 },
});

describe('pickScore', () => {
  it('weighs sales three times a click and exposure a hundredth', () => {
    expect(pickScore({ sku: 'A', name: 'A', description: '', version: 1, sales: 2, clicks: 5, exposure: 300 })).toBe(14);
    expect(pickScore({ sku: 'A', name: 'A', description: '', version: 1 })).toBe(0);
  });
});

describe('rankPicks', () => {
  it('ranks in-stock products by score, ties by SKU, and keeps the top `limit`', () => {
    const ranked = rankPicks(
      [
        product('C', { clicks: 3 }),
        product('A', { sales: 1 }),
        product('B', { clicks: 3 }),
        product('Z', { sales: 99 }, 0),
        product('D', {}),
      ],
      3,
    );

    expect(ranked.map((i) => i.sku)).toEqual(['A', 'B', 'C']);
    expect(ranked[0]).toEqual({ sku: 'A', name: 'A', price: { amount: 100, original: 120, currency: 'EUR' }, stock: { available: true } });
  });
});
