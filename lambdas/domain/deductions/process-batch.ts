import type { Clock } from '../clock.js';
import { allocateBatch } from './allocate.js';
import type { DeductionStore, LedgerSnapshot, StockLedger, SuccessChunk } from './ports.js';
import { type Deduction, type DeductionMessage, deductionFromMessage } from './types.js';

export interface BatchDeps {
  ledger: StockLedger;
  store: DeductionStore;
  clock: Clock;
  limitPerUser: number;
  /** Max transaction actions (DynamoDB: 100). */
  maxTransactionActions?: number;
  /** Attempts per SKU group when a guard fails because someone else moved first. */
  maxAttempts?: number;
  /** Jittered pause between attempts. */
  sleep?: (ms: number) => Promise<void>;
  onEvent?: (event: BatchEvent) => void;
}

export type BatchEvent =
  | { type: 'commit'; sku: string; units: number; requests: number }
  | { type: 'conflict'; sku: string; attempt: number }
  | { type: 'recreated'; id: string }
  | { type: 'group-failed'; sku: string; error: unknown };

export interface ParsedMessage {
  messageId: string;
  message: DeductionMessage;
}

export interface BatchOutcome {
  /** SQS message ids to report as batch item failures (they come back after the visibility timeout). */
  failedMessageIds: string[];
  succeeded: number;
  rejected: number;
  /** Committed writes to hot stock items. */
  stockWrites: number;
  conflicts: number;
}

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Settles a batch of queued deductions. Messages are grouped per SKU so each hot stock item takes
 * one transaction per chunk of requests instead of one write per request. Requests already final
 * (a redelivery after they were applied) are skipped; a SKU group whose guards keep failing, or
 * whose writes error, is reported as failed so SQS redelivers exactly those messages.
 */
export async function processDeductionBatch(messages: readonly ParsedMessage[], deps: BatchDeps): Promise<BatchOutcome> {
  const outcome: BatchOutcome = { failedMessageIds: [], succeeded: 0, rejected: 0, stockWrites: 0, conflicts: 0 };
  const bySku = new Map<string, ParsedMessage[]>();
  for (const m of messages) bySku.set(m.message.sku, [...(bySku.get(m.message.sku) ?? []), m]);
  await Promise.all(
    [...bySku].map(async ([sku, group]) => {
      try {
        await settleSku(sku, group, deps, outcome);
      } catch (error) {
        // Only this SKU's messages come back; the other groups of the batch are unaffected.
        outcome.failedMessageIds.push(...group.map((m) => m.messageId));
        deps.onEvent?.({ type: 'group-failed', sku, error });
      }
    }),
  );
  return outcome;
}

async function settleSku(sku: string, group: readonly ParsedMessage[], deps: BatchDeps, outcome: BatchOutcome): Promise<void> {
  const maxAttempts = deps.maxAttempts ?? 10;
  const sleep = deps.sleep ?? defaultSleep;
  const ids = [...new Set(group.map((m) => m.message.id))];
  const owners = [...new Set(group.map((m) => m.message.owner))];
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const snapshot = await deps.ledger.snapshot(sku, ids, owners);
    const pending = await pendingRequests(group, snapshot, deps);
    if (pending.length === 0) return;
    const now = deps.clock.now();
    if (snapshot.stock === null) {
      await rejectAll(
        pending.map((d) => [d, 'UNKNOWN_SKU'] as const),
        deps,
        now,
        outcome,
      );
      return;
    }
    const allocation = allocateBatch(pending, snapshot.stock.quantity, snapshot.holdings, deps.limitPerUser);
    let conflicted = false;
    // Successes first: a crash between the two steps leaves the rejected ones QUEUED, and a
    // redelivery decides them again against the committed stock.
    for (const chunk of chunks(allocation.succeeded, deps.maxTransactionActions ?? 100)) {
      const result = await deps.ledger.commit(sku, chunk, deps.limitPerUser, now);
      if (result === 'conflict') {
        conflicted = true;
        break;
      }
      outcome.stockWrites += 1;
      outcome.succeeded += chunk.deductions.length;
      deps.onEvent?.({ type: 'commit', sku, units: chunk.units, requests: chunk.deductions.length });
    }
    if (!conflicted) {
      await rejectAll(
        allocation.rejected.map((r) => [r.deduction, r.reason] as const),
        deps,
        now,
        outcome,
      );
      return;
    }
    outcome.conflicts += 1;
    deps.onEvent?.({ type: 'conflict', sku, attempt });
    // Full jitter, exponential: concurrent consumers of one SKU spread out instead of colliding again.
    await sleep(Math.floor(Math.random() * Math.min(250, 10 * 2 ** attempt)));
  }
  throw new Error(`SKU ${sku}: guards kept failing after ${maxAttempts} attempts`);
}

/** QUEUED requests of the group; recreates records missing for a queued message. */
async function pendingRequests(group: readonly ParsedMessage[], snapshot: LedgerSnapshot, deps: BatchDeps): Promise<Deduction[]> {
  const pending = new Map<string, Deduction>();
  for (const { message } of group) {
    if (pending.has(message.id)) continue;
    let record = snapshot.records.get(message.id);
    if (!record) {
      record = (await deps.store.createIfAbsent(deductionFromMessage(message))).record;
      deps.onEvent?.({ type: 'recreated', id: message.id });
    }
    if (record.status === 'QUEUED') pending.set(record.id, record);
  }
  return [...pending.values()];
}

async function rejectAll(
  rejections: ReadonlyArray<readonly [Deduction, 'SOLD_OUT' | 'LIMIT_EXCEEDED' | 'UNKNOWN_SKU']>,
  deps: BatchDeps,
  now: number,
  outcome: BatchOutcome,
): Promise<void> {
  const queue = [...rejections];
  const worker = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      await deps.ledger.reject(next[0].id, next[1], now);
      outcome.rejected += 1;
    }
  };
  await Promise.all(Array.from({ length: Math.min(16, queue.length) }, worker));
}

/**
 * Splits successes into transactions of at most `maxActions` actions: one for the stock item,
 * one per request, one per distinct owner (their limit marker).
 */
export function chunks(succeeded: readonly Deduction[], maxActions: number): SuccessChunk[] {
  const result: SuccessChunk[] = [];
  let current: SuccessChunk = { deductions: [], units: 0, unitsByOwner: new Map() };
  const actions = (c: SuccessChunk) => 1 + c.deductions.length + c.unitsByOwner.size;
  for (const d of succeeded) {
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
