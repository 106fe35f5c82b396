import type { SourceKind } from '../product/types.js';

declare const storedImage: unique symbol;

/**
 * A catalog item exactly as the table holds it (a stream record's new image). Opaque to the
 * domain on purpose: the item cache is refreshed by writing this image back unchanged, and a
 * copy mapped through domain types would lose attributes the domain does not model, turning the
 * refresh into a real write that the stream would feed back. Only the catalog item adapter
 * (lambdas/adapters/catalog-items.ts) makes and reads these.
 */
export type StoredImage = { readonly [storedImage]: 'catalog item image' };

interface ChangeCommon {
  /** Stream sequence number: the checkpoint reported on failure. */
  sequenceNumber: string;
  sku: string;
  version: number;
  /** False when the stored item is identical before and after (a write that changed nothing). */
  changed: boolean;
  image: StoredImage;
}

/** One catalog item change, decoded from a stream record. */
export type CatalogChange =
  | (ChangeCommon & { kind: Exclude<SourceKind, 'stock'> })
  | (ChangeCommon & {
      kind: 'stock';
      quantity: number;
      /** Stock before the change; absent when the item is new. */
      previousQuantity?: number;
    });

export type StockChange = Extract<CatalogChange, { kind: 'stock' }>;

/** Re-puts the newest item image into the item cache (write-through), if that version is still current. */
export interface ItemCacheRefresher {
  refresh(image: StoredImage, version: number): Promise<'refreshed' | 'superseded'>;
}

/** The sold-out flag the deductions fast path reads. */
export interface SoldOutFlags {
  /** Sets the flag for `sku` as of `stockVersion`, unless a newer stock version already set it. */
  set(sku: string, soldOut: boolean, stockVersion: number): Promise<void>;
}

export interface InvalidationDeps {
  itemCache: ItemCacheRefresher;
  soldOut: SoldOutFlags;
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
 * (so it produces no new stream records for the items it watches), and records whose item did
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
    if (!change.changed) {
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
      await deps.itemCache.refresh(change.image, change.version);
      if (change.kind === 'stock') await updateSoldOut(change, changes, deps.soldOut);
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
async function updateSoldOut(newest: StockChange, all: readonly CatalogChange[], flags: SoldOutFlags): Promise<void> {
  const crossed = all.some(
    (c) =>
      c.kind === 'stock' &&
      c.sku === newest.sku &&
      (c.previousQuantity === undefined || isSoldOut(c.previousQuantity) !== isSoldOut(c.quantity)),
  );
  if (crossed) await flags.set(newest.sku, isSoldOut(newest.quantity), newest.version);
}

const isSoldOut = (quantity: number) => quantity <= 0;
