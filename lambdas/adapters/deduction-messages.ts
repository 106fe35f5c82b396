import { DEDUCTION_ID_PATTERN } from '../domain/deductions/id.js';
import type { DeductionMessage } from '../domain/deductions/types.js';
import { SKU_PATTERN } from '../domain/product/types.js';

/**
 * The deductions queue's message body: JSON of a v2 DeductionMessage. One module writes it (the
 * SQS adapter) and reads it (the consumer), so the wire format has one home.
 */
export const encodeDeductionMessage = (message: DeductionMessage): string => JSON.stringify(message);

/**
 * Parses a queue message body. Returns undefined for anything that is not a well-formed deduction
 * message (a poison message): the consumer reports it as failed so SQS dead-letters it after
 * maxReceiveCount, without holding back the rest of its batch.
 *
 * v2 names the buyer `owner` (the token's `sub`). A v1 message, sent before identity arrived and
 * perhaps still queued across that deploy, named a `userId`: it is read as that owner, so an
 * accepted request is never lost to the upgrade.
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
  const owner = m.v === 2 ? m.owner : m.v === 1 ? m.userId : undefined;
  const ok =
    typeof m.id === 'string' &&
    DEDUCTION_ID_PATTERN.test(m.id) &&
    typeof m.sku === 'string' &&
    SKU_PATTERN.test(m.sku) &&
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
  };
}
