import { describe, expect, it } from 'vitest';
import {
  AWS_PARTITION_LIMITS,
  itemSize,
  PartitionCeiling,
  partitionOf,
  readUnits,
  valueSize,
  writeUnits,
} from '../../../../lib/local/aws-proxy/capacity.js';

describe('itemSize', () => {
  it('adds attribute names and values as DynamoDB documents them', () => {
    // "pk" (2) + "PRODUCT#1" (9) + "quantity" (8) + 1000 (1 significant digit: 1 + 1) + "ok" (2) + true (1)
    expect(itemSize({ pk: { S: 'PRODUCT#1' }, quantity: { N: '1000' }, ok: { BOOL: true } })).toBe(2 + 9 + 8 + 2 + 2 + 1);
  });

  it('counts UTF-8 bytes, raw binary bytes and about one byte per two significant digits', () => {
    expect(valueSize({ S: 'é' })).toBe(2);
    expect(valueSize({ B: Buffer.from('abcd').toString('base64') })).toBe(4);
    expect(valueSize({ N: '123456' })).toBe(4);
    expect(valueSize({ N: '-0.00012' })).toBe(2);
    expect(valueSize({ NULL: true })).toBe(1);
  });

  it('charges lists and maps 3 bytes plus 1 per element', () => {
    expect(valueSize({ L: [] })).toBe(3);
    expect(valueSize({ L: [{ S: 'ab' }, { S: 'c' }] })).toBe(3 + (1 + 2) + (1 + 1));
    expect(valueSize({ M: { k: { S: 'v' } } })).toBe(3 + 1 + 1 + 1);
    expect(valueSize({ SS: ['a', 'bc'] })).toBe(3);
  });
});

describe('readUnits / writeUnits', () => {
  it('rounds reads up to 4 KB: 1 unit strongly consistent, half eventually, 2 in a transaction', () => {
    expect(readUnits(0, 'strong')).toBe(1);
    expect(readUnits(4096, 'strong')).toBe(1);
    expect(readUnits(4097, 'strong')).toBe(2);
    expect(readUnits(3500, 'eventual')).toBe(0.5);
    expect(readUnits(8192, 'eventual')).toBe(1);
    expect(readUnits(8192, 'transactional')).toBe(4);
  });

  it('rounds writes up to 1 KB, at least one unit, doubled in a transaction', () => {
    expect(writeUnits(0)).toBe(1);
    expect(writeUnits(1024)).toBe(1);
    expect(writeUnits(1025)).toBe(2);
    expect(writeUnits(3000, true)).toBe(6);
  });
});

describe('partitionOf', () => {
  it('puts every item with the same partition key value in one partition, per table', () => {
    const stock = partitionOf('Catalog', 'pk', { pk: { S: 'PRODUCT#A' }, sk: { S: 'STOCK' } });
    expect(partitionOf('Catalog', 'pk', { pk: { S: 'PRODUCT#A' }, sk: { S: 'INFO' } })).toBe(stock);
    expect(partitionOf('Catalog', 'pk', { pk: { S: 'PRODUCT#B' }, sk: { S: 'STOCK' } })).not.toBe(stock);
    expect(partitionOf('Other', 'pk', { pk: { S: 'PRODUCT#A' } })).not.toBe(stock);
  });
});

describe('PartitionCeiling', () => {
  const clock = () => {
    let t = 0;
    return { now: () => t, advance: (ms: number) => (t += ms) };
  };
  const write = (partition: string, units = 1) => ({ partition, kind: 'write' as const, units });
  const read = (partition: string, units = 1) => ({ partition, kind: 'read' as const, units });

  it('admits a partition’s limit per second, then refuses until it refills', () => {
    const time = clock();
    const ceiling = new PartitionCeiling({ writeUnitsPerSecond: 100, readUnitsPerSecond: 300 }, time.now);
    const admitted = Array.from({ length: 150 }, () => ceiling.tryCharge([write('hot')]).length === 0).filter(Boolean).length;
    expect(admitted).toBe(100);
    time.advance(500);
    const afterHalfSecond = Array.from({ length: 100 }, () => ceiling.tryCharge([write('hot')]).length === 0).filter(Boolean).length;
    expect(afterHalfSecond).toBe(50);
  });

  it('banks at most one second of units however long a partition was idle', () => {
    const time = clock();
    const ceiling = new PartitionCeiling({ writeUnitsPerSecond: 10, readUnitsPerSecond: 30 }, time.now);
    ceiling.tryCharge([write('p', 1)]);
    time.advance(60_000);
    expect(ceiling.tryCharge([write('p', 10)])).toEqual([]);
    expect(ceiling.tryCharge([write('p', 1)])).toEqual([0]);
  });

  it('keeps partitions, and reads and writes of one partition, apart', () => {
    const ceiling = new PartitionCeiling({ writeUnitsPerSecond: 2, readUnitsPerSecond: 6 }, () => 0);
    expect(ceiling.tryCharge([write('a', 2)])).toEqual([]);
    expect(ceiling.tryCharge([write('a')])).toEqual([0]);
    expect(ceiling.tryCharge([write('b', 2), read('a', 6)])).toEqual([]);
  });

  it('charges a multi-item call all or nothing, naming the partitions that are short', () => {
    const ceiling = new PartitionCeiling({ writeUnitsPerSecond: 4, readUnitsPerSecond: 12 }, () => 0);
    ceiling.tryCharge([write('hot', 3)]);
    // Two items on the hot partition need 2 units together; it has 1 left.
    expect(ceiling.tryCharge([write('cold', 2), write('hot', 1), write('hot', 1)])).toEqual([1, 2]);
    expect(ceiling.level('w|cold')).toBe(4);
    expect(ceiling.tryCharge([write('hot', 1)])).toEqual([]);
  });

  it('corrects a charge once the real size is known, refunds included', () => {
    const ceiling = new PartitionCeiling({ writeUnitsPerSecond: 10, readUnitsPerSecond: 30 }, () => 0);
    ceiling.tryCharge([read('p', 1)]);
    ceiling.adjust('p', 'read', 3);
    expect(ceiling.level('r|p')).toBe(26);
    ceiling.adjust('p', 'read', -4);
    expect(ceiling.level('r|p')).toBe(30);
  });

  it('defaults to DynamoDB’s documented 1,000 write and 3,000 read units per partition', () => {
    expect(AWS_PARTITION_LIMITS).toEqual({ writeUnitsPerSecond: 1000, readUnitsPerSecond: 3000 });
  });
});
