/**
 * Admin API: PUT /v1/admin/products/{sku}, …/price, …/stock. The Cognito authorizer verifies the
 * token; the routes require the `admins` group (lambdas/http/identity.ts). Wiring only; see
 * lambdas/adapters/dynamo-catalog-writer.ts.
 */
import { DynamoCatalogWriter } from '../adapters/dynamo-catalog-writer.js';
import { systemClock } from '../domain/clock.js';
import { apiHandler } from '../http/api-handler.js';
import { adminProductRoutes } from '../http/routes/admin-products.js';
import { dynamoDocumentClient } from '../shared/clients.js';
import { requireEnv } from '../shared/env.js';
import { createTelemetry } from '../shared/telemetry.js';

const { logger, metrics } = createTelemetry('admin-api');
const writer = new DynamoCatalogWriter(dynamoDocumentClient(), requireEnv('CATALOG_TABLE'), systemClock);

export const handler = apiHandler(adminProductRoutes(writer, metrics), logger, metrics);
