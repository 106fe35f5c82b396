import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { stockItem } from '../../../lambdas/adapters/catalog-items.js';
import { requestItem } from '../../../lambdas/adapters/deduction-items.js';
import { DynamoDeductions } from '../../../lambdas/adapters/dynamo-deductions.js';
import { systemClock } from '../../../lambdas/domain/clock.js';
import { deductionStoreContract, stockLedgerContract } from '../../helpers/contracts/deductions.js';
import { deduction } from '../../helpers/deductions.js';
import { provisionResources, type TestResources } from '../../helpers/tables.js';

let resources: TestResources;
let ledger: DynamoDeductions;
beforeAll(async () => {
  resources = await provisionResources('Catalog', 'StockDeductionsTable');
  ledger = new DynamoDeductions(
    resources.doc,
    { catalog: resources.table('Catalog'), deductions: resources.table('StockDeductionsTable') },
    systemClock,
  );
});

const world = async () => ({
  store: ledger,
  ledger,
  setStock: async (sku: string, quantity: number) => {
    await resources.doc.send(
      new PutCommand({ TableName: resources.table('Catalog'), Item: stockItem({ sku, quantity, version: 1 }, Date.now()) }),
    );
  },
});

deductionStoreContract('DynamoDeductions', world);
stockLedgerContract('DynamoDeductions', world);

describe('DynamoDeductions against DynamoDB Local', () => {
  it('treats a record past its TTL as absent before DynamoDB sweeps it, and lets it be created again', async () => {
    const expired = deduction({ sku: `EXP-${process.pid}` });
    const pastTtl = Math.floor(Date.now() / 1000) - 1;
    await resources.doc.send(new PutCommand({ TableName: resources.table('StockDeductionsTable'), Item: requestItem(expired, pastTtl) }));

    expect(await ledger.get(expired.id)).toBeNull();
    expect(await ledger.createIfAbsent({ ...expired, quantity: 2 })).toMatchObject({ created: true, record: { quantity: 2 } });
  });

  it('reads a record decided before holds (SUCCEEDED) as CONFIRMED, and refunds it once on cancel', async () => {
    const sku = `LEGACY-${process.pid}-${Date.now()}`;
    await world().then((w) => w.setStock(sku, 4));
    const sold = deduction({ sku, createdAt: Date.now() - 60_000 });
    const legacy = { ...requestItem(sold, Math.floor(Date.now() / 1000) + 3600), status: 'SUCCEEDED', completedAt: Date.now() - 59_000 };
    await resources.doc.send(new PutCommand({ TableName: resources.table('StockDeductionsTable'), Item: legacy }));

    const read = await ledger.get(sold.id);
    const first = await ledger.cancel(sold, Date.now());
    const again = await ledger.cancel(sold, Date.now());

    expect(read).toMatchObject({ status: 'CONFIRMED', decidedAt: legacy.completedAt, confirmedAt: legacy.completedAt });
    expect(read?.completedAt).toBeUndefined();
    expect([first, again]).toEqual(['cancelled', 'not-cancellable']);
    expect((await ledger.snapshot(sku, [], [])).stock?.quantity).toBe(5);
  });

  it('stops a call when its signal aborts', async () => {
    const controller = new AbortController();
    controller.abort();

    await expect(ledger.get(deduction().id, controller.signal)).rejects.toThrow();
    await expect(ledger.createIfAbsent(deduction(), controller.signal)).rejects.toThrow();
  });
});
