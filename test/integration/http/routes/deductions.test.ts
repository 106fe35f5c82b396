import { Logger } from '@aws-lambda-powertools/logger';
import { DeleteMessageBatchCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CachedAvailability } from '../../../../lambdas/adapters/cached-availability.js';
import { productKey, stockItem } from '../../../../lambdas/adapters/catalog-items.js';
import { requestKey } from '../../../../lambdas/adapters/deduction-items.js';
import { decodeDeductionMessage } from '../../../../lambdas/adapters/deduction-messages.js';
import { DynamoDeductions } from '../../../../lambdas/adapters/dynamo-deductions.js';
import { SqsDeductionQueue } from '../../../../lambdas/adapters/sqs-deduction-queue.js';
import { systemClock } from '../../../../lambdas/domain/clock.js';
import { processDeductionBatch } from '../../../../lambdas/domain/deductions/process-batch.js';
import { apiHandler } from '../../../../lambdas/http/api-handler.js';
import { deductionRoutes } from '../../../../lambdas/http/routes/deductions.js';
import { testIds } from '../../../helpers/deductions.js';
import { localDocumentClient } from '../../../helpers/dynamo.js';
import { apiEvent } from '../../../helpers/events.js';
import { buyer } from '../../../helpers/identity.js';
import { provisionResources, type TestResources } from '../../../helpers/tables.js';
import { startTcpProxy, type TcpProxy } from '../../../helpers/tcp-proxy.js';

/**
 * POST /v1/products/{sku}/deductions when a dependency freezes mid-request: the function answers at its deadline
 * that the outcome is unknown, aborts what it was doing, and a retry with the same
 * Idempotency-Key returns the same id and applies the deduction at most once. The emulators are
 * frozen through TCP proxies, so other test files sharing them are not.
 */
