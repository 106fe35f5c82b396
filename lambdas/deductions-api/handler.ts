/**
 * Deductions API: POST /v1/products/{sku}/deductions, GET /v1/deductions/{id},
 * POST /v1/deductions/{id}/confirm and /cancel, each for the caller the Cognito authorizer verified.
 * Wiring only; see lambdas/domain/deductions/.
 */
import { CachedAvailability } from '../adapters/cached-availability.js';
import { DynamoDeductions } from '../adapters/dynamo-deductions.js';
import { readSecretString } from '../adapters/secrets.js';
import { SqsDeductionQueue } from '../adapters/sqs-deduction-queue.js';
import { systemClock } from '../domain/clock.js';
import { deductionIds } from '../domain/deductions/id.js';
import { apiHandler } from '../http/api-handler.js';
import { deductionRoutes } from '../http/routes/deductions.js';
import { dynamoDocumentClient, sqsClient } from '../shared/clients.js';
import { intEnv, requireEnv } from '../shared/env.js';
import { secretsManagerClient } from '../shared/secrets-client.js';
import { createTelemetry } from '../shared/telemetry.js';

const { logger, metrics } = createTelemetry('deductions-api');
const catalogTable = requireEnv('CATALOG_TABLE');
const deductions = new DynamoDeductions(
  dynamoDocumentClient(),
  { deductions: requireEnv('DEDUCTIONS_TABLE'), catalog: catalogTable },
  systemClock,
);
// Read once, during the cold start (top-level await): every request of this container derives
// ids with it. Without it the container never serves, rather than issuing ids nobody can find.
const idSecret = await readSecretString(secretsManagerClient(), requireEnv('DEDUCTION_ID_SECRET_ARN'));

export const handler = apiHandler(
  deductionRoutes({
    ids: deductionIds(idSecret),
    store: deductions,
    ledger: deductions,
    queue: new SqsDeductionQueue(sqsClient(), requireEnv('DEDUCTIONS_QUEUE_URL')),
    availability: new CachedAvailability(dynamoDocumentClient(), catalogTable, systemClock, intEnv('SOLD_OUT_CACHE_MS', 1000)),
    clock: systemClock,
    retryAfterSeconds: 1,
    metrics,
    logger,
  }),
  logger,
  metrics,
);
