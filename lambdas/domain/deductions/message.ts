import type { DeductionMessage } from './types.js';

/**
 * Parses a queue message body. Returns undefined for anything that is not a well-formed v1
 * deduction message (a poison message): the consumer reports it as failed so SQS dead-letters it
 * after maxReceiveCount, without holding back the rest of its batch.
 */
export function parseDeductionMessage(body: string): DeductionMessage | undefined {
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
    /^d_[A-Za-z0-9_-]{26}$/.test(m.id) &&
    typeof m.sku === 'string' &&
    /^[A-Za-z0-9_-]{1,64}$/.test(m.sku) &&
    Number.isInteger(m.quantity) &&
    (m.quantity as number) >= 1 &&
    typeof m.userId === 'string' &&
    m.userId.length > 0 &&
    Number.isInteger(m.createdAt) &&
    typeof m.requestHash === 'string';
  return ok ? (m as unknown as DeductionMessage) : undefined;
}
