import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import type { RequestChange } from '../domain/deductions/events.js';
import { deductionFromItem, isRequestItem } from './deduction-items.js';

type WireImage = Record<string, AttributeValue>;

/**
 * Decodes one record of the deductions table's stream (NEW_AND_OLD_IMAGES) into the request
 * write it carries:
 * - `ignore`: a removal (TTL or a discarded request), or an item that is not a request;
 * - `poison`: a request image no retry can fix (no sequence number, fields missing): the caller
 *   checkpoints at it so it reaches the on-failure queue.
 */
export function decodeRequestRecord(record: DynamoDBRecord): RequestChange | 'ignore' | 'poison' {
  if (record.eventName === 'REMOVE') return 'ignore';
  const wire = record.dynamodb?.NewImage as WireImage | undefined;
  if (!wire) return 'poison';
  const item = unmarshall(wire);
  if (item.sk !== 'REQUEST') return 'ignore';
  const position = record.dynamodb?.SequenceNumber;
  if (!position || !isRequestItem(item)) return 'poison';
  const oldWire = record.dynamodb?.OldImage as WireImage | undefined;
  const old = oldWire ? unmarshall(oldWire) : undefined;
  return { position, before: old && isRequestItem(old) ? deductionFromItem(old) : null, after: deductionFromItem(item) };
}
