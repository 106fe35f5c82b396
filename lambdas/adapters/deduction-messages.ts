import { DEDUCTION_ID_PATTERN } from '../domain/deductions/id.js';
import type { DeductionMessage } from '../domain/deductions/types.js';
import { SKU_PATTERN } from '../domain/product/types.js';

/**
 * The deductions queue's message body: JSON of a v1 DeductionMessage. One module writes it (the
 * SQS adapter) and reads it (the consumer), so the wire format has one home.
 */
export const encodeDeductionMessage = (message: DeductionMessage): string => JSON.stringify(message);

/**
 * Parses a queue message body. Returns undefined for anything that is not a well-formed v1
 * deduction message (a poison message): the consumer reports it as failed so SQS dead-letters it
 * after maxReceiveCount, without holding back the rest of its batch.
 */
export function decodeDeductionMessage(body: string): DeductionMessage | undefined {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const m = value as Record<string, unknown>;
  const ok =
    m.v === 1 &&
    typeof m.id === 'string' &&
    DEDUCTION_ID_PATTERN.test(m.id) &&
    typeof m.sku === 'string' &&
    SKU_PATTERN.test(m.sku) &&
    Number.isInteger(m.quantity) &&
    (m.quantity as number) >= 1 &&
    typeof m.userId === 'string' &&
    m.userId.length > 0 &&
    Number.isInteger(m.createdAt) &&
    typeof m.requestHash === 'string';
  return ok ? (m as unknown as DeductionMessage) : undefined;
}
