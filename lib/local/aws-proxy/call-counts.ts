/**
 * What the local AWS proxies count: every call, by caller (the hosted function or event source
 * that made it) and by `service.Operation`, with the units AWS would bill for it. Plain data, so
 * it crosses the proxy process's IPC channel and lands in benchmark results as is.
 */

export interface CallStats {
  calls: number;
  /** Calls (or, for batches, items) refused by the partition ceiling. */
  throttled: number;
  /** Calls the emulator answered with an error (a failed condition included). */
  errors: number;
  /** DynamoDB read and write request units, as on-demand billing counts them. */
  readUnits: number;
  writeUnits: number;
  /** SQS: billed requests (each 64 KB chunk of a payload is one). */
  billedRequests: number;
  /** Request payload bytes. */
  bytes: number;
}

/** caller → `service.Operation` → stats. */
export type CallCounts = Record<string, Record<string, CallStats>>;

/** Calls made outside any hosted function or event source (provisioning, status, the benches' own checks). */
export const UNATTRIBUTED = 'local-runtime';

export const emptyStats = (): CallStats => ({
  calls: 0,
  throttled: 0,
  errors: 0,
  readUnits: 0,
  writeUnits: 0,
  billedRequests: 0,
  bytes: 0,
});

export class CallCounter {
  private readonly counts: CallCounts = {};

  record(caller: string | undefined, operation: string, delta: Partial<CallStats>): void {
    const byOperation = entry<Record<string, CallStats>>(this.counts, caller || UNATTRIBUTED, () => ({}));
    const stats = entry(byOperation, operation, emptyStats);
    for (const [k, v] of Object.entries(delta) as Array<[keyof CallStats, number]>) stats[k] += v;
  }

  snapshot(): CallCounts {
    return structuredClone(this.counts);
  }
}

/** What happened between two snapshots. */
export function diffCounts(after: CallCounts, before: CallCounts): CallCounts {
  const out: CallCounts = {};
  for (const [caller, ops] of Object.entries(after)) {
    for (const [op, stats] of Object.entries(ops)) {
      const prior = before[caller]?.[op] ?? emptyStats();
      const delta = emptyStats();
      let any = false;
      for (const k of Object.keys(delta) as Array<keyof CallStats>) {
        delta[k] = stats[k] - prior[k];
        if (delta[k] !== 0) any = true;
      }
      if (any) entry<Record<string, CallStats>>(out, caller, () => ({}))[op] = delta;
    }
  }
  return out;
}

/** Totals by `service.Operation` over the callers `include` accepts. */
export function byOperation(counts: CallCounts, include: (caller: string) => boolean = () => true): Record<string, CallStats> {
  const out: Record<string, CallStats> = {};
  for (const [caller, ops] of Object.entries(counts)) {
    if (!include(caller)) continue;
    for (const [op, stats] of Object.entries(ops)) {
      const total = entry(out, op, emptyStats);
      for (const k of Object.keys(total) as Array<keyof CallStats>) total[k] += stats[k];
    }
  }
  return out;
}

function entry<T>(record: Record<string, T>, key: string, make: () => T): T {
  const found = record[key];
  if (found !== undefined) return found;
  const made = make();
  record[key] = made;
  return made;
}
