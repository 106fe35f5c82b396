import { Logger } from '@aws-lambda-powertools/logger';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stockItem } from '../../../lambdas/adapters/catalog-items.js';
import { DynamoCatalogReader } from '../../../lambdas/adapters/dynamo-catalog.js';
import { systemClock } from '../../../lambdas/domain/clock.js';
import { apiHandler } from '../../../lambdas/http/api-handler.js';
import { NAIVE_BUY_ROUTE, naiveDeductionRoutes } from '../../../lambdas/naive-deductions/route.js';
import { type AwsProxies, startAwsProxies } from '../../../lib/local/aws-proxies.js';
import { localDocumentClient } from '../../helpers/dynamo.js';
import { apiEvent, lambdaContext } from '../../helpers/events.js';
import { provisionResources, type TestResources } from '../../helpers/tables.js';

/** The benchmarks' baseline against DynamoDB Local, and behind the partition ceiling. */
describe('naiveDeductionRoutes (bench baseline)', () => {
  let resources: TestResources;
  let proxies: AwsProxies;
  let table: string;
  let n = 0;
  const resource = NAIVE_BUY_ROUTE.split(' ')[1] as string;
  const handlerOn = (endpoint?: string) =>
    apiHandler(
      naiveDeductionRoutes({ client: localDocumentClient(endpoint, { maxAttempts: 1 }), catalogTable: table, clock: systemClock }),
      new Logger({ logLevel: 'SILENT' }),
    );
  const buy = async (handler: ReturnType<typeof handlerOn>, sku: string, quantity: unknown = 1) =>
    (await handler(
      apiEvent({
        method: 'POST',
        resource,
        path: resource.replace('{sku}', sku),
        pathParameters: { sku },
        headers: { 'content-type': 'application/json', 'idempotency-key': `key-${++n}-abcdefgh` },
        body: { quantity },
      }),
      lambdaContext(),
    )) as APIGatewayProxyResult;
  const stocked = async (units: number) => {
    const sku = `NAIVE-${process.pid}-${++n}`;
    await resources.doc.send(new PutCommand({ TableName: table, Item: stockItem({ sku, quantity: units, version: 1 }, Date.now()) }));
    return sku;
  };

  beforeAll(async () => {
    resources = await provisionResources('Catalog');
    table = resources.table('Catalog');
    proxies = await startAwsProxies(
      { dynamodb: resources.endpoints.dynamodb, messaging: resources.endpoints.sqs },
      { ceiling: { writeUnitsPerSecond: 2, readUnitsPerSecond: 6, errorType: 'ProvisionedThroughputExceededException' } },
    );
  });
  afterAll(async () => {
    await proxies?.stop();
  });

  it('deducts the stock item directly until it is gone, then answers SOLD_OUT, never below zero', async () => {
    const handler = handlerOn();
    const sku = await stocked(2);
    const answers = [await buy(handler, sku), await buy(handler, sku), await buy(handler, sku)];
    expect(answers.map((a) => a.statusCode)).toEqual([200, 200, 409]);
    expect(JSON.parse(answers[2]?.body ?? '{}').error.code).toBe('SOLD_OUT');
    expect((await new DynamoCatalogReader(resources.doc, table).getStock(sku))?.quantity).toBe(0);
  });

  it('answers 404 for an unknown SKU and 400 for a body with anything but a quantity', async () => {
    const handler = handlerOn();
    expect((await buy(handler, `NOPE-${process.pid}`)).statusCode).toBe(404);
    expect((await buy(handler, await stocked(5), 0)).statusCode).toBe(400);
  });

  it('answers 503 with nothing deducted when its partition is throttled', async () => {
    const handler = handlerOn(proxies.endpoints.dynamodb);
    const sku = await stocked(100);
    const statuses: number[] = [];
    for (let i = 0; i < 50 && !statuses.includes(503); i++) statuses.push((await buy(handler, sku)).statusCode);
    expect(statuses.at(-1)).toBe(503);
    const deducted = statuses.filter((s) => s === 200).length;
    expect((await new DynamoCatalogReader(resources.doc, table).getStock(sku))?.quantity).toBe(100 - deducted);
  });
});
