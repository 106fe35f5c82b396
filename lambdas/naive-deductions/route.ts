/**
 * The benchmarks' baseline buy route: the same request, answered by writing the hot stock item
 * directly (one conditional UpdateItem per request, no queue). It exists only to be measured
 * beside Crest's queue-based ingest (bench/flash.ts); the stack carries it only with context
 * `benchBaseline=true` on `target=local` (lib/constructs/naive-deductions.ts).
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { stockAdjustment } from '../adapters/catalog-items.js';
import type { Clock } from '../domain/clock.js';
import { ConflictError, DependencyError, NotFoundError } from '../domain/errors.js';
import { json } from '../http/response.js';
import { type Routes, write } from '../http/router.js';
import { deductionBodySchema, jsonBody, parse, skuSchema } from '../http/validation.js';

/** The route, mirroring Crest's buy route (lib/constructs/naive-deductions.ts says where it is mounted). */
export const NAIVE_BUY_ROUTE = 'POST /bench/naive/products/{sku}/deductions';

/** DynamoDB's throttling answers: the write was refused, so nothing changed. */
const THROTTLED = new Set(['ProvisionedThroughputExceededException', 'ThrottlingException', 'RequestLimitExceeded']);

export function naiveDeductionRoutes(deps: { client: DynamoDBDocumentClient; catalogTable: string; clock: Clock }): Routes {
  return {
    [NAIVE_BUY_ROUTE]: write(
      async (event, signal) => {
        const sku = parse(skuSchema, event.pathParameters?.sku, 'path.sku');
        // The buy route's own body schema: the same request as Crest's.
        const { quantity } = parse(deductionBodySchema, jsonBody(event.body, event.isBase64Encoded), 'body');
        try {
          await deps.client.send(
            new UpdateCommand({
              TableName: deps.catalogTable,
              ...stockAdjustment(sku, { delta: -quantity, now: deps.clock.now() }),
              ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
            }),
            { abortSignal: signal },
          );
        } catch (error) {
          if (error instanceof ConditionalCheckFailedException) {
            if (!error.Item) throw new NotFoundError(`No product with SKU ${sku}`, 'PRODUCT_NOT_FOUND');
            throw new ConflictError('SOLD_OUT', `SKU ${sku} is sold out`);
          }
          if (THROTTLED.has((error as Error).name)) {
            throw new DependencyError('The stock item is throttled; nothing was deducted. Retry shortly', 'DEPENDENCY_UNAVAILABLE', {
              cause: (error as Error).name,
            });
          }
          throw error;
        }
        return json(200, { sku, quantity, status: 'DEDUCTED' }, { 'cache-control': 'no-store' });
      },
      (event) => ({
        message: 'The deduction may or may not have been applied; read the product to learn its stock',
        details: { read: `/v1/products/${event.pathParameters?.sku ?? ''}` },
      }),
    ),
  };
}
