import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoCatalogReader } from '../../lambdas/adapters/dynamo-catalog.js';
import { demoCatalog, seedCatalog } from '../../lib/local/demo-data.js';
import type { LocalRuntime } from '../../lib/local/runtime.js';
import { localDocumentClient } from '../helpers/dynamo.js';
import { bootRuntime } from '../helpers/runtime.js';

describe('DynamoCatalogReader against DynamoDB Local (table provisioned from the template)', () => {
  let runtime: LocalRuntime;
  let reader: DynamoCatalogReader;
  const products = demoCatalog(30, 7);

  beforeAll(async () => {
    runtime = await bootRuntime({ seed: false });
    const table = runtime.resourceName('AWS::DynamoDB::Table', 'Catalog');
    await seedCatalog(localDocumentClient(), table, products);
    reader = new DynamoCatalogReader(localDocumentClient(), table);
  });
  afterAll(() => runtime?.stop());

  it('reads back info, price and stock exactly as written', async () => {
    const [first] = products;
    if (!first) throw new Error('no demo products');

    const [info, price, stock] = await Promise.all([
      reader.getInfo(first.info.sku),
      reader.getPrice(first.info.sku),
      reader.getStock(first.info.sku),
    ]);

    expect(info).toEqual(first.info);
    expect(price).toEqual(first.price);
    expect(stock).toEqual(first.stock);
  });

  it('returns null for a SKU with no items', async () => {
    expect(await reader.getInfo('NOT-THERE')).toBeNull();
    expect(await reader.getStock('NOT-THERE')).toBeNull();
  });

  it('keeps money as integer minor units', async () => {
    const prices = await Promise.all(products.map((p) => reader.getPrice(p.info.sku)));

    expect(prices.every((p) => p !== null && Number.isInteger(p.amount) && Number.isInteger(p.original))).toBe(true);
  });

  it('serves strongly consistent reads when asked', async () => {
    const [first] = products;
    if (!first) throw new Error('no demo products');

    expect(await reader.getPrice(first.info.sku, undefined, { consistent: true })).toEqual(first.price);
  });

  it('honours an abort signal', async () => {
    const controller = new AbortController();
    controller.abort();

    await expect(reader.getInfo(products[0]?.info.sku ?? 'x', controller.signal)).rejects.toThrow();
  });
});
