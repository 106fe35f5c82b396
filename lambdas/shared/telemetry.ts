/**
 * A function's logger and metrics, built once at module scope, and the middy middlewares that tie
 * them to each invocation. Every Crest function is wrapped with `withTelemetry` (API functions
 * through `apiHandler`).
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics as PowertoolsMetrics } from '@aws-lambda-powertools/metrics';
import type { MiddlewareObj } from '@middy/core';
import { EmfMetrics } from '../adapters/emf-metrics.js';
import { systemClock } from '../domain/clock.js';
import { METRICS_NAMESPACE } from '../domain/metrics.js';
import { intEnv, optionalEnv } from './env.js';
import { createLogger } from './logger.js';

export interface Telemetry {
  logger: Logger;
  metrics: EmfMetrics;
}

/** What the per-invocation middleware needs of the metrics adapter. */
export interface MetricsPublisher {
  publishIfDue(): void;
  captureColdStart(): void;
}

/**
 * The logger (service name and level from POWERTOOLS_*) and the EMF metrics of `service`: the
 * namespace comes from POWERTOOLS_METRICS_NAMESPACE, which the stack sets from the catalog, and
 * `METRICS_PUBLISH_INTERVAL_MS` (default 10 s) bounds how long recorded values wait in the container.
 */
export function createTelemetry(service: string): Telemetry {
  const emf = new PowertoolsMetrics({ namespace: optionalEnv('POWERTOOLS_METRICS_NAMESPACE') ?? METRICS_NAMESPACE, serviceName: service });
  return {
    logger: createLogger(service),
    metrics: new EmfMetrics(emf, systemClock, intEnv('METRICS_PUBLISH_INTERVAL_MS', 10_000)),
  };
}

/**
 * Publishes the container's pending metrics when they are due, before an invocation (so what
 * waited through an idle gap goes out stamped with its own time) and after it; records the
 * ColdStart metric on the first invocation.
 */
export function publishMetrics(metrics: MetricsPublisher): MiddlewareObj {
  return {
    before: () => {
      metrics.captureColdStart();
      metrics.publishIfDue();
    },
    // Block bodies: a middy middleware that returns a value answers the invocation with it.
    after: () => {
      metrics.publishIfDue();
    },
    onError: () => {
      metrics.publishIfDue();
    },
  };
}

/**
 * Both per-invocation concerns: every log line carries the Lambda context (function_request_id,
 * cold_start, …) and keys appended during an invocation are dropped after it; metrics are
 * published when due.
 */
export function withTelemetry({ logger, metrics }: { logger: Logger; metrics?: MetricsPublisher }): MiddlewareObj[] {
  const logging = injectLambdaContext(logger, { resetKeys: true }) as MiddlewareObj;
  return metrics ? [logging, publishMetrics(metrics)] : [logging];
}
