import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { stockItem } from '../../../lambdas/adapters/catalog-items.js';
import { itemWrittenAt, newestRecordAt, recordWrittenAt } from '../../../lambdas/adapters/stream-record-times.js';

const record = (item: object | undefined, approximateSeconds?: number): DynamoDBRecord => ({
  eventName: 'MODIFY',
  dynamodb: {
    ...(item ? { NewImage: marshall(item) as never } : {}),
    ...(approximateSeconds === undefined ? {} : { ApproximateCreationDateTime: approximateSeconds }),
  },
});

describe('recordWrittenAt', () => {
  it('reads the write stamp of a catalog item, to the millisecond, over the stream’s coarse one', () => {
    expect(recordWrittenAt(record(stockItem({ sku: 'A', quantity: 1, version: 2 }, 1_700_000_001_234), 1_700_000_000))).toBe(
      1_700_000_001_234,
    );
  });

  it('reads the latest of a deduction request’s stamps', () => {
    expect(recordWrittenAt(record({ sk: 'REQUEST', createdAt: 1_000, completedAt: 4_000, expiresAt: 9_999_999 }))).toBe(4_000);
  });

  it('falls back to ApproximateCreationDateTime (seconds) for an item without one', () => {
    expect(recordWrittenAt(record({ sk: 'SOLDOUT', soldOut: true }, 1_700_000_002))).toBe(1_700_000_002_000);
    expect(recordWrittenAt(record(undefined))).toBeUndefined();
  });
});

describe('itemWrittenAt', () => {
  it('reads only the item’s own stamp, never the stream’s', () => {
    expect(itemWrittenAt(record({ sk: 'SOLDOUT', soldOut: true }, 1_700_000_002))).toBeUndefined();
    expect(itemWrittenAt(record({ sk: 'REQUEST', createdAt: 7 }, 1_700_000_002))).toBe(7);
  });
});

describe('newestRecordAt', () => {
  it('is the latest write time of the batch', () => {
    const at = (ms: number) => record(stockItem({ sku: 'A', quantity: 1, version: 1 }, ms));

    expect(newestRecordAt([at(3_000), at(5_000), record(undefined), at(4_000)])).toBe(5_000);
    expect(newestRecordAt([record(undefined)])).toBeUndefined();
    expect(newestRecordAt([])).toBeUndefined();
    expect(newestRecordAt([at(3_000), record({ sk: 'SOLDOUT' }, 1_700_000_000)], itemWrittenAt)).toBe(3_000);
  });
});
