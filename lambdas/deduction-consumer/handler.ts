/**
 * Deduction consumer: drains the deductions queue in batches (SQS event source, partial batch
 * responses), holding winners for HOLD_SECONDS and rejecting the rest in bulk. Wiring only; see
 * lambdas/domain/deductions/process-batch.ts.
 */
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { decodeDeductionMessage } from '../adapters/deduction-messages.js';
import { DynamoDeductions } from '../adapters/dynamo-deductions.js';
import { systemClock } from '../domain/clock.js';
import { type ParsedMessage, processDeductionBatch } from '../domain/deductions/process-batch.js';
import { dynamoDocumentClient } from '../shared/clients.js';
import { intEnv, requireEnv } from '../shared/env.js';
import { createLogger } from '../shared/logger.js';

const logger = createLogger('deduction-consumer');
const ledger = new DynamoDeductions(
  dynamoDocumentClient(),
  { deductions: requireEnv('DEDUCTIONS_TABLE'), catalog: requireEnv('CATALOG_TABLE') },
  systemClock,
);
const limitPerUser = intEnv('PER_USER_LIMIT', 1);
// The hold window (context holdSeconds, validated at synthesis: 30–3600 s).
const holdMs = intEnv('HOLD_SECONDS', 600) * 1000;

export const handler = async (event: SQSEvent): Promise<SQSBatchResponse> => {
  const parsed: ParsedMessage[] = [];
  const poison: string[] = [];
  for (const record of event.Records) {
    const message = decodeDeductionMessage(record.body);
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
    onEvent: (e) => {
      if (e.type === 'group-failed')
        logger.warn('SKU group failed; its messages will be redelivered', { sku: e.sku, error: e.error as Error });
    },
  });
  logger.info('Batch settled', {
    records: event.Records.length,
    held: outcome.held,
    rejected: outcome.rejected,
    stockWrites: outcome.stockWrites,
    conflicts: outcome.conflicts,
    failed: outcome.failedMessageIds.length + poison.length,
  });
  return { batchItemFailures: [...poison, ...outcome.failedMessageIds].map((itemIdentifier) => ({ itemIdentifier })) };
};