describe('POST /v1/products/{sku}/deductions with a frozen dependency', () => {
  // Generous, so healthy requests finish well inside it on a busy machine.
  const FUNCTION_TIMEOUT_MS = 5_000;
  let resources: TestResources;
  let dynamoProxy: TcpProxy;
  let sqsProxy: TcpProxy;
  let handler: ReturnType<typeof apiHandler>;
  let direct: DynamoDeductions;
  let queueUrl: string;
  let sqs: SQSClient;
  const sku = `FROZEN-${process.pid}`;

  beforeAll(async () => {
    resources = await provisionResources('Catalog', 'StockDeductionsTable', 'StockDeductionsQueue');
    [dynamoProxy, sqsProxy] = await Promise.all([startTcpProxy(resources.endpoints.dynamodb), startTcpProxy(resources.endpoints.sqs)]);
    const tables = { catalog: resources.table('Catalog'), deductions: resources.table('StockDeductionsTable') };
    queueUrl = resources.queueUrl('StockDeductionsQueue');
    const sqsClient = (endpoint: string) =>
      new SQSClient({
        endpoint,
        region: 'us-east-1',
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
        useQueueUrlAsEndpoint: false,
        maxAttempts: 1,
      });
    sqs = sqsClient(resources.endpoints.sqs);
    // The function's clients reach the emulators through the proxies, with no request timeout of
    // their own: only the deadline stops a frozen call, as with a hung connection in AWS.
    const viaProxy = localDocumentClient(dynamoProxy.endpoint, { maxAttempts: 1 });
    const deductions = new DynamoDeductions(viaProxy, tables, systemClock);
    handler = apiHandler(
      deductionRoutes({
        ids: testIds,
        store: deductions,
        ledger: deductions,
        queue: new SqsDeductionQueue(sqsClient(sqsProxy.endpoint), queueUrl),
        availability: new CachedAvailability(viaProxy, tables.catalog, systemClock, 60_000),
        clock: systemClock,
        retryAfterSeconds: 1,
      }),
      new Logger({ serviceName: 'test', logLevel: 'SILENT' }),
    );
    direct = new DynamoDeductions(resources.doc, tables, systemClock);
    await resources.doc.send(new PutCommand({ TableName: tables.catalog, Item: stockItem({ sku, quantity: 10, version: 1 }, Date.now()) }));
  });
  afterAll(async () => {
    await Promise.all([dynamoProxy?.close(), sqsProxy?.close()]);
  });

  const post = async (key: string) => {
    const started = Date.now();
    const context = { awsRequestId: key, getRemainingTimeInMillis: () => FUNCTION_TIMEOUT_MS - (Date.now() - started) } as Context;
    const res = await handler(
      apiEvent({
        method: 'POST',
        resource: '/v1/products/{sku}/deductions',
        path: `/v1/products/${sku}/deductions`,
        pathParameters: { sku },
        headers: { 'Idempotency-Key': key },
        body: { quantity: 1 },
        claims: buyer(`sub-${key}`),
      }),
      context,
    );
    return { status: res.statusCode, headers: res.headers ?? {}, body: JSON.parse(res.body), ms: Date.now() - started };
  };

  /** Settles every queued message as the consumer would; returns how many there were. */
  const consume = async () => {
    let consumed = 0;
    for (;;) {
      const out = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
      const messages = out.Messages ?? [];
      if (messages.length === 0) return consumed;
      const parsed = messages.map((m) => ({ messageId: m.MessageId ?? '', message: decodeDeductionMessage(m.Body ?? '') }));
      const outcome = await processDeductionBatch(
        parsed.flatMap((p) => (p.message ? [{ messageId: p.messageId, message: p.message }] : [])),
        { ledger: direct, store: direct, clock: systemClock, limitPerUser: 1, holdMs: 600_000 },
      );
      expect(outcome.failedMessageIds).toEqual([]);
      await sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })),
        }),
      );
      consumed += messages.length;
    }
  };
  const stock = async () =>
    Number(
      (
        await resources.doc.send(
          new GetCommand({ TableName: resources.table('Catalog'), Key: productKey(sku, 'stock'), ConsistentRead: true }),
        )
      ).Item?.quantity,
    );
  const record = async (id: string) =>
    (
      await resources.doc.send(
        new GetCommand({ TableName: resources.table('StockDeductionsTable'), Key: requestKey(id), ConsistentRead: true }),
      )
    ).Item;
  /** Polls `check` until it holds (the held bytes reach the emulator after the thaw). */
  const eventually = async (check: () => Promise<boolean>) => {
    const until = Date.now() + 20_000;
    while (!(await check())) {
      if (Date.now() > until) throw new Error('condition never held');
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  it('warms up: a request with both dependencies healthy is accepted and applied', async () => {
    const res = await post(`warm-${process.pid}`);
    await consume();

    expect(res.status).toBe(202);
    expect(await stock()).toBe(9);
  });

  it('DynamoDB frozen while recording: 503 OUTCOME_UNKNOWN at the deadline; the retry returns the same id and applies it once', async () => {
    const key = `ddb-frozen-${process.pid}`;
    const id = testIds(`sub-${key}`, key);
    const before = await stock();

    dynamoProxy.freeze();
    const answered = await post(key);
    const forwardedWhileFrozen = dynamoProxy.forwardedBytes();
    dynamoProxy.thaw();
    // The held PutItem reaches DynamoDB after the answer (as a paused server would still read it):
    // the request is recorded, but the function stopped there, so nothing was queued.
    await eventually(async () => (await record(id)) !== undefined);

    expect(answered.status).toBe(503);
    expect(answered.ms).toBeLessThan(FUNCTION_TIMEOUT_MS);
    expect(answered.headers['retry-after']).toBe('1');
    expect(answered.body.error).toMatchObject({
      code: 'OUTCOME_UNKNOWN',
      message: expect.stringContaining('same Idempotency-Key'),
      details: { retry: 'same-idempotency-key', id, statusUrl: `/v1/deductions/${id}` },
    });
    expect(dynamoProxy.forwardedBytes()).toBeGreaterThan(forwardedWhileFrozen);
    expect(await consume()).toBe(0);
    expect(await stock()).toBe(before);

    const retry = await post(key);
    await consume();
    const again = await post(key);
    expect(await consume()).toBe(0);

    expect(retry).toMatchObject({ status: 202, body: { id } });
    expect(again).toMatchObject({ status: 202, body: { id, status: 'HELD' } });
    expect(await stock()).toBe(before - 1);
    expect((await record(id))?.status).toBe('HELD');
  });

  it('SQS frozen while queueing: 503 OUTCOME_UNKNOWN at the deadline; the late message and the retry apply it once', async () => {
    const key = `sqs-frozen-${process.pid}`;
    const id = testIds(`sub-${key}`, key);
    const before = await stock();

    sqsProxy.freeze();
    const answered = await post(key);
    sqsProxy.thaw();
    // The held SendMessage reaches the queue after the answer: the consumer applies the request.
    let consumed = 0;
    await eventually(async () => {
      consumed += await consume();
      return consumed > 0;
    });
    const retry = await post(key);
    const leftOver = await consume();

    expect(answered.status).toBe(503);
    expect(answered.body.error).toMatchObject({ code: 'OUTCOME_UNKNOWN', details: { id } });
    expect(consumed).toBe(1);
    expect(retry).toMatchObject({ status: 202, body: { id, status: 'HELD' } });
    expect(leftOver).toBe(0);
    expect(await stock()).toBe(before - 1);
  });
});
