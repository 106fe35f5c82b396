import type { Clock } from '../clock.js';
import { ConflictError } from '../errors.js';
import { type Metrics, noMetrics } from '../metrics.js';
import { holdExpired } from './confirm.js';
import { ownDeduction } from './ownership.js';
import type { DeductionStore, StockLedger } from './ports.js';
import type { Deduction } from './types.js';

/**
 * Gives a HELD or CONFIRMED deduction of `owner` back exactly once (stock and allowance) and
 * marks it CANCELLED. Cancelling a CANCELLED deduction returns it unchanged (idempotent). A hold
 * past its deadline is the expiry's to return (409 HOLD_EXPIRED: its units are, or are about to
 * be, back in stock); anything else is 409 NOT_CANCELLABLE. Another buyer's deduction is not
 * found (see ownDeduction): nothing about it changes.
 */
export async function cancelDeduction(
  id: string,
  owner: string,
  deps: { store: DeductionStore; ledger: StockLedger; clock: Clock; metrics?: Metrics },
  signal?: AbortSignal,
): Promise<Deduction> {
  for (let attempt = 0; attempt < 2; attempt++) {
    const record = await ownDeduction(deps.store, id, owner, signal);
    const now = deps.clock.now();
    if (record.status === 'CANCELLED') return record;
    if (record.status === 'EXPIRED' || (record.status === 'HELD' && (record.holdUntil ?? 0) <= now)) throw holdExpired(record);
    if (record.status !== 'HELD' && record.status !== 'CONFIRMED') {
      throw new ConflictError('NOT_CANCELLABLE', `Only a HELD or CONFIRMED deduction can be cancelled; this one is ${record.status}`);
    }
    if ((await deps.ledger.cancel(record, now, signal)) === 'cancelled') {
      (deps.metrics ?? noMetrics).add('HoldsCancelled', 1);
      return { ...record, status: 'CANCELLED', completedAt: now };
    }
    // Someone else moved it first (a concurrent cancel, a confirm, the expiry): read again and
    // answer from what it is now.
  }
  throw new ConflictError('NOT_CANCELLABLE', 'The deduction changed while it was being cancelled; retry');
}
