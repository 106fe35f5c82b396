import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { CachedAvailability } from '../../../lambdas/adapters/cached-availability.js';
import { stockItem } from '../../../lambdas/adapters/catalog-items.js';
import { DynamoSoldOutFlags } from '../../../lambdas/adapters/dynamo-invalidation.js';
import { systemClock } from '../../../lambdas/domain/clock.js';
import { ManualClock } from '../../helpers/clock.js';
import { availabilityViewContract } from '../../helpers/contracts/deductions.js';
import { provisionResources, type TestResources } from '../../helpers/tables.js';

let resources: TestResources;
beforeAll(async () => {
  resources = await provisionResources('Catalog');
});
const setStock = async (sku: string, quantity: number) => {
  await resources.doc.send(
    new PutCommand({ TableName: resources.table('Catalog'), Item: stockItem({ sku, quantity, version: 1 }, Date.now()) }),
  );
};

availabilityViewContract('CachedAvailability', async () => ({
  view: () => new CachedAvailability(resources.doc, resources.table('Catalog'), systemClock),
  setStock,
  setFlag: (sku, soldOut, stockVersion) =>
    new DynamoSoldOutFlags(resources.doc, resources.table('Catalog')).set(sku, soldOut, stockVersion),
}));

describe('CachedAvailability against DynamoDB Local', () => {
  it('reads a SKU at most once per TTL however often it is asked, then sees the change', async () => {
    const sku = `HOT-${process.pid}`;
    await setStock(sku, 1);
    const clock = new ManualClock();
    let reads = 0;
    resources.doc.middlewareStack.add(
      (next) => async (args) => {
        reads += 1;
        return next(args);
      },
      { step: 'initialize', name: `count-${sku}` },
    );
    const view = new CachedAvailability(resources.doc, resources.table('Catalog'), clock, 1_000);

    const answers = await Promise.all(Array.from({ length: 200 }, () => view.availability(sku)));
    const readsForBurst = reads;
    await new DynamoSoldOutFlags(resources.doc, resources.table('Catalog')).set(sku, true, 2);
    const cached = await view.availability(sku);
    clock.advance(1_000);
    const fresh = await view.availability(sku);
    resources.doc.middlewareStack.remove(`count-${sku}`);

    expect(new Set(answers)).toEqual(new Set(['available']));
    expect(readsForBurst).toBe(2); // the flag (absent), then the stock item
    expect([cached, fresh]).toEqual(['available', 'sold-out']);
  });
});
