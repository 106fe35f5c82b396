import type { Deduction, RejectReason } from '../domain/deductions/types.js';

/**
 * The deductions table's item shapes (docs/data-model.md), in one place:
 *   request       pk = DEDUCTION#<id>           sk = REQUEST
 *   limit marker  pk = LIMIT#<sku>#<owner>      sk = LIMIT    (units held of that SKU)
 * `owner` is the buyer's `sub`. `expiresAt` (epoch seconds) is the TTL attribute.
 */
export type DeductionItem = Record<string, unknown>;

const REQUEST_SK = 'REQUEST';
const LIMIT_SK = 'LIMIT';
export const requestKey = (id: string) => ({ pk: `DEDUCTION#${id}`, sk: REQUEST_SK });
export const limitKey = (sku: string, owner: string) => ({ pk: `LIMIT#${sku}#${owner}`, sk: LIMIT_SK });

/**
 * Unsettled (QUEUED) requests expire after an hour: one whose enqueue failed does not claim QUEUED
 * for ever, and one still in a longer backlog is recreated from its message. Settled ones are
 * kept 30 days.
 */
export const UNCONFIRMED_TTL_S = 60 * 60;
export const RETENTION_TTL_S = 30 * 24 * 60 * 60;
export const ttlFrom = (nowMs: number, seconds: number) => Math.floor(nowMs / 1000) + seconds;

export function requestItem(d: Deduction, expiresAt: number): DeductionItem {
  return { ...requestKey(d.id), type: 'DEDUCTION', ...d, expiresAt };
}

export function deductionFromItem(item: DeductionItem): Deduction {
  return {
    id: String(item.id),
    sku: String(item.sku),
    quantity: Number(item.quantity),
    owner: ownerOf(item),
    status: item.status as Deduction['status'],
    ...(item.reason ? { reason: item.reason as RejectReason } : {}),
    createdAt: Number(item.createdAt),
    ...(item.completedAt ? { completedAt: Number(item.completedAt) } : {}),
    requestHash: String(item.requestHash),
  };
}

/**
 * The owner attribute. Items written before identity arrived name a `userId` instead (the client's
 * word then): read as the owner, they still settle and expire as written, and no token's `sub`
 * matches them.
 */
const ownerOf = (item: DeductionItem) => String(item.owner ?? item.userId);

/** A buyer's limit marker: the units of one SKU they hold. */
export interface LimitMarker {
  owner: string;
  units: number;
}

/** What an item read back from the table is: a request, a limit marker, or neither. */
export function decodeDeductionItem(item: DeductionItem): { request: Deduction } | { limit: LimitMarker } | undefined {
  if (item.sk === REQUEST_SK) return { request: deductionFromItem(item) };
  if (item.sk === LIMIT_SK) return { limit: { owner: ownerOf(item), units: Number(item.units ?? 0) } };
  return undefined;
}

/** True when a TTL'd item is past its expiry (DynamoDB deletes expired items lazily, up to days later). */
export const isExpired = (item: DeductionItem, nowMs: number) => typeof item.expiresAt === 'number' && item.expiresAt * 1000 <= nowMs;

/** The TTL condition of a conditional put: true when no live item holds the key. */
export const absentOrExpired = (nowMs: number) => ({
  ConditionExpression: 'attribute_not_exists(pk) OR expiresAt <= :nowS',
  ExpressionAttributeValues: { ':nowS': Math.floor(nowMs / 1000) },
});
