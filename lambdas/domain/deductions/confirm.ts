import type { Clock } from '../clock.js';
import { ConflictError } from '../errors.js';
import { type Metrics, noMetrics } from '../metrics.js';
import { ownDeduction } from './ownership.js';
import type { DeductionStore, StockLedger } from './ports.js';
import type { Deduction } from './types.js';

/** 409 HOLD_EXPIRED: the hold's deadline passed before it was confirmed; nothing changed. */
export function holdExpired(record: Deduction): ConflictError {
  return new ConflictError('HOLD_EXPIRED', 'The hold expired before it was confirmed; its units went back to stock', {
    ...(record.holdUntil ? { expiredAt: new Date(record.holdUntil).toISOString() } : {}),
  });
}

/**
 * HELD → CONFIRMED for `owner` (e.g. once payment went through): the units stay taken, and the
 * hold no longer expires. Idempotent: confirming a CONFIRMED deduction answers it unchanged.
 *
 * A confirm racing the expiry is decided by DynamoDB, never by timing here: the confirm is
 * guarded by `status = HELD AND holdUntil > now`, the expiry by `status = HELD AND holdUntil <=
 * now`, so exactly one of them leaves HELD. The loser reads the record again and answers from it.
 *
 * @throws NotFoundError DEDUCTION_NOT_FOUND (also for another buyer's deduction);
 *   ConflictError HOLD_EXPIRED past the deadline (nothing changed), NOT_CONFIRMABLE otherwise.
 */
export async function confirmDeduction(
  id: string,
  owner: string,
  deps: { store: DeductionStore; ledger: StockLedger; clock: Clock; metrics?: Metrics },
  signal?: AbortSignal,
): Promise<Deduction> {
  for (let attempt = 0; attempt < 2; attempt++) {
    const record = await ownDeduction(deps.store, id, owner, signal);
    const now = deps.clock.now();
    if (record.status === 'CONFIRMED') return record;
    if (record.status === 'EXPIRED' || (record.status === 'HELD' && (record.holdUntil ?? 0) <= now)) throw holdExpired(record);
    if (record.status !== 'HELD') {
      const why = record.status === 'QUEUED' ? 'it is still being decided: poll it until it is HELD' : `it is ${record.status}, not HELD`;
      throw new ConflictError('NOT_CONFIRMABLE', `Only a HELD deduction can be confirmed; ${why}`);
    }
    if ((await deps.ledger.confirm(record, now, signal)) === 'confirmed') {
      (deps.metrics ?? noMetrics).add('HoldsConfirmed', 1);
      return { ...record, status: 'CONFIRMED', confirmedAt: now };
    }
    // The expiry, a cancel or a concurrent confirm moved it first: read again and answer from it.
  }
  throw new ConflictError('NOT_CONFIRMABLE', 'The deduction changed while it was being confirmed; retry');
}
