/**
 * Deduction events: the deductions table's stream (filtered to decided request items) → every
 * transition published to the EventBridge bus, and each new hold's expiry timer sent (delayed) to
 * the hold-expiry queue. Partial batch responses resume at the first record whose work failed.
 * Wiring only; see lambdas/domain/deductions/events.ts.
 */
import middy from '@middy/core';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { EventBridgeDeductionEvents } from '../adapters/deduction-event-bus.js';
import { SqsHoldTimers } from '../adapters/deduction-hold-timers.js';
import { decodeRequestRecord } from '../adapters/deduction-stream-records.js';
import { systemClock } from '../domain/clock.js';
import { handleRequestChanges, type RequestChange } from '../domain/deductions/events.js';
import { sqsClient } from '../shared/clients.js';
import { requireEnv } from '../shared/env.js';
import { eventBridgeClient } from '../shared/eventbridge-client.js';
import { createLogger } from '../shared/logger.js';
import { withTelemetry } from '../shared/telemetry.js';

const logger = createLogger('deduction-events');
const deps = {
  events: new EventBridgeDeductionEvents(eventBridgeClient(), requireEnv('DEDUCTION_EVENT_BUS'), systemClock),
  timers: new SqsHoldTimers(sqsClient(), requireEnv('HOLD_EXPIRY_QUEUE_URL')),
  clock: systemClock,
};

export const handler = middy(async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
  const changes: RequestChange[] = [];
  for (const record of event.Records) {
    const change = decodeRequestRecord(record);
    if (change === 'ignore') continue;
    if (change === 'poison') {
      // No retry can fix it, and the mapping retries until records leave the stream (so that an
      // outage never loses a timer): skipped, loudly, rather than holding back the holds behind it.
      logger.error('Malformed deductions stream record skipped', { eventID: record.eventID, keys: record.dynamodb?.Keys });
      continue;
    }
    changes.push(change);
  }
  const outcome = await handleRequestChanges(changes, deps);
  const failedAt = outcome.failedPositions[0];
  // Names each transition with the correlation id its record carries (the request that created it).
  logger.info('Transitions handled', {
    records: event.Records.length,
    deductions: changes.map(({ after: d }) => ({
      id: d.id,
      status: d.status,
      ...(d.correlationId ? { correlationId: d.correlationId } : {}),
    })),
    published: outcome.published,
    timersScheduled: outcome.timersScheduled,
    failedAt,
  });
  return { batchItemFailures: failedAt !== undefined ? [{ itemIdentifier: failedAt }] : [] };
}).use(withTelemetry({ logger }));
