/**
 * DynamoDB's capacity arithmetic and its per-partition ceiling, as the local proxy in front of
 * DynamoDB Local applies them (./dynamodb-proxy.ts). Pure: no I/O, time passed in.
 *
 * Sources:
 * - Item size: the sum of attribute name and value sizes (strings UTF-8 bytes, numbers ~1 byte per
 *   two significant digits + 1, binary raw bytes, null/boolean 1, list/map 3 + 1 per element)
 *   https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html
 * - Units: a read of up to 4 KB is 1 unit strongly consistent, 1/2 eventually consistent, 2
 *   transactional; a write of up to 1 KB is 1 unit, 2 transactional; BatchGetItem rounds each item
 *   on its own, Query the sum of what it read; a write is charged for the larger of the old and
 *   new item, and a failed condition still consumes it
 *   https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/read-write-operations.html,
 *   https://aws.amazon.com/dynamodb/pricing/on-demand/
 * - Ceiling: "each partition is limited to 1,000 write units per second and 3,000 read units per
 *   second", in on-demand and provisioned mode alike; past it DynamoDB throttles with the reason
 *   `Table{Read|Write}KeyRangeThroughputExceeded`, reads and writes independently
 *   https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/warm-throughput-scenarios.html,
 *   https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/throttling-key-range-limit-exceeded-mitigation.html,
 *   https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_ThrottlingReason.html
 *
 * Where this is coarser than DynamoDB: a partition here is one partition key value (a real
 * partition holds many and may split a hot item collection by sort key, never one item); its
 * allowance refills continuously with at most one second banked; global secondary indexes are
 * not charged.
 */

/** A DynamoDB attribute value on the wire (`{ S: "…" }`, `{ N: "…" }`, `{ M: {…} }`, …). */
export type WireValue = Record<string, unknown>;
export type WireItem = Record<string, WireValue>;

/** DynamoDB's documented per-partition limits (units per second). */
export const AWS_PARTITION_LIMITS = { writeUnitsPerSecond: 1000, readUnitsPerSecond: 3000 } as const;

export interface CeilingLimits {
  writeUnitsPerSecond: number;
  readUnitsPerSecond: number;
}

const utf8 = (s: string) => Buffer.byteLength(s, 'utf8');

/** Size in bytes of one attribute value (its name not included). */
export function valueSize(value: WireValue): number {
  const [type, v] = Object.entries(value)[0] ?? [];
  switch (type) {
    case 'S':
      return utf8(String(v));
    case 'N':
      return numberSize(String(v));
    case 'B':
      return Buffer.from(String(v), 'base64').length;
    case 'BOOL':
    case 'NULL':
      return 1;
    case 'SS':
      return (v as string[]).reduce((sum, s) => sum + utf8(s), 0);
    case 'NS':
      return (v as string[]).reduce((sum, n) => sum + numberSize(n), 0);
    case 'BS':
      return (v as string[]).reduce((sum, b) => sum + Buffer.from(b, 'base64').length, 0);
    case 'L':
      return 3 + (v as WireValue[]).reduce((sum, e) => sum + 1 + valueSize(e), 0);
    case 'M':
      return 3 + Object.entries(v as WireItem).reduce((sum, [k, e]) => sum + 1 + utf8(k) + valueSize(e), 0);
    default:
      return 0;
  }
}

/** ~1 byte per two significant digits, plus 1 (leading and trailing zeros trimmed). */
function numberSize(n: string): number {
  const digits = n
    .replace(/^[-+]/, '')
    .replace(/[eE].*$/, '')
    .replace('.', '')
    .replace(/^0+/, '')
    .replace(/0+$/, '');
  return Math.ceil(Math.max(1, digits.length) / 2) + 1;
}

/** Size in bytes of an item: every attribute's name and value. */
export function itemSize(item: WireItem): number {
  let size = 0;
  for (const [name, value] of Object.entries(item)) size += utf8(name) + valueSize(value);
  return size;
}

