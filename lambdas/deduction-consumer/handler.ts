/**
 * Deduction consumer: drains the deductions queue in batches (SQS event source, partial batch
 * responses), holding winners for HOLD_SECONDS and rejecting the rest in bulk. Wiring only; see
 * lambdas/domain/deductions/process-batch.ts.
 */
import middy from '@middy/core';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { correlationIdOf, decodeDeductionMessage } from '../adapters/deduction-messages.js';
import { DynamoDeductions } from '../adapters/dynamo-deductions.js';
import { systemClock } from '../domain/clock.js';
import { type ParsedMessage, processDeductionBatch } from '../domain/deductions/process-batch.js';
import { dynamoDocumentClient } from '../shared/clients.js';
import { intEnv, requireEnv } from '../shared/env.js';
import { createTelemetry, withTelemetry } from '../shared/telemetry.js';

const { logger, metrics } = createTelemetry('deduction-consumer');
const ledger = new DynamoDeductions(
  dynamoDocumentClient(),
  { deductions: requireEnv('DEDUCTIONS_TABLE'), catalog: requireEnv('CATALOG_TABLE') },
  systemClock,
);
const limitPerUser = intEnv('PER_USER_LIMIT', 1);
// The hold window (context holdSeconds, validated at synthesis: 30–3600 s).
const holdMs = intEnv('HOLD_SECONDS', 600) * 1000;

export const handler = middy(async (event: SQSEvent): Promise<SQSBatchResponse> => {
  metrics.add('ConsumerBatchSize', event.Records.length);
  const parsed: ParsedMessage[] = [];
  const poison: string[] = [];
  for (const record of event.Records) {
    const message = decodeDeductionMessage(record.body, correlationIdOf(record.messageAttributes));
    if (message) parsed.push({ messageId: record.messageId, message });
    else poison.push(record.messageId);
  }
  if (poison.length) logger.error('Malformed deduction messages (will be dead-lettered)', { messageIds: poison });

  const outcome = await processDeductionBatch(parsed, {
    ledger,
    store: ledger,
    clock: systemClock,
    limitPerUser,
    holdMs,
    metrics,
    onEvent: (e) => {
      if (e.type === 'group-failed') {
        const group = parsed.filter((p) => p.message.sku === e.sku).map((p) => named(p.message));
        logger.warn('SKU group failed; its messages will be redelivered', { sku: e.sku, deductions: group, error: e.error as Error });
      }
    },
  });
  // One line per batch, naming every deduction it decided with its request's correlation id:
  // searching the logs for a correlation id (or a deduction id) finds the batch that settled it.
  logger.info('Batch settled', {
    records: event.Records.length,
    held: outcome.held,
    rejected: outcome.rejected,
    decided: outcome.decided,
    stockWrites: outcome.stockWrites,
    conflicts: outcome.conflicts,
    failed: outcome.failedMessageIds.length + poison.length,
  });
  return { batchItemFailures: [...poison, ...outcome.failedMessageIds].map((itemIdentifier) => ({ itemIdentifier })) };
}).use(withTelemetry({ logger, metrics }));

const named = (m: { id: string; correlationId?: string }) => ({ id: m.id, ...(m.correlationId ? { correlationId: m.correlationId } : {}) });
