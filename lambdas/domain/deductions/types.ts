export type DeductionStatus = 'QUEUED' | 'SUCCEEDED' | 'REJECTED' | 'CANCELLED';
export type RejectReason = 'SOLD_OUT' | 'LIMIT_EXCEEDED' | 'UNKNOWN_SKU';

/** A stock deduction request as recorded durably before it is queued. */
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
  completedAt?: number;
  /** Hash of the request body, to tell a retry from a reused idempotency key. */
  requestHash: string;
}

export interface DeductionInput {
  sku: string;
  quantity: number;
  owner: string;
}

/**
 * The public view served by GET /v1/deductions/{id}: only its owner ever sees it, and it carries
 * nothing about the buyer (no owner, no user id) that the caller did not already know.
 */
export function deductionView(d: Deduction) {
  return {
    id: d.id,
    sku: d.sku,
    quantity: d.quantity,
    status: d.status,
    ...(d.reason ? { reason: d.reason } : {}),
    createdAt: new Date(d.createdAt).toISOString(),
    ...(d.completedAt ? { completedAt: new Date(d.completedAt).toISOString() } : {}),
  };
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
}

/** The queue message for a recorded request. */
export function messageOf(d: Deduction): DeductionMessage {
  return { v: 2, id: d.id, sku: d.sku, quantity: d.quantity, owner: d.owner, createdAt: d.createdAt, requestHash: d.requestHash };
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
  };
}
