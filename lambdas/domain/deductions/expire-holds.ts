import type { Clock } from '../clock.js';
import { type Metrics, noMetrics } from '../metrics.js';
import { jitteredBackoffMs, MAX_TRANSACTION_ACTIONS, unitChunks } from './chunks.js';
import { expiryMessageOf } from './events.js';
import type { HoldTimers, StockLedger } from './ports.js';
import type { Deduction, HoldExpiryMessage } from './types.js';

export interface ExpiryDeps {
  ledger: StockLedger;
  timers: HoldTimers;
  clock: Clock;
  maxTransactionActions?: number;
  /** Attempts per SKU when a guard fails because something else moved first. */
  maxAttempts?: number;
  sleep?: (ms: number) => Promise<void>;
  onEvent?: (event: ExpiryEvent) => void;
  /** Counts the holds expired. */
  metrics?: Metrics;
}

export type ExpiryEvent =
  | {
      type: 'expired';
      sku: string;
      units: number;
      holds: number;
      latenessMs: number[];
      /** The holds expired, named (with their requests' correlation ids) for the log. */
      deductions: Array<{ id: string; correlationId?: string }>;
    }
  | { type: 'conflict'; sku: string; attempt: number }
  | { type: 'group-failed'; sku: string; error: unknown };

export interface ParsedExpiryMessage {
  messageId: string;
  message: HoldExpiryMessage;
}

export interface ExpiryOutcome {
  /** SQS message ids to report as batch item failures (they come back after the visibility timeout). */
  failedMessageIds: string[];
  expired: number;
  /** Timers whose time had not come, sent again with the delay that remains. */
  redelayed: number;
  /** Holds already confirmed, cancelled or expired (or gone): nothing to do. */
  settled: number;
  /** Committed stock writes: one per chunk of up to ~49 holds of a SKU. */
  stockWrites: number;
  conflicts: number;
}

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Expires the holds whose timers fired. A timer whose time has not come (SQS delays at most
 * 900 s, so a longer hold is re-delayed on the way) is sent again for the time that remains.
 * Due holds are grouped per SKU and expired in transactions of up to 100 actions: one stock write
 * gives back the units of every hold in it. Each hold is guarded by `status = HELD AND holdUntil
 * <= now`, so a hold confirmed or cancelled first (or expired by a duplicate timer) is left alone
 * and its units come back at most once. A SKU whose guards keep failing, or whose writes error,
 * is reported as failed so SQS redelivers exactly those timers.
 */
export async function expireHolds(messages: readonly ParsedExpiryMessage[], deps: ExpiryDeps): Promise<ExpiryOutcome> {
  const outcome: ExpiryOutcome = { failedMessageIds: [], expired: 0, redelayed: 0, settled: 0, stockWrites: 0, conflicts: 0 };
  const now = deps.clock.now();
  const early = messages.filter((m) => m.message.expiresAt > now);
  const due = messages.filter((m) => m.message.expiresAt <= now);

  const redelayFailures = await redelay(
    early.map((m) => m.message),
    deps,
  );
  for (const i of redelayFailures) outcome.failedMessageIds.push(early[i]?.messageId ?? '');
  outcome.redelayed += early.length - redelayFailures.length;

  const bySku = new Map<string, ParsedExpiryMessage[]>();
  for (const m of due) bySku.set(m.message.sku, [...(bySku.get(m.message.sku) ?? []), m]);
  await Promise.all(
    [...bySku].map(async ([sku, group]) => {
      try {
        await expireSku(sku, group, deps, outcome);
      } catch (error) {
        outcome.failedMessageIds.push(...group.map((m) => m.messageId));
        deps.onEvent?.({ type: 'group-failed', sku, error });
      }
    }),
  );
  return outcome;
}

async function expireSku(sku: string, group: readonly ParsedExpiryMessage[], deps: ExpiryDeps, outcome: ExpiryOutcome): Promise<void> {
  const maxAttempts = deps.maxAttempts ?? 10;
  const sleep = deps.sleep ?? defaultSleep;
  const ids = [...new Set(group.map((m) => m.message.id))];
  const redelayed = new Set<string>();
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const { records } = await deps.ledger.snapshot(sku, ids, []);
    const now = deps.clock.now();
    const held = [...records.values()].filter((d) => d.status === 'HELD');
    if (attempt === 1) outcome.settled += ids.length - held.length;
    const due = held.filter((d) => (d.holdUntil ?? 0) <= now);
    // The record is the authority: a timer that fired before its hold's deadline (by this
    // clock) is sent again rather than trusted.
    const notYet = held.filter((d) => (d.holdUntil ?? 0) > now && !redelayed.has(d.id));
    if (notYet.length) {
      const failures = await redelay(notYet.map(expiryMessageOf), deps);
      if (failures.length) throw new Error(`SKU ${sku}: ${failures.length} timer(s) could not be sent again`);
      for (const d of notYet) redelayed.add(d.id);
      outcome.redelayed += notYet.length;
    }
    if (due.length === 0) return;
    let conflicted = false;
    for (const chunk of unitChunks(due, deps.maxTransactionActions ?? MAX_TRANSACTION_ACTIONS)) {
      if ((await deps.ledger.expire(sku, chunk, now)) === 'conflict') {
        conflicted = true;
        break;
      }
      outcome.expired += chunk.deductions.length;
      outcome.stockWrites += 1;
      (deps.metrics ?? noMetrics).add('HoldsExpired', chunk.deductions.length);
      deps.onEvent?.({
        type: 'expired',
        sku,
        units: chunk.units,
        holds: chunk.deductions.length,
        latenessMs: chunk.deductions.map((d: Deduction) => now - (d.holdUntil ?? now)),
        deductions: chunk.deductions.map((d) => ({ id: d.id, ...(d.correlationId ? { correlationId: d.correlationId } : {}) })),
      });
    }
    if (!conflicted) return;
    // Re-read: what this attempt expired is no longer HELD, and neither is what beat it.
    outcome.conflicts += 1;
    deps.onEvent?.({ type: 'conflict', sku, attempt });
    await sleep(jitteredBackoffMs(attempt));
  }
  throw new Error(`SKU ${sku}: expiry guards kept failing after ${maxAttempts} attempts`);
}

/** Sends timers again for the time that remains; returns the indexes that could not be sent. */
function redelay(messages: readonly HoldExpiryMessage[], deps: ExpiryDeps): Promise<number[]> {
  if (messages.length === 0) return Promise.resolve([]);
  const now = deps.clock.now();
  return deps.timers
    .schedule(messages.map((message) => ({ message, delayMs: Math.max(0, message.expiresAt - now) })))
    .catch(() => messages.map((_, i) => i));
}
