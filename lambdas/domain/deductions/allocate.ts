import type { Deduction, RejectReason } from './types.js';

export interface Allocation {
  succeeded: Deduction[];
  rejected: Array<{ deduction: Deduction; reason: RejectReason }>;
  /** Units taken from stock by `succeeded`. */
  units: number;
}

/**
 * Decides one SKU's pending requests against the stock on hand: first-come by accept time (ties
 * by id), each buyer (owner) capped at `limitPerUser` units of this SKU across all their requests. A
 * request that stock can no longer cover is rejected SOLD_OUT; a later, smaller one may still
 * fit. Pure: the caller commits the result atomically or not at all.
 *
 * @param available units in stock now (never negative)
 * @param unitsByOwner units each buyer already holds of this SKU (from the limit markers)
 */
export function allocateBatch(
  pending: readonly Deduction[],
  available: number,
  unitsByOwner: ReadonlyMap<string, number>,
  limitPerUser: number,
): Allocation {
  const ordered = [...pending].sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const held = new Map(unitsByOwner);
  let remaining = Math.max(0, available);
  const result: Allocation = { succeeded: [], rejected: [], units: 0 };
  for (const deduction of ordered) {
    const ownerUnits = held.get(deduction.owner) ?? 0;
    if (ownerUnits + deduction.quantity > limitPerUser) {
      result.rejected.push({ deduction, reason: 'LIMIT_EXCEEDED' });
    } else if (deduction.quantity > remaining) {
      result.rejected.push({ deduction, reason: 'SOLD_OUT' });
    } else {
      remaining -= deduction.quantity;
      held.set(deduction.owner, ownerUnits + deduction.quantity);
      result.succeeded.push(deduction);
      result.units += deduction.quantity;
    }
  }
  return result;
}
