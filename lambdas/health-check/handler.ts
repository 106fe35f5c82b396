/**
 * GET /v1/admin/health: the deep health check (tables, queues, dead-letter queues, bucket, stream
 * lag). Wiring only; see lambdas/domain/health/check.ts.
 */
import { AwsHealthProbes } from '../adapters/aws-health-probes.js';
import { systemClock } from '../domain/clock.js';
import { checkHealth } from '../domain/health/check.js';
import { apiHandler } from '../http/api-handler.js';
import { adminHealthRoutes } from '../http/routes/admin-health.js';
import { dynamoDocumentClient, sqsClient } from '../shared/clients.js';
import { requireEnv } from '../shared/env.js';
import { s3Client } from '../shared/s3-client.js';
import { createTelemetry } from '../shared/telemetry.js';
import { healthTargets } from './targets.js';

const { logger, metrics } = createTelemetry('health-check');
const targets = healthTargets(requireEnv('HEALTH_TARGETS'));
const probes = new AwsHealthProbes({ dynamo: dynamoDocumentClient(), sqs: sqsClient(), s3: s3Client() });

export const handler = apiHandler(adminHealthRoutes({ check: () => checkHealth(targets, probes, systemClock) }), logger, metrics);
