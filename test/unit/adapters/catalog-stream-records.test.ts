import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { infoItem, itemOfImage, priceItem, stockItem } from '../../../lambdas/adapters/catalog-items.js';
import { decodeCatalogRecord } from '../../../lambdas/adapters/catalog-stream-records.js';

const record = (eventName: 'INSERT' | 'MODIFY' | 'REMOVE', item?: object, old?: object, seq = '100'): DynamoDBRecord => ({
  eventName,
  dynamodb: {
    SequenceNumber: seq,
    ...(item ? { NewImage: marshall(item) as never } : {}),
    ...(old ? { OldImage: marshall(old) as never } : {}),
  },
});

describe('decodeCatalogRecord', () => {
  it('decodes a stock change with its quantity before and after, carrying the image untouched', () => {
    const now = stockItem({ sku: 'A', quantity: 0, version: 4 }, 2);
    const before = stockItem({ sku: 'A', quantity: 3, version: 3 }, 1);

    const change = decodeCatalogRecord(record('MODIFY', now, before));

    expect(change).toMatchObject({
      sequenceNumber: '100',
      sku: 'A',
      kind: 'stock',
      version: 4,
      quantity: 0,
      previousQuantity: 3,
      changed: true,
    });
    expect(change !== 'ignore' && change !== 'poison' && itemOfImage(change.image)).toEqual(now);
  });

  it('decodes info and price changes, and a new item as having no previous quantity', () => {
    const info = decodeCatalogRecord(record('INSERT', infoItem({ sku: 'B', name: 'n', description: '', version: 1 }, 1)));
    const price = decodeCatalogRecord(record('INSERT', priceItem({ sku: 'B', amount: 1, original: 1, currency: 'EUR', version: 2 }, 1)));
    const fresh = decodeCatalogRecord(record('INSERT', stockItem({ sku: 'B', quantity: 5, version: 1 }, 1)));

    expect(info).toMatchObject({ kind: 'info', version: 1, changed: true });
    expect(price).toMatchObject({ kind: 'price', version: 2 });
    expect(fresh).toMatchObject({ kind: 'stock', quantity: 5 });
    expect(fresh).not.toHaveProperty('previousQuantity');
  });

  it('marks a record whose item did not change, whatever the attribute order', () => {
    const item = stockItem({ sku: 'A', quantity: 2, version: 4 }, 2);
    const reordered = Object.fromEntries(Object.entries(item).reverse());

    expect(decodeCatalogRecord(record('MODIFY', item, reordered))).toMatchObject({ changed: false });
  });

  it('ignores removals and items that are not info, price or stock (the sold-out flag)', () => {
    expect(decodeCatalogRecord(record('REMOVE', undefined, stockItem({ sku: 'A', quantity: 1, version: 1 }, 1)))).toBe('ignore');
    expect(decodeCatalogRecord(record('MODIFY', { pk: 'PRODUCT#A', sk: 'SOLDOUT', type: 'FLAG', soldOut: true }))).toBe('ignore');
  });

  it('calls poison what no retry can fix', () => {
    expect(decodeCatalogRecord({ eventName: 'MODIFY', dynamodb: { SequenceNumber: '1' } })).toBe('poison');
    expect(decodeCatalogRecord(record('INSERT', { pk: 'PRODUCT#P', sk: 'PRICE', type: 'PRICE', amount: 'not a price' }))).toBe('poison');
    expect(decodeCatalogRecord(record('INSERT', { pk: 'PRODUCT#S', sk: 'STOCK', sku: 'S', version: 1, quantity: 'many' }))).toBe('poison');
  });
});
