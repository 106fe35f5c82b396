import { beforeAll, describe, expect, it } from 'vitest';
import { itemOfImage, stockItem } from '../../../lambdas/adapters/catalog-items.js';
import { decodeCatalogRecord } from '../../../lambdas/adapters/catalog-stream-records.js';
import { DynamoCatalogWriter } from '../../../lambdas/adapters/dynamo-catalog-writer.js';
import { DynamoSoldOutFlags } from '../../../lambdas/adapters/dynamo-invalidation.js';
import { systemClock } from '../../../lambdas/domain/clock.js';
import { streamRecords } from '../../helpers/streams.js';
import { provisionResources, type TestResources } from '../../helpers/tables.js';

describe('decodeCatalogRecord on the catalog stream of DynamoDB Local', () => {
  let resources: TestResources;
  beforeAll(async () => {
    resources = await provisionResources('Catalog');
  });

  it('turns the records of real writes into typed changes carrying each stored image exactly', async () => {
    const table = resources.table('Catalog');
    const writer = new DynamoCatalogWriter(resources.doc, table, systemClock);
    await writer.putInfo('STREAMED', { name: 'Streamed', description: '' });
    await writer.setStock('STREAMED', 2);
    await writer.addStock('STREAMED', -2);
    await new DynamoSoldOutFlags(resources.doc, table).set('STREAMED', true, 2);

    const decoded = (await streamRecords(resources.endpoints.dynamodb, table)).map(decodeCatalogRecord);

    const changes = decoded.filter((c) => c !== 'ignore' && c !== 'poison');
    expect(decoded.filter((c) => c === 'ignore')).toHaveLength(1); // the sold-out flag
    expect(
      changes.map((c) => [c.kind, c.version, 'quantity' in c ? c.quantity : null, 'previousQuantity' in c ? c.previousQuantity : null]),
    ).toEqual([
      ['info', 1, null, null],
      ['stock', 1, 2, null],
      ['stock', 2, 0, 2],
    ]);
    const last = changes.at(-1);
    expect(last && itemOfImage(last.image)).toEqual({
      ...stockItem({ sku: 'STREAMED', quantity: 0, version: 2 }, 0),
      updatedAt: expect.any(Number),
    });
  });
});
