import type { Stock } from '../product/types.js';
import type { Deduction, DeductionMessage, RejectReason } from './types.js';

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
  /** Units each named owner (buyer) already holds of this SKU. */
  holdings: Map<string, number>;
}

/** Requests to mark SUCCEEDED together, with the units they take in total and per owner. */
export interface SuccessChunk {
  deductions: Deduction[];
  units: number;
  unitsByOwner: Map<string, number>;
}

/**
 * The authoritative stock ledger. Each `commit` is one DynamoDB transaction: the stock item
 * decremented (guarded by quantity ≥ units, so it never goes below zero) with its version
 * raised, each request marked SUCCEEDED (guarded by QUEUED, which is what makes a redelivered
 * message change nothing) and each owner's limit marker raised (guarded by the per-user limit).
 * All or nothing.
 *
 * The stock update is deliberately not guarded by version: consumers working the same hot SKU
 * at once would cancel each other's transactions (measured: a 1,000-request batch stalled behind
 * exhausted retries), while the quantity guard alone already makes overselling impossible.
 */
export interface StockLedger {
  snapshot(sku: string, ids: readonly string[], owners: readonly string[]): Promise<LedgerSnapshot>;
  /** 'conflict' when a guard failed (stock moved, a request already final, a limit reached). */
  commit(sku: string, chunk: SuccessChunk, limitPerUser: number, now: number): Promise<'committed' | 'conflict'>;
  /** Marks one request REJECTED; a no-op when it is already final. */
  reject(id: string, reason: RejectReason, now: number): Promise<void>;
  /**
   * Gives a SUCCEEDED deduction's units back to stock and to its owner's limit, and marks it
   * CANCELLED, in one transaction. 'not-succeeded' when the record was no longer SUCCEEDED.
   */
  refund(deduction: Deduction, now: number, signal?: AbortSignal): Promise<'cancelled' | 'not-succeeded'>;
}
