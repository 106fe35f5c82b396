import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { soldOutFlagKey, stockItem } from '../../../../lambdas/adapters/catalog-items.js';
import { requestItem } from '../../../../lambdas/adapters/deduction-items.js';
import type { Deduction } from '../../../../lambdas/domain/deductions/types.js';
import { SkuLedger } from '../../../../lib/local/live-view/sku-ledger.js';

const change = (item: object, old?: object, eventName: DynamoDBRecord['eventName'] = 'MODIFY'): DynamoDBRecord => ({
  eventName,
  dynamodb: {
    NewImage: marshall(item, { removeUndefinedValues: true }) as never,
    ...(old ? { OldImage: marshall(old, { removeUndefinedValues: true }) as never } : {}),
  },
});
const stock = (sku: string, quantity: number, version = 1) => stockItem({ sku, quantity, version }, 1_700_000_000_000);
const flag = (sku: string, soldOut: boolean) => ({ ...soldOutFlagKey(sku), type: 'FLAG', sku, soldOut, stockVersion: 1 });
// Status is a string here: the statuses of the holds work (HELD, CONFIRMED, EXPIRED) are counted too.
const request = (id: string, sku: string, status: string, quantity = 1) =>
  requestItem({ id, sku, quantity, userId: 'u', status, createdAt: 1, requestHash: 'h' } as unknown as Deduction, 2);

describe('SkuLedger', () => {
  it('follows stock on hand and the sold-out flag from catalog records', () => {
    const ledger = new SkuLedger();
    ledger.apply(change(stock('A', 3, 2), stock('A', 4, 1)));
    ledger.apply(change(stock('A', 0, 3), stock('A', 3, 2)));
    ledger.apply(change(flag('A', true)));

    expect(ledger.hot(5)).toEqual([{ sku: 'A', onHand: 0, held: 0, sold: 0, soldOut: true }]);
  });

  it('counts units held and sold from each request’s status transitions', () => {
    const ledger = new SkuLedger();
    const steps: Array<[string, string | undefined, string, number]> = [
      ['d1', undefined, 'QUEUED', 2],
      ['d1', 'QUEUED', 'HELD', 2],
      ['d2', 'QUEUED', 'HELD', 1],
      ['d3', 'QUEUED', 'HELD', 1],
      ['d1', 'HELD', 'CONFIRMED', 2],
      ['d2', 'HELD', 'EXPIRED', 1],
      ['d4', 'QUEUED', 'REJECTED', 1],
      ['d5', 'QUEUED', 'SUCCEEDED', 1],
      ['d5', 'SUCCEEDED', 'CANCELLED', 1],
    ];
    for (const [id, from, to, quantity] of steps) {
      ledger.apply(change(request(id, 'B', to, quantity), from ? request(id, 'B', from, quantity) : undefined));
    }

    expect(ledger.tracksDeductions).toBe(true);
    expect(ledger.hot(1)).toEqual([{ sku: 'B', onHand: null, held: 1, sold: 2, soldOut: null }]);
  });

  it('ignores removals (TTL expiry deletes settled requests without selling or returning anything)', () => {
    const ledger = new SkuLedger();
    ledger.apply(change(request('d1', 'C', 'SUCCEEDED'), request('d1', 'C', 'QUEUED')));
    ledger.apply({ eventName: 'REMOVE', dynamodb: { OldImage: marshall(request('d1', 'C', 'SUCCEEDED')) as never } });

    expect(ledger.hot(1)[0]?.sold).toBe(1);
  });

  it('ranks SKUs by activity and keeps memory bounded', () => {
    const ledger = new SkuLedger(3);
    for (let i = 0; i < 5; i++) ledger.apply(change(stock('HOT', 10 - i)));
    ledger.touch('WARM');
    ledger.touch('WARM');
    for (const sku of ['X', 'Y', 'Z']) ledger.touch(sku);

    expect(ledger.hot(10).map((s) => s.sku)).toEqual(['HOT', 'WARM', 'Z']);
  });
});
