/**
 * A deduction's life (docs/deductions.md has the diagram):
 *
 *   QUEUED → HELD | REJECTED          the consumer decides
 *   HELD → CONFIRMED | EXPIRED | CANCELLED
 *   CONFIRMED → CANCELLED             a refund
 *
 * HELD and CONFIRMED hold units out of stock (and count against the owner's limit); every
 * transition out of them gives the units back exactly once, guarded by the status it leaves.
 * `SUCCEEDED`, the final win before holds, is gone: records stored with it read as CONFIRMED
 * (lambdas/adapters/deduction-items.ts).
 */
export type DeductionStatus = 'QUEUED' | 'HELD' | 'REJECTED' | 'CONFIRMED' | 'EXPIRED' | 'CANCELLED';
export type RejectReason = 'SOLD_OUT' | 'LIMIT_EXCEEDED' | 'UNKNOWN_SKU';

/** Where each status may go next: every arrow is one guarded write. */
export const NEXT_STATUSES: Readonly<Record<DeductionStatus, readonly DeductionStatus[]>> = {
  QUEUED: ['HELD', 'REJECTED'],
  HELD: ['CONFIRMED', 'EXPIRED', 'CANCELLED'],
  CONFIRMED: ['CANCELLED'],
  REJECTED: [],
  EXPIRED: [],
  CANCELLED: [],
};

/** True while a deduction has its units out of stock and counted against its owner's limit. */
export const holdsUnits = (status: DeductionStatus): boolean => status === 'HELD' || status === 'CONFIRMED';

/** A stock deduction request as recorded durably before it is queued, and what became of it. */
export interface Deduction {
  id: string;
  sku: string;
  quantity: number;
  /** Who asked: the caller's `sub` (from the authorizer's claims, never from the request). */
  owner: string;
  status: DeductionStatus;
  reason?: RejectReason;
  /** Epoch ms when the API accepted it: the first-come order of the consumer. */
  createdAt: number;
  /** Epoch ms when the consumer decided it (HELD or REJECTED). */
  decidedAt?: number;
  /** Epoch ms when the hold ends unless confirmed first: set with HELD and never changed. */
  holdUntil?: number;
  /** Epoch ms when the owner confirmed it. */
  confirmedAt?: number;
  /** Epoch ms when it ended: REJECTED, EXPIRED or CANCELLED. */
  completedAt?: number;
  /** Hash of the request body, to tell a retry from a reused idempotency key. */
  requestHash: string;
  /**
   * The correlation id of the request that created it (lambdas/domain/correlation.ts): it rides
   * the queue message and the table's stream, so every log line about the deduction can name it.
   */
  correlationId?: string;
}

export interface DeductionInput {
  sku: string;
  quantity: number;
  owner: string;
  /** The creating request's correlation id (kept by the record; a retry keeps the first one). */
  correlationId?: string;
}

/**
 * The public view served by GET /v1/deductions/{id}: only its owner ever sees it, and it carries
 * nothing about the buyer (no owner, no user id) that the caller did not already know. `expiresAt`
 * is the hold's deadline, shown while it is HELD.
 */
export function deductionView(d: Deduction): DeductionView {
  const at = (name: 'decidedAt' | 'expiresAt' | 'confirmedAt' | 'completedAt', ms: number | undefined) =>
    ms === undefined ? {} : { [name]: new Date(ms).toISOString() };
  return {
    id: d.id,
    sku: d.sku,
    quantity: d.quantity,
    status: d.status,
    ...(d.reason ? { reason: d.reason } : {}),
    createdAt: new Date(d.createdAt).toISOString(),
    ...at('decidedAt', d.decidedAt),
    ...at('expiresAt', d.status === 'HELD' ? d.holdUntil : undefined),
    ...at('confirmedAt', d.confirmedAt),
    ...at('completedAt', d.completedAt),
  };
}

/** What GET /v1/deductions/{id}, confirm and cancel answer (times ISO 8601). */
export interface DeductionView {
  id: string;
  sku: string;
  quantity: number;
  status: DeductionStatus;
  reason?: RejectReason;
  createdAt: string;
  decidedAt?: string;
  /** The hold's deadline, while it is HELD. */
  expiresAt?: string;
  confirmedAt?: string;
  completedAt?: string;
}

/**
 * The message put on the queue. It carries the whole request so the consumer can recreate a
 * record that is missing (removed after an enqueue that reported failure but succeeded).
 */
export interface DeductionMessage {
  v: 2;
  id: string;
  sku: string;
  quantity: number;
  owner: string;
  createdAt: number;
  requestHash: string;
  /** Travels beside the body, as a message attribute (lambdas/adapters/deduction-messages.ts). */
  correlationId?: string;
}

/** The queue message for a recorded request. */
export function messageOf(d: Deduction): DeductionMessage {
  return {
    v: 2,
    id: d.id,
    sku: d.sku,
    quantity: d.quantity,
    owner: d.owner,
    createdAt: d.createdAt,
    requestHash: d.requestHash,
    ...(d.correlationId ? { correlationId: d.correlationId } : {}),
  };
}

export function deductionFromMessage(m: DeductionMessage): Deduction {
  return {
    id: m.id,
    sku: m.sku,
    quantity: m.quantity,
    owner: m.owner,
    status: 'QUEUED',
    createdAt: m.createdAt,
    requestHash: m.requestHash,
    ...(m.correlationId ? { correlationId: m.correlationId } : {}),
  };
}

/**
 * A hold's expiry timer: sent (delayed) for every new HELD deduction, and again while its time has
 * not come. The record stays the authority: the message only says when to look.
 */
export interface HoldExpiryMessage {
  v: 1;
  id: string;
  sku: string;
  /** Epoch ms: the hold's deadline (`holdUntil`). */
  expiresAt: number;
}
