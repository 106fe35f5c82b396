import type { Deduction, RejectReason } from '../domain/deductions/types.js';

/**
 * Deductions table layout (docs/data-model.md):
 *   request       pk = DEDUCTION#<id>           sk = REQUEST
 *   limit marker  pk = LIMIT#<sku>#<userId>     sk = LIMIT    (units held of that SKU)
 * `expiresAt` (epoch seconds) is the TTL attribute.
 */
export const requestKey = (id: string) => ({ pk: `DEDUCTION#${id}`, sk: 'REQUEST' });
export const limitKey = (sku: string, userId: string) => ({ pk: `LIMIT#${sku}#${userId}`, sk: 'LIMIT' });

/**
 * Unsettled (QUEUED) requests expire after an hour: one whose enqueue failed does not claim QUEUED
 * for ever, and one still in a longer backlog is recreated from its message. Settled ones are
 * kept 30 days.
 */
export const UNCONFIRMED_TTL_S = 60 * 60;
export const RETENTION_TTL_S = 30 * 24 * 60 * 60;
export const ttlFrom = (nowMs: number, seconds: number) => Math.floor(nowMs / 1000) + seconds;

export function requestItem(d: Deduction, expiresAt: number): Record<string, unknown> {
  return { ...requestKey(d.id), type: 'DEDUCTION', ...d, expiresAt };
}

export function deductionFromItem(item: Record<string, unknown>): Deduction {
  return {
    id: String(item.id),
    sku: String(item.sku),
    quantity: Number(item.quantity),
    userId: String(item.userId),
    status: item.status as Deduction['status'],
    ...(item.reason ? { reason: item.reason as RejectReason } : {}),
    createdAt: Number(item.createdAt),
    ...(item.completedAt ? { completedAt: Number(item.completedAt) } : {}),
    requestHash: String(item.requestHash),
  };
}

/** True when a TTL'd item is past its expiry (DynamoDB deletes expired items lazily, up to days later). */
export const isExpired = (item: Record<string, unknown>, nowMs: number) =>
  typeof item.expiresAt === 'number' && item.expiresAt * 1000 <= nowMs;
