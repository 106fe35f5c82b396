import { createHash } from 'node:crypto';
import type { Clock } from '../clock.js';
import { ConflictError, DependencyError, NotFoundError } from '../errors.js';
import type { AvailabilityView, DeductionQueue, DeductionStore } from './ports.js';
import type { Deduction, DeductionInput } from './types.js';

export interface AcceptDeps {
  store: DeductionStore;
  queue: DeductionQueue;
  availability: AvailabilityView;
  clock: Clock;
}

/** Request id from the idempotency key: a retry with the same key names the same request. */
export function deductionIdFor(idempotencyKey: string): string {
  return `d_${createHash('sha256').update(idempotencyKey).digest('base64url').slice(0, 26)}`;
}

export function requestHashOf(input: DeductionInput): string {
  return createHash('sha256').update(`${input.sku}\n${input.quantity}\n${input.userId}`).digest('base64url');
}

/**
 * Accepts a stock deduction: one conditional PutItem and one SendMessage. Answers 202 only once
 * the request is recorded and its message is in SQS; otherwise fails with 503 and removes the
 * record it created. The message carries the whole request, so the consumer recreates a record
 * that is missing (removed after an enqueue that reported failure but had succeeded, or expired
 * in a backlog): an accepted request is never lost. Unsettled records expire after an hour, so
 * none claims QUEUED forever. See docs/deductions.md.
 *
 * @throws NotFoundError unknown SKU; ConflictError SOLD_OUT or IDEMPOTENCY_KEY_REUSED;
 *   DependencyError ENQUEUE_FAILED.
 */
export async function acceptDeduction(input: DeductionInput, idempotencyKey: string, deps: AcceptDeps): Promise<Deduction> {
  const id = deductionIdFor(idempotencyKey);
  const requestHash = requestHashOf(input);
  const availability = await deps.availability.availability(input.sku);
  if (availability === 'unknown') throw new NotFoundError(`No product with SKU ${input.sku}`, 'PRODUCT_NOT_FOUND');

  if (availability === 'sold-out') {
    // Sold out (per a stock view at most ~1 s stale): reject without queueing, unless this is
    // a retry of a request accepted earlier, which keeps its id and outcome.
    const existing = await deps.store.get(id);
    if (existing) return sameRequest(existing, requestHash);
    throw new ConflictError('SOLD_OUT', `SKU ${input.sku} is sold out`);
  }

  const fresh: Deduction = { id, ...input, status: 'QUEUED', createdAt: deps.clock.now(), requestHash };
  const { created, record } = await deps.store.createIfAbsent(fresh);
  if (!created) {
    sameRequest(record, requestHash);
    if (record.status !== 'QUEUED') return record;
    // A retry of a request still QUEUED: queue it again, since its first enqueue may have failed.
    // The consumer applies a request once however many messages name it.
  }
  try {
    await deps.queue.enqueue({
      v: 1,
      id,
      sku: record.sku,
      quantity: record.quantity,
      userId: record.userId,
      createdAt: record.createdAt,
      requestHash,
    });
  } catch (cause) {
    if (created) await deps.store.discardUnqueued(id).catch(() => undefined);
    throw new DependencyError('The request could not be queued; retry with the same Idempotency-Key', 'ENQUEUE_FAILED', {
      cause: (cause as Error).name,
    });
  }
  return record;
}

function sameRequest(record: Deduction, requestHash: string): Deduction {
  if (record.requestHash !== requestHash) {
    throw new ConflictError('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was already used with a different request body');
  }
  return record;
}
