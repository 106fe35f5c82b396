import { ProvisionedThroughputExceededException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { BatchGetCommand, GetCommand, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AwsProxies, startAwsProxies } from '../../../lib/local/aws-proxies.js';
import { callerContext } from '../../../lib/local/aws-proxy/caller-tag.js';
import { LOCAL_CREDENTIALS } from '../../../lib/local/provision.js';
import { localDocumentClient } from '../../helpers/dynamo.js';
import { provisionResources, type TestResources } from '../../helpers/tables.js';

// Low limits, so that a partition emptied by a test stays empty for the next call however busy the
// machine is (refilling one unit takes half a second).
const CEILING = { writeUnitsPerSecond: 2, readUnitsPerSecond: 2, errorType: 'ProvisionedThroughputExceededException' as const };

describe('startAwsProxies (DynamoDB Local and fauxqs behind the local AWS proxies)', () => {
  let resources: TestResources;
  let proxies: AwsProxies;
  let table: string;
  let n = 0;
  const hot = () => `PRODUCT#HOT-${++n}`;
  const once = () => localDocumentClient(proxies.endpoints.dynamodb, { maxAttempts: 1 });
  const fill = async (pk: string, units: number) => {
    for (let i = 0; i < units; i++) await once().send(new PutCommand({ TableName: table, Item: { pk, sk: `S${i}` } }));
  };
  /** Sends `call` until the ceiling refuses it (each attempt uses a unit), so the partition is empty now. */
  const exhaust = async (call: () => Promise<unknown>) => {
    for (let i = 0; i < 1000; i++) {
      const throttled = await call().then(
        () => false,
        (e: Error) => e.name === 'ProvisionedThroughputExceededException',
      );
      if (throttled) return;
    }
    throw new Error('never throttled');
  };
  const put = (pk: string, sk: string) => () => once().send(new PutCommand({ TableName: table, Item: { pk, sk } }));

  beforeAll(async () => {
    resources = await provisionResources('Catalog', 'StockDeductionsQueue');
    table = resources.table('Catalog');
    proxies = await startAwsProxies({ dynamodb: resources.endpoints.dynamodb, messaging: resources.endpoints.sqs }, { ceiling: CEILING });
  });
  afterAll(async () => {
    await proxies?.stop();
  });

  it('throttles writes past a partition’s ceiling as DynamoDB does: ProvisionedThroughputExceededException, key-range reason', async () => {
    const pk = hot();
    await exhaust(put(pk, 'filler'));
    const error = await once()
      .send(new PutCommand({ TableName: table, Item: { pk, sk: 'one-too-many' } }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProvisionedThroughputExceededException);
    expect((error as ProvisionedThroughputExceededException).ThrottlingReasons).toEqual([
      { reason: 'TableWriteKeyRangeThroughputExceeded', resource: expect.stringMatching(new RegExp(`:table/${table}$`)) },
    ]);
    // Nothing was written, and another partition key value is not affected.
    expect((await resources.doc.send(new GetCommand({ TableName: table, Key: { pk, sk: 'one-too-many' } }))).Item).toBeUndefined();
    await expect(once().send(new PutCommand({ TableName: table, Item: { pk: hot(), sk: 'x' } }))).resolves.toBeDefined();
  });

  it('is retried by the SDK as a throttling error', async () => {
    const pk = hot();
    await exhaust(put(pk, 'filler'));
    const outcome = await localDocumentClient(proxies.endpoints.dynamodb, { maxAttempts: 3 })
      .send(new PutCommand({ TableName: table, Item: { pk, sk: 'retried' } }))
      .then(
        (out) => out.$metadata,
        (e: ProvisionedThroughputExceededException) => e.$metadata,
      );
    expect(outcome.attempts).toBeGreaterThan(1);
  });

  it('keeps a partition’s reads apart from its writes', async () => {
    const pk = hot();
    await fill(pk, 1);
    await exhaust(put(pk, 'filler'));
    const read = () => once().send(new GetCommand({ TableName: table, Key: { pk, sk: 'S0' }, ConsistentRead: true }));
    await expect(read()).resolves.toMatchObject({ Item: { pk, sk: 'S0' } });
    await exhaust(read);
    const error = await read().catch((e: unknown) => e);
    expect((error as ProvisionedThroughputExceededException).ThrottlingReasons?.[0]?.reason).toBe('TableReadKeyRangeThroughputExceeded');
  });

  it('cancels a transaction with ThrottlingError on the throttled item and None on the others', async () => {
    const pk = hot();
    await exhaust(put(pk, 'filler'));
    // A transactional write counts double: the cold partition has its 2 units, the hot one none.
    const error = await once()
      .send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: table, Item: { pk: hot(), sk: 'cold' } } },
            { Put: { TableName: table, Item: { pk, sk: 'tx' } } },
          ],
        }),
      )
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransactionCanceledException);
    expect((error as TransactionCanceledException).CancellationReasons?.map((r) => r.Code)).toEqual(['None', 'ThrottlingError']);
    expect((error as Error).message).toBe(
      'Transaction cancelled, please refer cancellation reasons for specific reasons [None, ThrottlingError]',
    );
  });

  it('returns a batch’s throttled items as unprocessed and serves the rest', async () => {
    const pk = hot();
    const cold = hot();
    await resources.doc.send(new PutCommand({ TableName: table, Item: { pk: cold, sk: 'A' } }));
    await resources.doc.send(new PutCommand({ TableName: table, Item: { pk, sk: 'A' } }));
    await exhaust(() => once().send(new GetCommand({ TableName: table, Key: { pk, sk: 'A' }, ConsistentRead: true })));
    const out = await once().send(
      new BatchGetCommand({
        RequestItems: {
          [table]: {
            Keys: [
              { pk: cold, sk: 'A' },
              { pk, sk: 'A' },
            ],
            ConsistentRead: true,
          },
        },
      }),
    );
    expect(out.Responses?.[table]).toEqual([{ pk: cold, sk: 'A' }]);
    expect(out.UnprocessedKeys?.[table]?.Keys).toEqual([{ pk, sk: 'A' }]);
  });

  it('counts every call by caller and operation with the units AWS bills', async () => {
    const before = await proxies.counts();
    const pk = hot();
    await callerContext.run('fn-counted', async () => {
      await once().send(new PutCommand({ TableName: table, Item: { pk, sk: 'big', blob: 'x'.repeat(1500) } }));
      await once().send(new GetCommand({ TableName: table, Key: { pk, sk: 'big' }, ConsistentRead: true }));
      const sqs = new SQSClient({
        endpoint: proxies.endpoints.sqs,
        region: 'us-east-1',
        credentials: LOCAL_CREDENTIALS,
        useQueueUrlAsEndpoint: false,
      });
      await sqs.send(new SendMessageCommand({ QueueUrl: resources.queueUrl('StockDeductionsQueue'), MessageBody: 'y'.repeat(70_000) }));
    });
    const after = await proxies.counts();
    const mine = after['fn-counted'] ?? {};
    const calls = (op: string) => (mine[op]?.calls ?? 0) - (before['fn-counted']?.[op]?.calls ?? 0);
    expect(calls('dynamodb.PutItem')).toBe(1);
    expect(mine['dynamodb.PutItem']?.writeUnits).toBe(2); // ~1.5 KB item: two 1 KB units
    expect(mine['dynamodb.GetItem']?.readUnits).toBe(1);
    expect(mine['sqs.SendMessage']).toMatchObject({ calls: 1, billedRequests: 2 }); // 70 KB: two 64 KB chunks
  });

  it('lets everything through once the ceiling is off', async () => {
    proxies.setCeiling(null);
    try {
      const pk = hot();
      await expect(fill(pk, CEILING.writeUnitsPerSecond * 10)).resolves.toBeUndefined();
    } finally {
      proxies.setCeiling(CEILING);
    }
  });
});
