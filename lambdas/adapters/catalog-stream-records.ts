import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import type { CatalogChange } from '../domain/invalidation/process-changes.js';
import { kindOfSortKey, stockFromItem, storedImage } from './catalog-items.js';

type WireImage = Record<string, AttributeValue>;

/**
 * Decodes one record of the catalog table's stream (NEW_AND_OLD_IMAGES) into a typed change:
 * - `ignore`: a removal, or an item that is not info, price or stock;
 * - `poison`: a record no retry can fix (no new image, no SKU, no integer version, a stock item
 *   without a numeric quantity): the caller checkpoints at it so it goes to the on-failure queue.
 */
export function decodeCatalogRecord(record: DynamoDBRecord): CatalogChange | 'ignore' | 'poison' {
  if (record.eventName === 'REMOVE') return 'ignore';
  const wire = record.dynamodb?.NewImage as WireImage | undefined;
  if (!wire) return 'poison';
  const item = unmarshall(wire);
  const kind = kindOfSortKey(item.sk);
  if (!kind) return 'ignore';
  const sequenceNumber = record.dynamodb?.SequenceNumber;
  const version = Number(item.version);
  if (typeof item.sku !== 'string' || !item.sku || !Number.isInteger(version) || !sequenceNumber) return 'poison';
  const oldWire = record.dynamodb?.OldImage as WireImage | undefined;
  const common = { sequenceNumber, sku: item.sku, version, changed: !oldWire || !sameImage(oldWire, wire), image: storedImage(item) };
  if (kind !== 'stock') return { ...common, kind };
  if (typeof item.quantity !== 'number') return 'poison';
  return {
    ...common,
    kind,
    quantity: item.quantity,
    ...(oldWire ? { previousQuantity: stockFromItem(unmarshall(oldWire)).quantity } : {}),
  };
}

/** Attribute-for-attribute equality of two images in wire format (attribute order does not matter). */
function sameImage(a: WireImage, b: WireImage): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const k of keys) if (canonical(a[k]) !== canonical(b[k])) return false;
  return true;
}

/** JSON with object keys sorted, so equal values compare equal whatever their key order. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([x], [y]) => (x < y ? -1 : 1))) : v,
  );
}
