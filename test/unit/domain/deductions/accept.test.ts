import { describe, expect, it } from 'vitest';
import { acceptDeduction } from '../../../../lambdas/domain/deductions/accept.js';
import { ConflictError, DependencyError, NotFoundError, OutcomeUnknownError } from '../../../../lambdas/domain/errors.js';
import { ManualClock } from '../../../helpers/clock.js';
import { MemoryAvailability, MemoryDeductions, MemoryQueue, testIds } from '../../../helpers/deductions.js';

function deps(stockQuantity = 10) {
  return {
    ids: testIds,
    store: new MemoryDeductions(),
    queue: new MemoryQueue(),
    availability: new MemoryAvailability().set('SKU-1', stockQuantity),
    clock: new ManualClock(),
  };
}
const input = { sku: 'SKU-1', quantity: 1, owner: 'ann' };

describe('acceptDeduction', () => {
  it('records the request and queues a message carrying the whole request', async () => {
    const d = deps();

    const accepted = await acceptDeduction(input, 'key-00000001', d);

    expect(accepted.status).toBe('QUEUED');
    expect(d.queue.sent).toEqual([expect.objectContaining({ v: 2, id: accepted.id, sku: 'SKU-1', quantity: 1, owner: 'ann' })]);
    expect(d.store.records.get(accepted.id)?.status).toBe('QUEUED');
  });

  it('returns the same id for a retry with the same key and body, queueing it again only while it is QUEUED', async () => {
    const d = deps();
    const first = await acceptDeduction(input, 'key-00000001', d);

    const again = await acceptDeduction(input, 'key-00000001', d);
    const record = d.store.records.get(first.id);
    if (record) record.status = 'HELD';
    const settled = await acceptDeduction(input, 'key-00000001', d);

    expect(again.id).toBe(first.id);
    expect(settled).toMatchObject({ id: first.id, status: 'HELD' });
    expect(d.queue.sent.map((m) => m.id)).toEqual([first.id, first.id]);
  });

  it('names the request by its owner and key: the same key of another buyer is another request', async () => {
    const d = deps();

    const ann = await acceptDeduction(input, 'key-00000001', d);
    const bob = await acceptDeduction({ ...input, owner: 'bob', quantity: 2 }, 'key-00000001', d);

    expect(ann.id).toBe(testIds('ann', 'key-00000001'));
    expect(bob.id).toBe(testIds('bob', 'key-00000001'));
    expect(bob.id).not.toBe(ann.id);
    expect(d.store.records.get(ann.id)).toMatchObject({ owner: 'ann', quantity: 1 });
    expect(d.store.records.get(bob.id)).toMatchObject({ owner: 'bob', quantity: 2 });
  });

  it('answers 409 IDEMPOTENCY_KEY_REUSED for the same key with a different body', async () => {
    const d = deps();
    await acceptDeduction(input, 'key-00000001', d);

    const reuse = acceptDeduction({ ...input, quantity: 2 }, 'key-00000001', d);

    await expect(reuse).rejects.toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', kind: 'conflict' });
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

  it('answers ENQUEUE_FAILED when the queue certainly refused the message, and leaves no record claiming QUEUED', async () => {
    const d = deps();
    d.queue.fail = 'not-sent';

    await expect(acceptDeduction(input, 'key-00000001', d)).rejects.toMatchObject({ code: 'ENQUEUE_FAILED', kind: 'unavailable' });

    expect(d.store.records.has(testIds('ann', 'key-00000001'))).toBe(false);
  });

  it('says the outcome is unknown when a send fails in a way that may have enqueued it, and keeps the record', async () => {
    const d = deps();
    d.queue.fail = 'maybe-sent';

    await expect(acceptDeduction(input, 'key-00000001', d)).rejects.toBeInstanceOf(OutcomeUnknownError);

    expect(d.store.records.get(testIds('ann', 'key-00000001'))?.status).toBe('QUEUED');
  });

  it('says the outcome is unknown when recording fails (the write may have landed)', async () => {
    const d = deps();
    d.store.createIfAbsent = async () => {
      throw Object.assign(new Error('socket timed out'), { name: 'TimeoutError' });
    };

    await expect(acceptDeduction(input, 'key-00000001', d)).rejects.toMatchObject({ code: 'OUTCOME_UNKNOWN', kind: 'outcome-unknown' });
  });

  it('answers DEPENDENCY_UNAVAILABLE when the sold-out view cannot be read (nothing was written)', async () => {
    const d = deps();
    d.availability.fail = true;

    await expect(acceptDeduction(input, 'key-00000001', d)).rejects.toBeInstanceOf(DependencyError);

    expect(d.store.records.size).toBe(0);
  });

  it('applies a request once however often it is retried after an unknown outcome', async () => {
    const d = deps();
    d.queue.fail = 'maybe-sent';
    await expect(acceptDeduction(input, 'key-00000001', d)).rejects.toBeInstanceOf(OutcomeUnknownError);
    d.queue.fail = false;

    const first = await acceptDeduction(input, 'key-00000001', d);
    const second = await acceptDeduction(input, 'key-00000001', d);

    expect(second.id).toBe(first.id);
    expect(d.store.records.size).toBe(1);
    expect(new Set(d.queue.sent.map((m) => m.id))).toEqual(new Set([first.id]));
  });

  it('queues on retry when an earlier attempt could neither enqueue nor discard its record', async () => {
    const d = deps();
    d.queue.fail = 'not-sent';
    d.store.failDiscard = true;
    await expect(acceptDeduction(input, 'key-00000001', d)).rejects.toBeInstanceOf(DependencyError);
    d.queue.fail = false;

    const retry = await acceptDeduction(input, 'key-00000001', d);

    expect(retry.status).toBe('QUEUED');
    expect(d.queue.sent).toEqual([expect.objectContaining({ id: retry.id })]);
  });
});
