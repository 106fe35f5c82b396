/**
 * Hold expiry: drains the hold-expiry queue's timers (SQS event source, partial batch
 * responses), sends early ones again for the time that remains, and expires due holds per SKU,
 * one stock write per chunk. Wiring only; see lambdas/domain/deductions/expire-holds.ts.
 */
import middy from '@middy/core';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { SqsHoldTimers } from '../adapters/deduction-hold-timers.js';
import { decodeHoldExpiryMessage } from '../adapters/deduction-messages.js';
import { DynamoDeductions } from '../adapters/dynamo-deductions.js';
import { systemClock } from '../domain/clock.js';
import { expireHolds, type ParsedExpiryMessage } from '../domain/deductions/expire-holds.js';
import { dynamoDocumentClient, sqsClient } from '../shared/clients.js';
import { requireEnv } from '../shared/env.js';
import { createTelemetry, withTelemetry } from '../shared/telemetry.js';

const { logger, metrics } = createTelemetry('hold-expiry');
const ledger = new DynamoDeductions(
  dynamoDocumentClient(),
  { deductions: requireEnv('DEDUCTIONS_TABLE'), catalog: requireEnv('CATALOG_TABLE') },
  systemClock,
);
const timers = new SqsHoldTimers(sqsClient(), requireEnv('HOLD_EXPIRY_QUEUE_URL'));

export const handler = middy(async (event: SQSEvent): Promise<SQSBatchResponse> => {
  const parsed: ParsedExpiryMessage[] = [];
  const poison: string[] = [];
  for (const record of event.Records) {
    const message = decodeHoldExpiryMessage(record.body);
    if (message) parsed.push({ messageId: record.messageId, message });
    else poison.push(record.messageId);
  }
  if (poison.length) logger.error('Malformed hold-expiry messages (will be dead-lettered)', { messageIds: poison });

  let maxLatenessMs = 0;
  const expired: Array<{ id: string; correlationId?: string }> = [];
  const outcome = await expireHolds(parsed, {
    ledger,
    timers,
    clock: systemClock,
    metrics,
    onEvent: (e) => {
      if (e.type === 'expired') {
        maxLatenessMs = Math.max(maxLatenessMs, ...e.latenessMs);
        expired.push(...e.deductions);
      }
      if (e.type === 'group-failed') {
        const ids = parsed.filter((p) => p.message.sku === e.sku).map((p) => p.message.id);
        logger.warn('SKU group failed; its timers will be redelivered', { sku: e.sku, deductionIds: ids, error: e.error as Error });
      }
    },
  });
  // Names every hold it expired, with the correlation id of the request that created it.
  logger.info('Holds expired', {
    records: event.Records.length,
    expired: outcome.expired,
    deductions: expired,
    redelayed: outcome.redelayed,
    settled: outcome.settled,
    stockWrites: outcome.stockWrites,
    conflicts: outcome.conflicts,
    maxLatenessMs,
    failed: outcome.failedMessageIds.length + poison.length,
  });
  return { batchItemFailures: [...poison, ...outcome.failedMessageIds].map((itemIdentifier) => ({ itemIdentifier })) };
}).use(withTelemetry({ logger, metrics }));
