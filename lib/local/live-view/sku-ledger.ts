import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { kindOfSortKey, soldOutFlagFromItem, soldOutFlagKey, stockFromItem } from '../../../lambdas/adapters/catalog-items.js';
import { decodeDeductionItem } from '../../../lambdas/adapters/deduction-items.js';

/** One SKU as the live view shows it. */
export interface SkuFigures {
  sku: string;
  /** Units in stock, as of the newest stock record seen (null until one is). */
  onHand: number | null;
  /** Units in HELD deductions. */
  held: number;
  /** Units sold: CONFIRMED deductions (SUCCEEDED before holds existed). */
  sold: number;
  /** The sold-out flag the stream processor keeps (null until it is written). */
  soldOut: boolean | null;
}

interface Entry extends SkuFigures {
  /** Records that touched it: what makes a SKU hot. */
  activity: number;
  lastSeen: number;
}

const SOLD = new Set(['CONFIRMED', 'SUCCEEDED']);
const DEFAULT_MAX_SKUS = 1_000;

/**
 * Per-SKU figures derived from the tables' stream records, as the local runtime's stream pollers
 * read them (no table is scanned): stock items give the units on hand, sold-out flags the flag,
 * and deduction requests moving between statuses the units held and sold. Item shapes are read
 * through their adapter modules (catalog-items.ts, deduction-items.ts).
 *
 * Held and sold are counted from transitions seen since the runtime started (the deductions table
 * starts empty with it), so they need the deductions table to have a stream.
 */
export class SkuLedger {
  private readonly skus = new Map<string, Entry>();
  private seq = 0;
  /** True once a deduction record was seen: held and sold are being tracked. */
  tracksDeductions = false;

  constructor(private readonly maxSkus = DEFAULT_MAX_SKUS) {}

  apply(record: DynamoDBRecord): void {
    if (record.eventName === 'REMOVE') return; // TTL deletions and clean-up: nothing was sold or returned
    const image = record.dynamodb?.NewImage;
    if (!image) return;
    const item = unmarshall(image as never) as Record<string, unknown>;
    const old = record.dynamodb?.OldImage ? (unmarshall(record.dynamodb.OldImage as never) as Record<string, unknown>) : undefined;
    const sku = typeof item.sku === 'string' ? item.sku : undefined;
    if (!sku) return;

    if (kindOfSortKey(item.sk) === 'stock') {
      this.entry(sku).onHand = stockFromItem(item).quantity;
      return;
    }
    if (item.sk === soldOutFlagKey(sku).sk) {
      this.entry(sku).soldOut = soldOutFlagFromItem(item)?.soldOut ?? null;
      return;
    }
    const now = decodeDeductionItem(item);
    if (!now || !('request' in now)) return;
    this.tracksDeductions = true;
    const before = old ? decodeDeductionItem(old) : undefined;
    const from: string = before && 'request' in before ? before.request.status : 'NONE';
    const to: string = now.request.status;
    const units = now.request.quantity;
    const entry = this.entry(sku);
    if (to === 'HELD' && from !== 'HELD') entry.held += units;
    if (from === 'HELD' && to !== 'HELD') entry.held -= units;
    if (SOLD.has(to) && !SOLD.has(from)) entry.sold += units;
    if (SOLD.has(from) && !SOLD.has(to)) entry.sold -= units;
  }

  /** Counts activity on `sku` without changing its figures (e.g. a request for it at the API). */
  touch(sku: string): void {
    this.entry(sku);
  }

  /** The `limit` SKUs with the most activity (the most recently active first among equals). */
  hot(limit: number): SkuFigures[] {
    return [...this.skus.values()]
      .sort((a, b) => b.activity - a.activity || b.lastSeen - a.lastSeen)
      .slice(0, limit)
      .map(({ sku, onHand, held, sold, soldOut }) => ({ sku, onHand, held, sold, soldOut }));
  }

  private entry(sku: string): Entry {
    let entry = this.skus.get(sku);
    if (!entry) {
      if (this.skus.size >= this.maxSkus) this.evictQuietest();
      entry = { sku, onHand: null, held: 0, sold: 0, soldOut: null, activity: 0, lastSeen: 0 };
      this.skus.set(sku, entry);
    }
    entry.activity += 1;
    entry.lastSeen = ++this.seq;
    return entry;
  }

  /** Bounded memory however many SKUs change: the least active one goes. */
  private evictQuietest(): void {
    let quietest: Entry | undefined;
    for (const e of this.skus.values()) if (!quietest || e.activity < quietest.activity) quietest = e;
    if (quietest) this.skus.delete(quietest.sku);
  }
}
