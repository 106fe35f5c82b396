import type { Stock } from '../product/types.js';
import type { Deduction, DeductionMessage, DeductionStatus, HoldExpiryMessage, RejectReason } from './types.js';

/**
 * Durable record of deduction requests (the idempotency record is the request itself). `signal`
 * aborts a call still in flight when the request's deadline passes.
 */
export interface DeductionStore {
  /**
   * Records `deduction` unless its id exists. Returns the stored record: the new one, or the
   * existing one when the id was already taken (an idempotent retry or a reused key).
   */
  createIfAbsent(deduction: Deduction, signal?: AbortSignal): Promise<{ created: boolean; record: Deduction }>;
  /** The record, or null when there is none (or it has expired). */
  get(id: string, signal?: AbortSignal): Promise<Deduction | null>;
  /** Removes a record whose message was certainly not enqueued, only while it is still QUEUED. */
  discardUnqueued(id: string, signal?: AbortSignal): Promise<void>;
}

/** The queue certainly did not take the message: it refused it, or it was never sent. */
export class MessageNotSentError extends Error {
  override readonly name = 'MessageNotSentError';
}

export interface DeductionQueue {
  /**
   * Puts the message on the queue.
   * @throws MessageNotSentError when the message certainly was not enqueued. Any other failure
   *   (a timeout, an abort, a connection lost mid-request) means it may have been.
   */
  enqueue(message: DeductionMessage, signal?: AbortSignal): Promise<void>;
}

export type Availability = 'unknown' | 'sold-out' | 'available';

/** What the sold-out fast path knows of a SKU (at most about 1 s stale). */
export interface AvailabilityView {
  availability(sku: string): Promise<Availability>;
}

/** What the consumer must know about one SKU before allocating (read strongly consistent). */
export interface LedgerSnapshot {
  /** null when the SKU has no stock item (unknown SKU). */
  stock: Stock | null;
  /** The named requests that exist, by id. */
  records: Map<string, Deduction>;
  /** Units each named owner (buyer) already holds of this SKU (HELD + CONFIRMED). */
  holdings: Map<string, number>;
}

/** Deductions of one SKU moved together: the units they take or give back, in total and per owner. */
export interface UnitChunk {
  deductions: Deduction[];
  units: number;
  unitsByOwner: Map<string, number>;
}

/** A QUEUED request to mark REJECTED, and why. */
export interface Rejection {
  id: string;
  reason: RejectReason;
}

/**
 * The authoritative stock ledger. Every method that moves units is one DynamoDB transaction that
 * changes the stock item, the requests and their owners' limit markers together, each request
 * guarded by the status it leaves: that guard is what makes a redelivered message, a repeated
 * call or a race between two transitions change things at most once.
 *
 * The stock update is deliberately not guarded by version: consumers working the same hot SKU
 * at once would cancel each other's transactions (measured: a 1,000-request batch stalled behind
 * exhausted retries), while the quantity guard alone already makes overselling impossible.
 */
export interface StockLedger {
  snapshot(sku: string, ids: readonly string[], owners: readonly string[]): Promise<LedgerSnapshot>;
  /**
   * Takes the chunk's units from stock (guarded by quantity ≥ units), marks each request HELD
   * until `holdUntil` (guarded by QUEUED) and raises each owner's marker (guarded by the limit).
   * 'conflict' when a guard failed (stock moved, a request already decided, a limit reached).
   */
  hold(sku: string, chunk: UnitChunk, limitPerUser: number, now: number, holdUntil: number): Promise<'committed' | 'conflict'>;
  /**
   * Marks QUEUED requests REJECTED, in bulk (up to 100 a transaction), each guarded by QUEUED:
   * one decided meanwhile is left as it is. Returns the ids this call rejected.
   */
  reject(rejections: readonly Rejection[], now: number): Promise<string[]>;
  /** HELD → CONFIRMED, guarded by HELD and a deadline still ahead of `now`. */
  confirm(deduction: Deduction, now: number, signal?: AbortSignal): Promise<'confirmed' | 'not-held'>;
  /**
   * HELD (deadline ahead of `now`) or CONFIRMED → CANCELLED, giving the units back to stock and to
   * the owner's limit in the same transaction. 'not-cancellable' when it was neither any more.
   */
  cancel(deduction: Deduction, now: number, signal?: AbortSignal): Promise<'cancelled' | 'not-cancellable'>;
  /**
   * HELD (deadline at or before `now`) → EXPIRED for every hold of the chunk, giving their units
   * back to stock in one write and to their owners' limits, in one transaction. 'conflict' when a
   * guard failed (one was confirmed or cancelled first, or another writer held the items).
   */
  expire(sku: string, chunk: UnitChunk, now: number): Promise<'committed' | 'conflict'>;
}

/** Delayed expiry timers for holds (an SQS queue with per-message delays). */
export interface HoldTimers {
  /**
   * Schedules each message to be delivered no sooner than `delayMs` from now (a longer delay than
   * the queue allows arrives early and is sent again). Returns the indexes that could not be sent.
   */
  schedule(timers: ReadonlyArray<{ message: HoldExpiryMessage; delayMs: number }>): Promise<number[]>;
}

/** A committed transition of one deduction, as subscribers are told of it. */
export interface DeductionTransition {
  deduction: Deduction;
  /** null when the record appeared already past QUEUED (recreated by the consumer, say). */
  previousStatus: DeductionStatus | null;
}

/** Where transitions are published (an EventBridge bus). */
export interface DeductionEvents {
  /**
   * Publishes every transition (at least once). Returns the indexes of those that could not be
   * published, so their source records are retried.
   */
  publish(transitions: readonly DeductionTransition[]): Promise<number[]>;
}
