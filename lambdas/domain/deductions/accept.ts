import { createHash } from 'node:crypto';
import type { Clock } from '../clock.js';
import { ConflictError, DependencyError, NotFoundError, OutcomeUnknownError } from '../errors.js';
import { type Metrics, noMetrics } from '../metrics.js';
import type { DeductionIds } from './id.js';
import { type AvailabilityView, type DeductionQueue, type DeductionStore, MessageNotSentError } from './ports.js';
import { type Deduction, type DeductionInput, messageOf } from './types.js';

export interface AcceptDeps {
  /** Names the caller's request from their Idempotency-Key (see id.ts). */
  ids: DeductionIds;
  store: DeductionStore;
  queue: DeductionQueue;
  availability: AvailabilityView;
  clock: Clock;
  /** Counts requests accepted (newly queued) and turned away sold out; and, on confirm and cancel, holds confirmed and cancelled. */
  metrics?: Metrics;
}

export function requestHashOf(input: DeductionInput): string {
  return createHash('sha256').update(`${input.sku}\n${input.quantity}\n${input.owner}`).digest('base64url');
}

/**
 * Accepts a stock deduction for `input.owner` (the caller): one conditional PutItem and one
 * SendMessage. The request's id is derived from the owner and the Idempotency-Key, so a key names
 * a request of this caller only: another buyer's use of the same key is another request. Answers only once the
 * request is recorded and its message is in SQS. The message carries the whole request, so the
 * consumer recreates a record that is missing: an accepted request is never lost. Unsettled
 * records expire after an hour, so none claims QUEUED forever. See docs/deductions.md.
 *
 * Failures say what happened. Before the record is written nothing has: DependencyError. Once it
 * may have been written, the outcome is unknown (OutcomeUnknownError): a retry with the same
 * Idempotency-Key finds the record and queues it again, and the consumer applies a request once
 * however many messages name it. Only a send the queue certainly refused removes the record and
 * answers ENQUEUE_FAILED (nothing happened).
 *
 * @throws NotFoundError unknown SKU; ConflictError SOLD_OUT or IDEMPOTENCY_KEY_REUSED;
 *   DependencyError DEPENDENCY_UNAVAILABLE or ENQUEUE_FAILED; OutcomeUnknownError.
 */
export async function acceptDeduction(
  input: DeductionInput,
  idempotencyKey: string,
  deps: AcceptDeps,
  signal?: AbortSignal,
): Promise<Deduction> {
  const id = deps.ids(input.owner, idempotencyKey);
  const requestHash = requestHashOf(input);
  const availability = await nothingChangedYet(() => deps.availability.availability(input.sku));
  if (availability === 'unknown') throw new NotFoundError(`No product with SKU ${input.sku}`, 'PRODUCT_NOT_FOUND');

  if (availability === 'sold-out') {
    // Sold out (per a stock view at most ~1 s stale): reject without queueing, unless this is
    // a retry of a request accepted earlier, which keeps its id and outcome.
    const existing = await nothingChangedYet(() => deps.store.get(id, signal));
    if (existing) return sameRequest(existing, requestHash);
    (deps.metrics ?? noMetrics).add('DeductionsTurnedAway', 1, { Reason: 'SOLD_OUT' });
    throw new ConflictError('SOLD_OUT', `SKU ${input.sku} is sold out`);
  }

  const { correlationId, ...request } = input;
  const fresh: Deduction = {
    id,
    ...request,
    status: 'QUEUED',
    createdAt: deps.clock.now(),
    requestHash,
    ...(correlationId ? { correlationId } : {}),
  };
  const { created, record } = await mayHaveChanged(() => deps.store.createIfAbsent(fresh, signal));
  if (!created) {
    sameRequest(record, requestHash);
    if (record.status !== 'QUEUED') return record;
    // A retry of a request still QUEUED: queue it again, since its first enqueue may have failed.
    // The consumer applies a request once however many messages name it.
  }
  try {
    await deps.queue.enqueue(messageOf(record), signal);
  } catch (cause) {
    if (!(cause instanceof MessageNotSentError)) throw unknownOutcome();
    if (created) await deps.store.discardUnqueued(id, signal).catch(() => undefined);
    throw new DependencyError(
      'The request could not be queued; nothing was deducted. Retry with the same Idempotency-Key',
      'ENQUEUE_FAILED',
    );
  }
  // A retry of a request already queued is not counted again: the metric counts buyers' requests.
  if (created) (deps.metrics ?? noMetrics).add('DeductionsAccepted', 1);
  return record;
}

function sameRequest(record: Deduction, requestHash: string): Deduction {
  if (record.requestHash !== requestHash) {
    throw new ConflictError('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was already used with a different request body');
  }
  return record;
}

const unknownOutcome = () =>
  new OutcomeUnknownError('The request may have been accepted; retry with the same Idempotency-Key to learn its outcome');

/** Runs a step that changes nothing: its failure means nothing happened. */
async function nothingChangedYet<T>(step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (cause) {
    throw new DependencyError('A backing service is unavailable; nothing was deducted. Retry shortly', 'DEPENDENCY_UNAVAILABLE', {
      cause: (cause as Error).name,
    });
  }
}

/** Runs a step whose failure may leave its write applied. */
async function mayHaveChanged<T>(step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch {
    throw unknownOutcome();
  }
}