export type ReadConsistency = 'eventual' | 'strong' | 'transactional';

/** Read units for `bytes` read at once (one item, or what one Query/Scan page read). */
export function readUnits(bytes: number, consistency: ReadConsistency): number {
  const blocks = Math.max(1, Math.ceil(bytes / 4096));
  return blocks * (consistency === 'eventual' ? 0.5 : consistency === 'strong' ? 1 : 2);
}

/** Write units for one item whose larger image (old or new) is `bytes`. */
export function writeUnits(bytes: number, transactional = false): number {
  return Math.max(1, Math.ceil(bytes / 1024)) * (transactional ? 2 : 1);
}

/**
 * Per-partition allowances: a token bucket per (table, partition key value) for reads and one for
 * writes, refilled continuously at the limit and holding at most one second of it. A request is
 * admitted when every partition it touches has its units left, and then charged; the charge can
 * be corrected once the real size is known (`adjust`). Idle buckets are forgotten.
 */
export class PartitionCeiling {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private limits: CeilingLimits,
    private readonly now: () => number = () => performance.now(),
  ) {}

  setLimits(limits: CeilingLimits): void {
    this.limits = limits;
    this.buckets.clear();
  }

  get current(): CeilingLimits {
    return { ...this.limits };
  }

  /**
   * Admits `charges` (all or nothing) and returns [], or returns the indexes of the charges whose
   * partition has not enough left (nothing is charged then).
   */
  tryCharge(charges: ReadonlyArray<{ partition: string; kind: 'read' | 'write'; units: number }>): number[] {
    const need = new Map<string, number>();
    for (const c of charges) need.set(bucketKey(c), (need.get(bucketKey(c)) ?? 0) + c.units);
    const short = new Set<string>();
    for (const [key, units] of need) if (this.level(key) < units) short.add(key);
    if (short.size > 0) return charges.flatMap((c, i) => (short.has(bucketKey(c)) ? [i] : []));
    for (const [key, units] of need) this.take(key, units);
    return [];
  }

  /** Charges (or refunds, when negative) `units` without admission: a correction after the fact. */
  adjust(partition: string, kind: 'read' | 'write', units: number): void {
    if (units !== 0) this.take(bucketKey({ partition, kind }), units);
  }

  /** Units left now in a partition's bucket (for tests and status). */
  level(key: string): number {
    const bucket = this.refill(key);
    return bucket.tokens;
  }

  private take(key: string, units: number): void {
    const bucket = this.refill(key);
    bucket.tokens -= units;
  }

  private refill(key: string): { tokens: number; at: number } {
    const rate = key.startsWith('w|') ? this.limits.writeUnitsPerSecond : this.limits.readUnitsPerSecond;
    const now = this.now();
    let bucket = this.buckets.get(key);
    if (!bucket) {
      if (this.buckets.size > 100_000) this.forgetFull(now);
      bucket = { tokens: rate, at: now };
      this.buckets.set(key, bucket);
    }
    bucket.tokens = Math.min(rate, bucket.tokens + ((now - bucket.at) / 1000) * rate);
    bucket.at = now;
    return bucket;
  }

  /** Drops buckets that have refilled completely: they are indistinguishable from new ones. */
  private forgetFull(now: number): void {
    for (const [key, bucket] of this.buckets) {
      const rate = key.startsWith('w|') ? this.limits.writeUnitsPerSecond : this.limits.readUnitsPerSecond;
      if (bucket.tokens + ((now - bucket.at) / 1000) * rate >= rate) this.buckets.delete(key);
    }
  }
}

/** The bucket of one partition for one kind of access. */
export function bucketKey(c: { partition: string; kind: 'read' | 'write' }): string {
  return `${c.kind === 'write' ? 'w' : 'r'}|${c.partition}`;
}

/** The partition a key belongs to: its table and partition key value. */
export function partitionOf(table: string, hashKeyAttribute: string, key: WireItem): string {
  return `${table}|${JSON.stringify(key[hashKeyAttribute] ?? null)}`;
}
