import { isCorrelationId } from '../domain/correlation.js';
import { type Deduction, type DeductionStatus, NEXT_STATUSES, type RejectReason } from '../domain/deductions/types.js';

/**
 * The deductions table's item shapes (docs/data-model.md), in one place:
 *   request       pk = DEDUCTION#<id>           sk = REQUEST  type = DEDUCTION
 *   limit marker  pk = LIMIT#<sku>#<owner>      sk = LIMIT    (units held of that SKU)
 * `owner` is the buyer's `sub`. `expiresAt` (epoch seconds) is the TTL attribute (retention);
 * a hold's deadline is `holdUntil` (epoch ms).
 */
export type DeductionItem = Record<string, unknown>;

const REQUEST_SK = 'REQUEST';
const LIMIT_SK = 'LIMIT';
/** The `type` of request items: what the table stream's filter selects (limit markers have none). */
export const REQUEST_ITEM_TYPE = 'DEDUCTION';
export const requestKey = (id: string) => ({ pk: `DEDUCTION#${id}`, sk: REQUEST_SK });
export const limitKey = (sku: string, owner: string) => ({ pk: `LIMIT#${sku}#${owner}`, sk: LIMIT_SK });

/**
 * Every status a request leaves QUEUED for: a write that stores one of these is a transition
 * subscribers hear of (the stream filter lets only these through).
 */
export const DECIDED_STATUSES = (Object.keys(NEXT_STATUSES) as DeductionStatus[]).filter((s) => s !== 'QUEUED');

/**
 * The final win before holds existed. Records stored with it were sold without a hold window:
 * they read as CONFIRMED (decided and confirmed when they succeeded), and cancel accepts them.
 */
export const LEGACY_SUCCEEDED = 'SUCCEEDED';

/**
 * Unsettled (QUEUED) requests expire after an hour: one whose enqueue failed does not claim QUEUED
 * for ever, and one still in a longer backlog is recreated from its message. Decided ones are
 * kept 30 days (a hold lasts at most an hour, so it is always decided long before).
 */
export const UNCONFIRMED_TTL_S = 60 * 60;
export const RETENTION_TTL_S = 30 * 24 * 60 * 60;
export const ttlFrom = (nowMs: number, seconds: number) => Math.floor(nowMs / 1000) + seconds;

export function requestItem(d: Deduction, expiresAt: number): DeductionItem {
  return { ...requestKey(d.id), type: REQUEST_ITEM_TYPE, ...d, expiresAt };
}

const optional = (value: unknown) => (typeof value === 'number' ? value : undefined);

export function deductionFromItem(item: DeductionItem): Deduction {
  const legacy = item.status === LEGACY_SUCCEEDED;
  const fields = {
    id: String(item.id),
    sku: String(item.sku),
    quantity: Number(item.quantity),
    owner: ownerOf(item),
    status: (legacy ? 'CONFIRMED' : item.status) as DeductionStatus,
    reason: item.reason ? (item.reason as RejectReason) : undefined,
    createdAt: Number(item.createdAt),
    decidedAt: optional(item.decidedAt) ?? (legacy ? optional(item.completedAt) : undefined),
    holdUntil: optional(item.holdUntil),
    confirmedAt: optional(item.confirmedAt) ?? (legacy ? optional(item.completedAt) : undefined),
    completedAt: legacy ? undefined : optional(item.completedAt),
    requestHash: String(item.requestHash),
    // Checked again on the way out: it is logged and published by whoever reads the record.
    correlationId: isCorrelationId(item.correlationId) ? item.correlationId : undefined,
  };
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as unknown as Deduction;
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

/** True when the item is a request with the fields every request has (a stream image, say). */
export function isRequestItem(item: DeductionItem): boolean {
  return (
    item.sk === REQUEST_SK &&
    typeof item.id === 'string' &&
    typeof item.sku === 'string' &&
    typeof item.quantity === 'number' &&
    typeof item.createdAt === 'number' &&
    (item.status === LEGACY_SUCCEEDED || (typeof item.status === 'string' && item.status in NEXT_STATUSES)) &&
    (typeof item.owner === 'string' || typeof item.userId === 'string')
  );
}

/** True when a TTL'd item is past its expiry (DynamoDB deletes expired items lazily, up to days later). */
export const isExpired = (item: DeductionItem, nowMs: number) => typeof item.expiresAt === 'number' && item.expiresAt * 1000 <= nowMs;

/** The TTL condition of a conditional put: true when no live item holds the key. */
export const absentOrExpired = (nowMs: number) => ({
  ConditionExpression: 'attribute_not_exists(pk) OR expiresAt <= :nowS',
  ExpressionAttributeValues: { ':nowS': Math.floor(nowMs / 1000) },
});
