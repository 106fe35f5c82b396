import type { Clock } from '../clock.js';
import type { DeductionEvents, DeductionTransition, HoldTimers } from './ports.js';
import type { Deduction, DeductionStatus, HoldExpiryMessage } from './types.js';

/** The EventBridge `source` of every deduction event. */
export const DEDUCTION_EVENT_SOURCE = 'crest.deductions';

/** The EventBridge `detail-type` of a transition into `status`, e.g. `Deduction HELD`. */
export const detailTypeOf = (status: DeductionStatus) => `Deduction ${status}`;

/**
 * What subscribers receive as an event's `detail` (README, "A deduction's life, and its events"): the deduction
 * after the transition, the status it left, and when it happened. Times are ISO 8601; `expiresAt`
 * (the hold's deadline) is present on HELD and on what a hold became.
 */
export interface DeductionEventDetail {
  id: string;
  sku: string;
  quantity: number;
  /** The buyer's `sub`. */
  owner: string;
  status: DeductionStatus;
  previousStatus: DeductionStatus | null;
  reason?: string;
  expiresAt?: string;
  createdAt: string;
  decidedAt?: string;
  confirmedAt?: string;
  completedAt?: string;
  occurredAt: string;
  /** The correlation id of the request that created the deduction (absent on records older than it). */
  correlationId?: string;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** When the transition into the deduction's current status happened (falls back to `now`). */
export function occurredAt(d: Deduction, now: number): number {
  switch (d.status) {
    case 'HELD':
    case 'REJECTED':
      return d.decidedAt ?? now;
    case 'CONFIRMED':
      return d.confirmedAt ?? now;
    case 'EXPIRED':
    case 'CANCELLED':
      return d.completedAt ?? now;
    default:
      return now;
  }
}

export function eventDetail(t: DeductionTransition, now: number): DeductionEventDetail {
  const d = t.deduction;
  return {
    id: d.id,
    sku: d.sku,
    quantity: d.quantity,
    owner: d.owner,
    status: d.status,
    previousStatus: t.previousStatus,
    ...(d.reason ? { reason: d.reason } : {}),
    ...(d.holdUntil !== undefined ? { expiresAt: iso(d.holdUntil) } : {}),
    createdAt: iso(d.createdAt),
    ...(d.decidedAt !== undefined ? { decidedAt: iso(d.decidedAt) } : {}),
    ...(d.confirmedAt !== undefined ? { confirmedAt: iso(d.confirmedAt) } : {}),
    ...(d.completedAt !== undefined ? { completedAt: iso(d.completedAt) } : {}),
    occurredAt: iso(occurredAt(d, now)),
    ...(d.correlationId ? { correlationId: d.correlationId } : {}),
  };
}

/**
 * The transition one write of a request item made, or null when there is none to tell: a
 * request recorded (QUEUED is where a deduction starts, not a transition), or a write that left
 * the status as it was.
 */
export function transitionOf(before: Deduction | null, after: Deduction): DeductionTransition | null {
  if (after.status === 'QUEUED') return null;
  if (before && before.id === after.id && before.status === after.status) return null;
  return { deduction: after, previousStatus: before && before.id === after.id ? before.status : null };
}

/** One committed write of a request item, from the table's stream. */
export interface RequestChange {
  /** Where it is in the stream (the partial batch response names it). */
  position: string;
  before: Deduction | null;
  after: Deduction;
}

export interface TransitionDeps {
  events: DeductionEvents;
  timers: HoldTimers;
  clock: Clock;
}

export interface TransitionOutcome {
  /** Positions whose work failed, in stream order: the stream resumes at the first of them. */
  failedPositions: string[];
  published: number;
  timersScheduled: number;
}

/**
 * Turns committed request writes (the deductions table's stream) into what the rest of the world
 * hears: every transition published, and each new hold's expiry timer started. Because it runs
 * from the stream, a transition that committed is published at least once and publishing never
 * blocks or fails a transition. Timers go first: a hold must expire even when publishing fails
 * (a retry sends its timer again, which is harmless: expiry is guarded by status).
 */
export async function handleRequestChanges(changes: readonly RequestChange[], deps: TransitionDeps): Promise<TransitionOutcome> {
  const now = deps.clock.now();
  const found = changes.flatMap((c) => {
    const transition = transitionOf(c.before, c.after);
    return transition ? [{ position: c.position, transition }] : [];
  });
  const failed = new Set<string>();

  const holds = found.filter((f) => f.transition.deduction.status === 'HELD' && f.transition.deduction.holdUntil !== undefined);
  const timerFailures = await deps.timers
    .schedule(
      holds.map((h) => ({ message: expiryMessageOf(h.transition.deduction), delayMs: (h.transition.deduction.holdUntil ?? now) - now })),
    )
    .catch(() => holds.map((_, i) => i));
  for (const i of timerFailures) failed.add(holds[i]?.position ?? '');

  const eventFailures = await deps.events.publish(found.map((f) => f.transition)).catch(() => found.map((_, i) => i));
  for (const i of eventFailures) failed.add(found[i]?.position ?? '');

  return {
    failedPositions: changes.map((c) => c.position).filter((p) => failed.has(p)),
    published: found.length - eventFailures.length,
    timersScheduled: holds.length - timerFailures.length,
  };
}

/** The expiry timer of a HELD deduction. */
export function expiryMessageOf(d: Deduction): HoldExpiryMessage {
  return { v: 1, id: d.id, sku: d.sku, expiresAt: d.holdUntil ?? 0 };
}
