import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../lambdas/domain/clock.js';
import { acceptDeduction, deductionIdFor } from '../../lambdas/domain/deductions/accept.js';
import { parseDeductionMessage } from '../../lambdas/domain/deductions/message.js';
import { ConflictError, DependencyError, NotFoundError } from '../../lambdas/domain/errors.js';
import { MemoryAvailability, MemoryDeductionStore, MemoryQueue } from '../helpers/deductions.js';

function deps(stockQuantity = 10) {
  return {
    store: new MemoryDeductionStore(),
    queue: new MemoryQueue(),
    availability: new MemoryAvailability().set('SKU-1', stockQuantity),
    clock: new ManualClock(),
  };
}
const input = { sku: 'SKU-1', quantity: 1, userId: 'ann' };

describe('acceptDeduction', () => {
  it('records the request and queues a message carrying the whole request', async () => {
    const d = deps();

    const accepted = await acceptDeduction(input, 'key-00000001', d);

    expect(accepted.status).toBe('QUEUED');
    expect(d.queue.sent).toEqual([expect.objectContaining({ v: 1, id: accepted.id, sku: 'SKU-1', quantity: 1, userId: 'ann' })]);
    expect(d.store.records.get(accepted.id)?.status).toBe('QUEUED');
  });

  it('returns the same id for a retry with the same key and body, queueing it again only while it is QUEUED', async () => {
    const d = deps();
    const first = await acceptDeduction(input, 'key-00000001', d);

    const again = await acceptDeduction(input, 'key-00000001', d);
    const record = d.store.records.get(first.id);
    if (record) record.status = 'SUCCEEDED';
    const settled = await acceptDeduction(input, 'key-00000001', d);

    expect(again.id).toBe(first.id);
    expect(settled).toMatchObject({ id: first.id, status: 'SUCCEEDED' });
    expect(d.queue.sent.map((m) => m.id)).toEqual([first.id, first.id]);
  });

  it('answers 409 IDEMPOTENCY_KEY_REUSED for the same key with a different body', async () => {
    const d = deps();
    await acceptDeduction(input, 'key-00000001', d);

    const reuse = acceptDeduction({ ...input, quantity: 2 }, 'key-00000001', d);

    await expect(reuse).rejects.toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', status: 409 });
  });

  it('rejects SOLD_OUT without recording or queueing when stock is known to be 0', async () => {
    const d = deps(0);

    await expect(acceptDeduction(input, 'key-00000001', d)).rejects.toBeInstanceOf(ConflictError);

    expect(d.store.records.size).toBe(0);
    expect(d.queue.sent).toHaveLength(0);
  });

  it('still answers a retry of an earlier accepted request after the SKU sold out', async () => {
    const d = deps(5);
    const accepted = await acceptDeduction(input, 'key-00000001', d);
    d.availability.set('SKU-1', 0);

    const retry = await acceptDeduction(input, 'key-00000001', d);

    expect(retry.id).toBe(accepted.id);
  });

  it('answers 404 for an unknown SKU', async () => {
    await expect(acceptDeduction({ ...input, sku: 'NOPE' }, 'key-00000001', deps())).rejects.toBeInstanceOf(NotFoundError);
  });

  it('answers 503 when enqueueing fails and leaves no record claiming QUEUED', async () => {
    const d = deps();
    d.queue.fail = true;

    await expect(acceptDeduction(input, 'key-00000001', d)).rejects.toBeInstanceOf(DependencyError);

    expect(d.store.records.has(deductionIdFor('key-00000001'))).toBe(false);
  });

  it('queues on retry when an earlier attempt could neither enqueue nor discard its record', async () => {
    const d = deps();
    d.queue.fail = true;
    d.store.failDiscard = true;
    await expect(acceptDeduction(input, 'key-00000001', d)).rejects.toBeInstanceOf(DependencyError);
    d.queue.fail = false;

    const retry = await acceptDeduction(input, 'key-00000001', d);

    expect(retry.status).toBe('QUEUED');
    expect(d.queue.sent).toEqual([expect.objectContaining({ id: retry.id })]);
  });
});

describe('parseDeductionMessage', () => {
  it('accepts a well-formed v1 message and rejects poison', () => {
    const good = { v: 1, id: deductionIdFor('k-12345678'), sku: 'SKU-1', quantity: 1, userId: 'u', createdAt: 1, requestHash: 'h' };

    expect(parseDeductionMessage(JSON.stringify(good))).toEqual(good);
    expect(parseDeductionMessage('not json')).toBeUndefined();
    expect(parseDeductionMessage(JSON.stringify({ ...good, quantity: 0 }))).toBeUndefined();
    expect(parseDeductionMessage(JSON.stringify({ ...good, id: 'x' }))).toBeUndefined();
    expect(parseDeductionMessage('null')).toBeUndefined();
  });
});
