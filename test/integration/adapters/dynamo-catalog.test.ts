import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoCatalogReader } from '../../../lambdas/adapters/dynamo-catalog.js';
import { DynamoCatalogWriter } from '../../../lambdas/adapters/dynamo-catalog-writer.js';
import { DynamoFeedCatalog } from '../../../lambdas/adapters/dynamo-feed-catalog.js';
import { systemClock } from '../../../lambdas/domain/clock.js';
import { demoCatalog, seedCatalog } from '../../../lib/local/demo-data.js';
import { catalogReaderContract } from '../../helpers/contracts/catalog.js';
import { provisionResources, type TestResources } from '../../helpers/tables.js';

let resources: TestResources;
let reader: DynamoCatalogReader;
beforeAll(async () => {
  resources = await provisionResources('Catalog');
  reader = new DynamoCatalogReader(resources.doc, resources.table('Catalog'));
});

catalogReaderContract('DynamoCatalogReader', async () => ({
  reader,
  writer: new DynamoCatalogWriter(resources.doc, resources.table('Catalog'), systemClock),
  feeds: new DynamoFeedCatalog(resources.doc, resources.table('Catalog')),
}));

describe('DynamoCatalogReader against DynamoDB Local (table as the template declares it)', () => {
  const products = demoCatalog(30, 7);
  beforeAll(async () => {
    await seedCatalog(resources.doc, resources.table('Catalog'), products);
  });

  it('reads back the seeded demo catalog exactly as written, money as integer minor units', async () => {
    const read = await Promise.all(
      products.map(async (p) => [await reader.getInfo(p.info.sku), await reader.getPrice(p.info.sku), await reader.getStock(p.info.sku)]),
    );

    expect(read).toEqual(products.map((p) => [p.info, p.price, p.stock]));
    expect(read.every(([, price]) => Number.isInteger((price as { amount: number }).amount))).toBe(true);
  });

  it('honours an abort signal', async () => {
    const controller = new AbortController();
    controller.abort();

    await expect(reader.getInfo(products[0]?.info.sku ?? 'x', controller.signal)).rejects.toThrow();
  });
});
