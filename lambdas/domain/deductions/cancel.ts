import type { Clock } from '../clock.js';
import { ConflictError, NotFoundError } from '../errors.js';
import type { DeductionStore, StockLedger } from './ports.js';
import type { Deduction } from './types.js';

/**
 * Compensation: gives a SUCCEEDED deduction's stock back exactly once and marks it CANCELLED.
 * Cancelling a CANCELLED deduction returns it unchanged (idempotent); anything else is 409.
 */
export async function cancelDeduction(
  id: string,
  deps: { store: DeductionStore; ledger: StockLedger; clock: Clock },
  signal?: AbortSignal,
): Promise<Deduction> {
  for (let attempt = 0; attempt < 2; attempt++) {
    const record = await deps.store.get(id, signal);
    if (!record) throw new NotFoundError(`No deduction ${id}`, 'DEDUCTION_NOT_FOUND');
    if (record.status === 'CANCELLED') return record;
    if (record.status !== 'SUCCEEDED') {
      throw new ConflictError('NOT_CANCELLABLE', `Only a SUCCEEDED deduction can be cancelled; this one is ${record.status}`);
    }
    const now = deps.clock.now();
    if ((await deps.ledger.refund(record, now, signal)) === 'cancelled') return { ...record, status: 'CANCELLED', completedAt: now };
    // Someone else changed it (a concurrent cancel): read again and answer from what it is now.
  }
  throw new ConflictError('NOT_CANCELLABLE', 'The deduction changed while it was being cancelled; retry');
}
