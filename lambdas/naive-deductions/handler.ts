/**
 * Bench-only baseline (see ./route.ts): hosted like deductions-api (same middleware, same client
 * factory) so that bench:flash compares designs, not stacks. Wiring only.
 */
import { systemClock } from '../domain/clock.js';
import { apiHandler } from '../http/api-handler.js';
import { dynamoDocumentClient } from '../shared/clients.js';
import { requireEnv } from '../shared/env.js';
import { createLogger } from '../shared/logger.js';
import { naiveDeductionRoutes } from './route.js';

const logger = createLogger('naive-deductions');

export const handler = apiHandler(
  naiveDeductionRoutes({ client: dynamoDocumentClient(), catalogTable: requireEnv('CATALOG_TABLE'), clock: systemClock }),
  logger,
);
