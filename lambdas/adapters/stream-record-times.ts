import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';

/**
 * The attributes in which Crest's writers stamp an item with the time of the write (epoch ms):
 * catalog items `updatedAt` (catalog-items.ts), deduction requests `createdAt` and then
 * `completedAt` as their status moves (deduction-items.ts).
 */
const WRITE_TIMES = ['updatedAt', 'completedAt', 'createdAt'] as const;

/**
 * When the item in `record` was written (epoch ms): the latest write-time attribute of its new
 * image, else the stream's ApproximateCreationDateTime. The item's own stamp comes first because
 * the stream's is coarse: AWS rounds it down to the second, and DynamoDB Local to the minute,
 * which would make a lag measured from it jump between 0 and 60 s on this machine.
 */
export function recordWrittenAt(record: DynamoDBRecord): number | undefined {
  const stamped = itemWrittenAt(record);
  if (stamped !== undefined) return stamped;
  const seconds = record.dynamodb?.ApproximateCreationDateTime;
  return typeof seconds === 'number' ? seconds * 1000 : undefined;
}

/** The latest write stamp of the record's new image, or undefined for an item without one (flags, heartbeats). */
export function itemWrittenAt(record: DynamoDBRecord): number | undefined {
  const image = record.dynamodb?.NewImage as Record<string, AttributeValue> | undefined;
  let stamped: number | undefined;
  for (const name of WRITE_TIMES) {
    const value = Number(image?.[name]?.N);
    if (Number.isFinite(value) && value > 0 && (stamped === undefined || value > stamped)) stamped = value;
  }
  return stamped;
}

/**
 * When the newest of `records` was written (epoch ms), or undefined when none says; `writtenAt`
 * reads one record (default `recordWrittenAt`).
 */
export function newestRecordAt(
  records: readonly DynamoDBRecord[],
  writtenAt: (record: DynamoDBRecord) => number | undefined = recordWrittenAt,
): number | undefined {
  let newest: number | undefined;
  for (const record of records) {
    const at = writtenAt(record);
    if (at !== undefined && (newest === undefined || at > newest)) newest = at;
  }
  return newest;
}
