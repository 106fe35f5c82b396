import type { Clock } from '../clock.js';
import { ConflictError } from '../errors.js';
import { ownDeduction } from './ownership.js';
import type { DeductionStore, StockLedger } from './ports.js';
import type { Deduction } from './types.js';

/**
 * Compensation: gives a SUCCEEDED deduction of `owner`'s stock back exactly once and marks it
 * CANCELLED. Cancelling a CANCELLED deduction returns it unchanged (idempotent); anything else is
 * 409. Another buyer's deduction is not found (see ownDeduction): nothing about it changes.
 */
export async function cancelDeduction(
  id: string,
  owner: string,
  deps: { store: DeductionStore; ledger: StockLedger; clock: Clock },
  signal?: AbortSignal,
): Promise<Deduction> {
  for (let attempt = 0; attempt < 2; attempt++) {
    const record = await ownDeduction(deps.store, id, owner, signal);
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
