import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { productKey, soldOutFlagFromItem, soldOutFlagKey, stockItem, storedImage } from '../../../lambdas/adapters/catalog-items.js';
import { DaxWriteThroughRefresher, DynamoSoldOutFlags } from '../../../lambdas/adapters/dynamo-invalidation.js';
import { itemCacheRefresherContract, soldOutFlagsContract } from '../../helpers/contracts/invalidation.js';
import { streamRecords } from '../../helpers/streams.js';
import { provisionResources, type TestResources } from '../../helpers/tables.js';

// DAX is not emulated here: the refresher writes through a plain DynamoDB client, which is what it
// does through DAX (the DAX client has the same document API and passes the write to the table).
let resources: TestResources;
let table: string;
beforeAll(async () => {
  resources = await provisionResources('Catalog');
  table = resources.table('Catalog');
});
const putStock = async (sku: string, quantity: number, version: number) => {
  await resources.doc.send(new PutCommand({ TableName: table, Item: stockItem({ sku, quantity, version }, 1_700_000_000_000) }));
};

itemCacheRefresherContract('DaxWriteThroughRefresher', async () => ({
  itemCache: new DaxWriteThroughRefresher(resources.doc, table),
  store: putStock,
}));

soldOutFlagsContract('DynamoSoldOutFlags', async () => ({
  flags: new DynamoSoldOutFlags(resources.doc, table),
  read: async (sku) =>
    soldOutFlagFromItem(
      (await resources.doc.send(new GetCommand({ TableName: table, Key: soldOutFlagKey(sku), ConsistentRead: true }))).Item,
    ),
}));

describe('DaxWriteThroughRefresher against DynamoDB Local', () => {
  it('rewrites the stored image without a new stream record, and never with an older version', async () => {
    const sku = `REFRESH-${process.pid}`;
    await putStock(sku, 4, 3);
    const current =
      (await resources.doc.send(new GetCommand({ TableName: table, Key: productKey(sku, 'stock'), ConsistentRead: true }))).Item ?? {};
    const recordsBefore = (await streamRecords(resources.endpoints.dynamodb, table)).length;
    const refresher = new DaxWriteThroughRefresher(resources.doc, table);

    const refreshed = await refresher.refresh(storedImage(current), 3);
    const stale = await refresher.refresh(storedImage({ ...current, version: 2, quantity: 999 }), 2);

    expect([refreshed, stale]).toEqual(['refreshed', 'superseded']);
    expect((await streamRecords(resources.endpoints.dynamodb, table)).length).toBe(recordsBefore);
    expect(
      (await resources.doc.send(new GetCommand({ TableName: table, Key: productKey(sku, 'stock'), ConsistentRead: true }))).Item,
    ).toEqual(current);
  });
});
