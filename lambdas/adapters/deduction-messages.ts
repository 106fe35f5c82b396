import type { MessageAttributeValue } from '@aws-sdk/client-sqs';
import type { SQSMessageAttributes } from 'aws-lambda';
import { isCorrelationId } from '../domain/correlation.js';
import { DEDUCTION_ID_PATTERN } from '../domain/deductions/id.js';
import type { DeductionMessage, HoldExpiryMessage } from '../domain/deductions/types.js';
import { SKU_PATTERN } from '../domain/product/types.js';

/**
 * The wire formats of the deductions queue and the hold-expiry queue, in one place: JSON of a v2
 * DeductionMessage and of a v1 HoldExpiryMessage. Each is written (by its SQS adapter) and read
 * (by its consumer) through this module. A deduction's correlation id travels beside the body, as
 * the String message attribute `correlationId` (what tracing tools and a DLQ redrive keep, and
 * what a reader of the queue sees without parsing bodies).
 */
export const CORRELATION_ATTRIBUTE = 'correlationId';

/** The message body: the message without its correlation id (that goes in an attribute). */
export const encodeDeductionMessage = ({ correlationId: _, ...message }: DeductionMessage): string => JSON.stringify(message);

/** The message attributes SendMessage carries for `message` (none without a correlation id). */
export function deductionMessageAttributes(message: DeductionMessage): Record<string, MessageAttributeValue> | undefined {
  if (!isCorrelationId(message.correlationId)) return undefined;
  return { [CORRELATION_ATTRIBUTE]: { DataType: 'String', StringValue: message.correlationId } };
}

/** The correlation id a queued record carries (Lambda's event shape), if it is well formed. */
export function correlationIdOf(attributes: SQSMessageAttributes | undefined): string | undefined {
  const value = attributes?.[CORRELATION_ATTRIBUTE]?.stringValue;
  return isCorrelationId(value) ? value : undefined;
}

/**
 * Parses a queue message body. Returns undefined for anything that is not a well-formed deduction
 * message (a poison message): the consumer reports it as failed so SQS dead-letters it after
 * maxReceiveCount, without holding back the rest of its batch.
 *
 * v2 names the buyer `owner` (the token's `sub`). A v1 message, sent before identity arrived and
 * perhaps still queued across that deploy, named a `userId`: it is read as that owner, so an
 * accepted request is never lost to the upgrade. `correlationId` is the record's message attribute
 * (see correlationIdOf); a malformed one is dropped, not the message.
 */
export function decodeDeductionMessage(body: string, correlationId?: string): DeductionMessage | undefined {
  const m = jsonObject(body);
  if (!m) return undefined;
  const owner = m.v === 2 ? m.owner : m.v === 1 ? m.userId : undefined;
  const ok =
    isDeductionId(m.id) &&
    isSku(m.sku) &&
    Number.isInteger(m.quantity) &&
    (m.quantity as number) >= 1 &&
    typeof owner === 'string' &&
    owner.length > 0 &&
    Number.isInteger(m.createdAt) &&
    typeof m.requestHash === 'string';
  if (!ok) return undefined;
  return {
    v: 2,
    id: m.id as string,
    sku: m.sku as string,
    quantity: m.quantity as number,
    owner: owner as string,
    createdAt: m.createdAt as number,
    requestHash: m.requestHash as string,
    ...(isCorrelationId(correlationId) ? { correlationId } : {}),
  };
}

export const encodeHoldExpiryMessage = (message: HoldExpiryMessage): string => JSON.stringify(message);

/** Parses a hold-expiry timer; undefined for anything else (reported failed, dead-lettered). */
export function decodeHoldExpiryMessage(body: string): HoldExpiryMessage | undefined {
  const m = jsonObject(body);
  if (m?.v !== 1 || !isDeductionId(m.id) || !isSku(m.sku) || !Number.isInteger(m.expiresAt)) return undefined;
  return { v: 1, id: m.id as string, sku: m.sku as string, expiresAt: m.expiresAt as number };
}

function jsonObject(body: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(body);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

const isDeductionId = (value: unknown) => typeof value === 'string' && DEDUCTION_ID_PATTERN.test(value);
const isSku = (value: unknown) => typeof value === 'string' && SKU_PATTERN.test(value);
