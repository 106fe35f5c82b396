import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoCatalogReader } from '../../../lambdas/adapters/dynamo-catalog.js';
import { DynamoCatalogWriter } from '../../../lambdas/adapters/dynamo-catalog-writer.js';
import { DynamoFeedCatalog } from '../../../lambdas/adapters/dynamo-feed-catalog.js';
import { DynamoSoldOutFlags } from '../../../lambdas/adapters/dynamo-invalidation.js';
import { systemClock } from '../../../lambdas/domain/clock.js';
import { demoCatalog, seedCatalog } from '../../../lib/local/demo-data.js';
import { feedCatalogContract } from '../../helpers/contracts/catalog.js';
import { provisionResources, type TestResources } from '../../helpers/tables.js';

let resources: TestResources;
beforeAll(async () => {
  resources = await provisionResources('Catalog');
});

feedCatalogContract('DynamoFeedCatalog', async () => ({
  reader: new DynamoCatalogReader(resources.doc, resources.table('Catalog')),
  writer: new DynamoCatalogWriter(resources.doc, resources.table('Catalog'), systemClock),
  feeds: new DynamoFeedCatalog(resources.doc, resources.table('Catalog')),
}));

describe('DynamoFeedCatalog against DynamoDB Local', () => {
  it('scans every page of a catalog larger than one scan page, and leaves sold-out flags out', async () => {
    const table = resources.table('Catalog');
    const products = demoCatalog(1_200, 3);
    await seedCatalog(resources.doc, table, products);
    await new DynamoSoldOutFlags(resources.doc, table).set('DEMO-0010', true, 1);

    const listed = await new DynamoFeedCatalog(resources.doc, table).products();

    const demo = listed.filter((p) => p.info.sku.startsWith('DEMO-'));
    expect(demo).toHaveLength(1_200);
    expect(demo.find((p) => p.info.sku === 'DEMO-0010')).toEqual({
      info: products[9]?.info,
      price: products[9]?.price,
      stock: products[9]?.stock,
    });
    // 3,600 seeded items: minutes, not seconds, while the e2e runtimes share DynamoDB Local's two cores.
  }, 120_000);

  it('reads more SKUs than one BatchGetItem holds', async () => {
    const table = resources.table('Catalog');
    const skus = demoCatalog(150, 4).map((p) => p.info.sku);

    expect(await new DynamoFeedCatalog(resources.doc, table).productsBySku(skus)).toHaveLength(150);
  });
});
