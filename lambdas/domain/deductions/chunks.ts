import type { UnitChunk } from './ports.js';
import type { Deduction } from './types.js';

/** DynamoDB's limit on actions per TransactWriteItems. */
export const MAX_TRANSACTION_ACTIONS = 100;

/**
 * Splits one SKU's deductions into transactions of at most `maxActions` actions: one for the
 * stock item, one per request, one per distinct owner (their limit marker). Used to take units
 * (holds) and to give them back (expiry) alike, so each stock write covers as many requests as a
 * transaction can carry.
 */
export function unitChunks(deductions: readonly Deduction[], maxActions = MAX_TRANSACTION_ACTIONS): UnitChunk[] {
  const result: UnitChunk[] = [];
  let current: UnitChunk = { deductions: [], units: 0, unitsByOwner: new Map() };
  const actions = (c: UnitChunk) => 1 + c.deductions.length + c.unitsByOwner.size;
  for (const d of deductions) {
    const extra = 1 + (current.unitsByOwner.has(d.owner) ? 0 : 1);
    if (current.deductions.length > 0 && actions(current) + extra > maxActions) {
      result.push(current);
      current = { deductions: [], units: 0, unitsByOwner: new Map() };
    }
    current.deductions.push(d);
    current.units += d.quantity;
    current.unitsByOwner.set(d.owner, (current.unitsByOwner.get(d.owner) ?? 0) + d.quantity);
  }
  if (current.deductions.length > 0) result.push(current);
  return result;
}

/** Splits a list into runs of at most `size`. */
export function runsOf<T>(items: readonly T[], size: number): T[][] {
  const runs: T[][] = [];
  for (let i = 0; i < items.length; i += size) runs.push(items.slice(i, i + size));
  return runs;
}

/** Full jitter, exponential, capped: concurrent writers of one SKU spread out instead of colliding again. */
export const jitteredBackoffMs = (attempt: number, capMs = 250) => Math.floor(Math.random() * Math.min(capMs, 10 * 2 ** attempt));
