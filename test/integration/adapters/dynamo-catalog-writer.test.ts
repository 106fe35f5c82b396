import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoCatalogReader } from '../../../lambdas/adapters/dynamo-catalog.js';
import { DynamoCatalogWriter } from '../../../lambdas/adapters/dynamo-catalog-writer.js';
import { DynamoFeedCatalog } from '../../../lambdas/adapters/dynamo-feed-catalog.js';
import { MAX_STOCK_QUANTITY } from '../../../lambdas/domain/catalog/ports.js';
import { systemClock } from '../../../lambdas/domain/clock.js';
import { catalogWriterContract } from '../../helpers/contracts/catalog.js';
import { provisionResources, type TestResources } from '../../helpers/tables.js';

let resources: TestResources;
let writer: DynamoCatalogWriter;
beforeAll(async () => {
  resources = await provisionResources('Catalog');
  writer = new DynamoCatalogWriter(resources.doc, resources.table('Catalog'), systemClock);
});

catalogWriterContract('DynamoCatalogWriter', async () => ({
  reader: new DynamoCatalogReader(resources.doc, resources.table('Catalog')),
  writer,
  feeds: new DynamoFeedCatalog(resources.doc, resources.table('Catalog')),
}));

describe('DynamoCatalogWriter against DynamoDB Local', () => {
  it('keeps stock within 0…maximum under concurrent restocks, refusing exactly the ones that would pass it', async () => {
    const sku = `CAP-${process.pid}`;
    await writer.putInfo(sku, { name: 'Cap', description: '' });
    await writer.setStock(sku, MAX_STOCK_QUANTITY - 1_000);

    const results = await Promise.allSettled(Array.from({ length: 30 }, () => writer.addStock(sku, 100)));

    const ok = results.filter((r) => r.status === 'fulfilled').length;
    const refused = results.filter((r) => r.status === 'rejected' && (r.reason as { code: string }).code === 'STOCK_WOULD_EXCEED_MAXIMUM');
    expect(ok).toBe(10);
    expect(refused).toHaveLength(20);
    expect(
      (await new DynamoCatalogReader(resources.doc, resources.table('Catalog')).getStock(sku, undefined, { consistent: true }))?.quantity,
    ).toBe(MAX_STOCK_QUANTITY);
  });

  it('removes an optional field that a later write leaves out', async () => {
    const sku = `OPT-${process.pid}`;
    await writer.putInfo(sku, { name: 'A', description: '', sales: 5 });

    const after = await writer.putInfo(sku, { name: 'A', description: '' });

    expect(after.sales).toBeUndefined();
  });
});
