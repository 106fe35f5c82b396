import type { SourceKind } from '../product/types.js';

/** One catalog item change, from a stream record (new image, and old image when modified). */
export interface CatalogChange {
  /** Stream sequence number: the checkpoint reported on failure. */
  sequenceNumber: string;
  sku: string;
  kind: SourceKind;
  version: number;
  item: Record<string, unknown>;
  previous?: Record<string, unknown>;
}

/** Re-puts the newest item image into the DAX item cache (write-through), if it is still current. */
export interface ItemCacheRefresher {
  refresh(change: CatalogChange): Promise<'refreshed' | 'superseded'>;
}

/** The sold-out flag the deductions fast path reads. */
export interface SoldOutFlags {
  /** Sets the flag for `sku` as of `stockVersion`, unless a newer stock version already set it. */
  set(sku: string, soldOut: boolean, stockVersion: number): Promise<void>;
}

/** Called for every change that reaches the caches (the feed's static copies hook in here). */
export interface ChangeHook {
  productChanged(change: CatalogChange): Promise<void>;
}

export interface InvalidationDeps {
  itemCache: ItemCacheRefresher;
  soldOut: SoldOutFlags;
  hooks: ChangeHook[];
}

export interface InvalidationOutcome {
  processed: number;
  skipped: number;
  /** Sequence number to resume from (the first change that failed), if any. */
  failedAt?: string;
}

/**
 * Brings every cache in line with a batch of catalog changes. Idempotent and order-safe: each
 * write is conditional on versions, so replays and older records arriving after newer ones leave
 * every cache at the newest version. It never writes a catalog item in a way that changes it
 * (so it produces no new stream records for the items it watches), and records whose image did
 * not change are skipped.
 *
 * Within a batch only the newest version of each item is applied; on the first failure the
 * batch stops and reports that change's sequence number, so the event source retries from there.
 */
export async function processCatalogChanges(changes: readonly CatalogChange[], deps: InvalidationDeps): Promise<InvalidationOutcome> {
  const newest = new Map<string, CatalogChange>();
  const firstSeen = new Map<string, string>();
  let skipped = 0;
  for (const change of changes) {
    if (change.previous && sameImage(change.previous, change.item)) {
      skipped += 1;
      continue;
    }
    const key = `${change.kind}#${change.sku}`;
    if (!firstSeen.has(key)) firstSeen.set(key, change.sequenceNumber);
    const current = newest.get(key);
    if (current) skipped += 1;
    if (!current || change.version > current.version) newest.set(key, change);
  }
  let processed = 0;
  for (const [key, change] of newest) {
    try {
      await deps.itemCache.refresh(change);
      if (change.kind === 'stock') await updateSoldOut(change, changes, deps.soldOut);
      for (const hook of deps.hooks) await hook.productChanged(change);
      processed += 1;
    } catch {
      return { processed, skipped, failedAt: firstSeen.get(key) };
    }
  }
  return { processed, skipped };
}

/**
 * Writes the sold-out flag when stock crosses zero (or first appears). Looks at every record of
 * this SKU in the batch so a crossing inside a collapsed run of changes is not missed.
 */
async function updateSoldOut(newest: CatalogChange, all: readonly CatalogChange[], flags: SoldOutFlags): Promise<void> {
  const runs = all.filter((c) => c.kind === 'stock' && c.sku === newest.sku);
  const crossed = runs.some((c) => !c.previous || isSoldOut(c.previous) !== isSoldOut(c.item));
  if (crossed) await flags.set(newest.sku, isSoldOut(newest.item), newest.version);
}

const isSoldOut = (item: Record<string, unknown>) => Number(item.quantity ?? 0) <= 0;

function sameImage(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const k of keys) if (JSON.stringify(a[k]) !== JSON.stringify(b[k])) return false;
  return true;
}
