import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoFeedStore } from '../../../lambdas/adapters/dynamo-feeds.js';
import { pageKey, versionKey } from '../../../lambdas/adapters/feed-items.js';
import { feedStoreContract } from '../../helpers/contracts/feeds.js';
import { provisionResources, type TestResources } from '../../helpers/tables.js';

let resources: TestResources;
let store: DynamoFeedStore;
beforeAll(async () => {
  resources = await provisionResources('TodaysPicksTable');
  store = new DynamoFeedStore(resources.doc, resources.table('TodaysPicksTable'));
});

feedStoreContract('DynamoFeedStore', async () => store);

describe('DynamoFeedStore against DynamoDB Local', () => {
  it('stores expiry as the table’s TTL attribute (epoch seconds) on the version and every page', async () => {
    // Now-ish, whole seconds: DynamoDB Local's TTL sweeper deletes items whose expiresAt has passed.
    const at = Math.ceil(Date.now() / 1000) * 1000;
    const v = {
      feedId: `ttl-${process.pid}`,
      version: at,
      publishAt: at,
      pageSize: 1,
      totalPages: 2,
      totalItems: 2,
      complete: false,
      expiresAt: at + 86_400_000,
    };
    await store.claim(v);
    await store.putPages(v.feedId, at, ['{}', '{}'], v.expiresAt);
    await store.extend(v, at + 2 * 86_400_000);

    const get = async (Key: object) =>
      (await resources.doc.send(new GetCommand({ TableName: resources.table('TodaysPicksTable'), Key }))).Item;
    const items = [await get(versionKey(v.feedId, at)), await get(pageKey(v.feedId, at, 1)), await get(pageKey(v.feedId, at, 2))];

    expect(items.map((i) => i?.expiresAt)).toEqual([
      (at + 2 * 86_400_000) / 1000,
      (at + 2 * 86_400_000) / 1000,
      (at + 2 * 86_400_000) / 1000,
    ]);
  });

  it('refuses to mark a version that was never claimed', async () => {
    await expect(store.markComplete(`none-${process.pid}`, 1)).rejects.toThrow();
  });
});
