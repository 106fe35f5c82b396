import type { Clock } from '../clock.js';
import { type Metrics, noMetrics } from '../metrics.js';
import { allocateBatch } from './allocate.js';
import { jitteredBackoffMs, MAX_TRANSACTION_ACTIONS, unitChunks } from './chunks.js';
import type { DeductionStore, LedgerSnapshot, StockLedger } from './ports.js';
import { type Deduction, type DeductionMessage, deductionFromMessage, type RejectReason } from './types.js';

export interface BatchDeps {
  ledger: StockLedger;
  store: DeductionStore;
  clock: Clock;
  limitPerUser: number;
  /** How long a won deduction is held for its owner to confirm (ms). */
  holdMs: number;
  /** Max transaction actions (DynamoDB: 100). */
  maxTransactionActions?: number;
  /** Attempts per SKU group when a guard fails because someone else moved first. */
  maxAttempts?: number;
  /** Jittered pause between attempts. */
  sleep?: (ms: number) => Promise<void>;
  onEvent?: (event: BatchEvent) => void;
  /** Decisions by outcome and their latency, stock writes and their conflicts. */
  metrics?: Metrics;
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

/** One request this batch decided: what the consumer's log line names. */
export interface Decision {
  id: string;
  outcome: 'HELD' | RejectReason;
  correlationId?: string;
}

export interface BatchOutcome {
  /** SQS message ids to report as batch item failures (they come back after the visibility timeout). */
  failedMessageIds: string[];
  held: number;
  rejected: number;
  /** Every request this batch decided (a redelivered one decided earlier is not among them). */
  decided: Decision[];
  /** Committed writes to hot stock items. */
  stockWrites: number;
  conflicts: number;
}

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Decides a batch of queued deductions. Messages are grouped per SKU so each hot stock item takes
 * one transaction per chunk of winners instead of one write per request, and the losers are
 * rejected in bulk (up to 100 a transaction) rather than one write each. Winners are HELD until
 * `now + holdMs`. Requests already decided (a redelivery after they were applied) are skipped; a
 * SKU group whose guards keep failing, or whose writes error, is reported as failed so SQS
 * redelivers exactly those messages.
 */
export async function processDeductionBatch(messages: readonly ParsedMessage[], deps: BatchDeps): Promise<BatchOutcome> {
  const outcome: BatchOutcome = { failedMessageIds: [], held: 0, rejected: 0, decided: [], stockWrites: 0, conflicts: 0 };
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
  const metrics = deps.metrics ?? noMetrics;
  const ids = [...new Set(group.map((m) => m.message.id))];
  const owners = [...new Set(group.map((m) => m.message.owner))];
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const snapshot = await deps.ledger.snapshot(sku, ids, owners);
    const pending = await pendingRequests(group, snapshot, deps);
    if (pending.length === 0) return;
    const now = deps.clock.now();
    if (snapshot.stock === null) {
      await rejectAll(
        pending.map((deduction) => ({ deduction, reason: 'UNKNOWN_SKU' as const })),
        now,
        deps,
        outcome,
      );
      return;
    }
    const allocation = allocateBatch(pending, snapshot.stock.quantity, snapshot.holdings, deps.limitPerUser);
    let conflicted = false;
    // Winners first: a crash between the two steps leaves the losers QUEUED, and a redelivery
    // decides them again against the committed stock.
    for (const chunk of unitChunks(allocation.succeeded, deps.maxTransactionActions ?? MAX_TRANSACTION_ACTIONS)) {
      const result = await deps.ledger.hold(sku, chunk, deps.limitPerUser, now, now + deps.holdMs);
      if (result === 'conflict') {
        conflicted = true;
        break;
      }
      outcome.stockWrites += 1;
      outcome.held += chunk.deductions.length;
      for (const d of chunk.deductions) decided(d, 'HELD', now, deps, outcome);
      metrics.add('StockWrites', 1);
      deps.onEvent?.({ type: 'commit', sku, units: chunk.units, requests: chunk.deductions.length });
    }
    if (!conflicted) {
      await rejectAll(allocation.rejected, now, deps, outcome);
      return;
    }
    outcome.conflicts += 1;
    metrics.add('StockWriteConflicts', 1);
    deps.onEvent?.({ type: 'conflict', sku, attempt });
    await sleep(jitteredBackoffMs(attempt));
  }
  throw new Error(`SKU ${sku}: guards kept failing after ${maxAttempts} attempts`);
}

/** Rejects in bulk and records what this call rejected (one decided meanwhile is not its to count). */
async function rejectAll(
  rejections: ReadonlyArray<{ deduction: Deduction; reason: RejectReason }>,
  now: number,
  deps: BatchDeps,
  outcome: BatchOutcome,
): Promise<void> {
  if (rejections.length === 0) return;
  const rejected = new Set(
    await deps.ledger.reject(
      rejections.map((r) => ({ id: r.deduction.id, reason: r.reason })),
      now,
    ),
  );
  for (const r of rejections) if (rejected.has(r.deduction.id)) decided(r.deduction, r.reason, now, deps, outcome);
  outcome.rejected += rejected.size;
}

/** Records one decision: named in the outcome, counted by outcome, and its wait in the queue. */
function decided(d: Deduction, result: Decision['outcome'], now: number, deps: BatchDeps, outcome: BatchOutcome): void {
  outcome.decided.push({ id: d.id, outcome: result, ...(d.correlationId ? { correlationId: d.correlationId } : {}) });
  const metrics = deps.metrics ?? noMetrics;
  metrics.add('DeductionsDecided', 1, { Outcome: result });
  metrics.add('DecisionLatency', Math.max(0, now - d.createdAt));
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
