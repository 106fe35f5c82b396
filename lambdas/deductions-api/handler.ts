/**
 * Deductions API: POST /v1/deductions, GET /v1/deductions/{id}, POST /v1/deductions/{id}/cancel.
 * Wiring only; see lambdas/domain/deductions/.
 */
import { CachedAvailability } from '../adapters/cached-availability.js';
import { DynamoDeductions } from '../adapters/dynamo-deductions.js';
import { SqsDeductionQueue } from '../adapters/sqs-deduction-queue.js';
import { systemClock } from '../domain/clock.js';
import { apiHandler } from '../http/api-handler.js';
import { deductionRoutes } from '../http/routes/deductions.js';
import { dynamoDocumentClient, sqsClient } from '../shared/clients.js';
import { intEnv, requireEnv } from '../shared/env.js';
import { createLogger } from '../shared/logger.js';

const logger = createLogger('deductions-api');
const catalogTable = requireEnv('CATALOG_TABLE');
const deductions = new DynamoDeductions(
  dynamoDocumentClient(),
  { deductions: requireEnv('DEDUCTIONS_TABLE'), catalog: catalogTable },
  systemClock,
);

export const handler = apiHandler(
  deductionRoutes({
    store: deductions,
    ledger: deductions,
    queue: new SqsDeductionQueue(sqsClient(), requireEnv('DEDUCTIONS_QUEUE_URL')),
    availability: new CachedAvailability(dynamoDocumentClient(), catalogTable, systemClock, intEnv('SOLD_OUT_CACHE_MS', 1000)),
    clock: systemClock,
    retryAfterSeconds: 1,
  }),
  logger,
);
