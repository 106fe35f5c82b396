import { beforeAll, describe, expect, it } from 'vitest';
import { batchGetAll, batchPutAll } from '../../../lambdas/adapters/dynamo-batch.js';
import { provisionResources, type TestResources } from '../../helpers/tables.js';

describe('batchPutAll and batchGetAll against DynamoDB Local', () => {
  let resources: TestResources;
  beforeAll(async () => {
    resources = await provisionResources('TodaysPicksTable');
  });

  it('writes and reads back more items than one batch call holds (25 puts, 100 gets), in parallel', async () => {
    const table = resources.table('TodaysPicksTable');
    const items = Array.from({ length: 260 }, (_, i) => ({ pk: 'BATCH', sk: String(i).padStart(4, '0'), n: i }));

    await batchPutAll(resources.doc, table, items, 4);
    const read = await batchGetAll(
      resources.doc,
      table,
      [...items.map(({ pk, sk }) => ({ pk, sk })), { pk: 'BATCH', sk: 'missing' }],
      true,
    );

    expect(read.sort((a, b) => Number(a.n) - Number(b.n))).toEqual(items);
  });

  it('stops at an aborted signal', async () => {
    const controller = new AbortController();
    controller.abort();

    await expect(
      batchGetAll(resources.doc, resources.table('TodaysPicksTable'), [{ pk: 'BATCH', sk: '0000' }], false, controller.signal),
    ).rejects.toThrow();
  });
});
