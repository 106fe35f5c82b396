import { ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { productKey, stockItem } from '../../../../lambdas/adapters/catalog-items.js';
import { limitKey } from '../../../../lambdas/adapters/deduction-items.js';
import { DynamoDeductions } from '../../../../lambdas/adapters/dynamo-deductions.js';
import { systemClock } from '../../../../lambdas/domain/clock.js';
import { requestHashOf } from '../../../../lambdas/domain/deductions/accept.js';
import { cancelDeduction } from '../../../../lambdas/domain/deductions/cancel.js';
import { type ParsedMessage, processDeductionBatch } from '../../../../lambdas/domain/deductions/process-batch.js';
import type { DeductionMessage } from '../../../../lambdas/domain/deductions/types.js';
import { testIds } from '../../../helpers/deductions.js';
import { localDocumentClient } from '../../../helpers/dynamo.js';
import { provisionResources } from '../../../helpers/tables.js';

describe('processDeductionBatch with DynamoDeductions on DynamoDB Local', () => {
  let tables: { deductions: string; catalog: string };
  const client = localDocumentClient();
  let ledger: DynamoDeductions;
  let skuSeq = 0;

  beforeAll(async () => {
    const resources = await provisionResources('Catalog', 'StockDeductionsTable');
    tables = { catalog: resources.table('Catalog'), deductions: resources.table('StockDeductionsTable') };
    ledger = new DynamoDeductions(client, tables, systemClock);
  });

  async function newSku(quantity: number): Promise<string> {
    skuSeq += 1;
    const sku = `IT-${process.pid}-${skuSeq}`;
    await client.send(new PutCommand({ TableName: tables.catalog, Item: stockItem({ sku, quantity, version: 1 }, Date.now()) }));
    return sku;
  }

  /** Records requests as the API would, and returns their queue messages. */
  async function accepted(sku: string, requests: Array<{ owner: string; quantity?: number; key?: string }>): Promise<ParsedMessage[]> {
    return Promise.all(
      requests.map(async (r, i) => {
        const input = { sku, quantity: r.quantity ?? 1, owner: r.owner };
        const id = testIds(r.owner, r.key ?? `${sku}-key-${i}`);
        const message: DeductionMessage = { v: 2, id, ...input, createdAt: Date.now() + i, requestHash: requestHashOf(input) };
        await ledger.createIfAbsent({
          id,
          ...input,
          status: 'QUEUED',
          createdAt: message.createdAt,
          requestHash: message.requestHash,
        });
        return { messageId: `m-${id}`, message };
      }),
    );
  }

  const stock = async (sku: string) =>
    (await client.send(new GetCommand({ TableName: tables.catalog, Key: productKey(sku, 'stock'), ConsistentRead: true }))).Item as {
      quantity: number;
      version: number;
    };
  const deps = (overrides = {}) => ({ ledger, store: ledger, clock: systemClock, limitPerUser: 1, holdMs: 600_000, ...overrides });

  it('holds a batch with one stock transaction for the SKU, not one write per request', async () => {
    const sku = await newSku(50);
    const messages = await accepted(
      sku,
      Array.from({ length: 30 }, (_, i) => ({ owner: `u${i}` })),
    );

    const outcome = await processDeductionBatch(messages, deps());

    expect(outcome).toMatchObject({ held: 30, rejected: 0, stockWrites: 1, failedMessageIds: [] });
    expect(await stock(sku)).toMatchObject({ quantity: 20, version: 2 });
  });

  it('rejects what stock cannot cover in bulk: a few transactions for hundreds of requests, no write of its own each', async () => {
    const sku = await newSku(10);
    const messages = await accepted(
      sku,
      Array.from({ length: 250 }, (_, i) => ({ owner: `bulk${i}` })),
    );
    const counted = localDocumentClient();
    const calls = new Map<string, number>();
    counted.middlewareStack.add(
      (next, context) => async (args) => {
        const name = String(context.commandName);
        calls.set(name, (calls.get(name) ?? 0) + 1);
        return next(args);
      },
      { step: 'initialize', name: 'countCalls' },
    );
    const countedLedger = new DynamoDeductions(counted, tables, systemClock);

    const outcome = await processDeductionBatch(messages, deps({ ledger: countedLedger, store: countedLedger }));

    const records = await Promise.all(messages.map((m) => ledger.get(m.message.id)));
    expect(outcome).toMatchObject({ held: 10, rejected: 240, failedMessageIds: [] });
    expect(records.filter((r) => r?.status === 'REJECTED' && r.reason === 'SOLD_OUT' && r.decidedAt)).toHaveLength(240);
    // One transaction holds the 10 winners; 240 rejections take three of up to 100.
    expect(calls.get('TransactWriteItemsCommand')).toBe(4);
    expect(calls.get('UpdateItemCommand') ?? 0).toBe(0);
  });

  it('changes nothing when a message is delivered again after it was applied (consumer died before the ack)', async () => {
    const sku = await newSku(10);
    const messages = await accepted(sku, [{ owner: 'a' }, { owner: 'b' }, { owner: 'c' }]);
    await processDeductionBatch(messages, deps());
    const after = await stock(sku);

    const redelivered = await processDeductionBatch(messages, deps());

    expect(redelivered).toMatchObject({ held: 0, rejected: 0, stockWrites: 0 });
    expect(await stock(sku)).toEqual(after);
    expect(after.quantity).toBe(7);
  });

  it('recreates and settles a request whose record is missing but whose message was queued', async () => {
    const sku = await newSku(5);
    const input = { sku, quantity: 1, owner: 'lost' };
    const message: DeductionMessage = {
      v: 2,
      id: testIds('lost', `${sku}-orphan`),
      ...input,
      createdAt: Date.now(),
      requestHash: requestHashOf(input),
    };

    const outcome = await processDeductionBatch([{ messageId: 'm-orphan', message }], deps());

    expect(outcome.held).toBe(1);
    expect((await ledger.get(message.id))?.status).toBe('HELD');
  });

  it('rejects every request for a SKU with no stock item as UNKNOWN_SKU', async () => {
    const messages = await accepted(`GHOST-${process.pid}`, [{ owner: 'a' }]);

    await processDeductionBatch(messages, deps());

    expect((await ledger.get(messages[0]?.message.id ?? ''))?.reason).toBe('UNKNOWN_SKU');
  });

  it('loses nothing when DynamoDB throttles a share of calls: failed groups come back and settle', async () => {
    const sku = await newSku(40);
    const messages = await accepted(
      sku,
      Array.from({ length: 60 }, (_, i) => ({ owner: `t${i}` })),
    );
    const flaky = localDocumentClient();
    let calls = 0;
    let throttled = 0;
    flaky.middlewareStack.add(
      (next) => async (args) => {
        calls += 1;
        if (calls % 3 === 0) {
          throttled += 1;
          throw new ProvisionedThroughputExceededException({ message: 'injected throttle', $metadata: {} });
        }
        return next(args);
      },
      { step: 'finalizeRequest', priority: 'low', name: 'injectThrottling' },
    );
    const flakyLedger = new DynamoDeductions(flaky, tables, systemClock);
    let pending = messages;

    for (let round = 0; round < 30 && pending.length > 0; round++) {
      const outcome = await processDeductionBatch(pending, deps({ ledger: flakyLedger, store: flakyLedger, sleep: async () => undefined }));
      const failed = new Set(outcome.failedMessageIds);
      pending = pending.filter((m) => failed.has(m.messageId));
    }

    expect(throttled).toBeGreaterThan(0);
    expect(pending).toEqual([]);
    const records = await Promise.all(messages.map((m) => ledger.get(m.message.id)));
    expect(records.filter((r) => r?.status === 'HELD')).toHaveLength(40);
    expect(records.filter((r) => r?.status === 'REJECTED' && r.reason === 'SOLD_OUT')).toHaveLength(20);
    expect((await stock(sku)).quantity).toBe(0);
  });

  it('never oversells with concurrent consumers, duplicate deliveries and per-user limits (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ user: fc.integer({ min: 0, max: 39 }), quantity: fc.integer({ min: 1, max: 2 }) }), {
          minLength: 40,
          maxLength: 150,
        }),
        fc.integer({ min: 5, max: 60 }),
        fc.integer({ min: 2, max: 5 }),
        async (requests, units, consumers) => {
          const sku = await newSku(units);
          const messages = await accepted(
            sku,
            requests.map((r) => ({ owner: `p${r.user}`, quantity: r.quantity })),
          );
          // Every message is delivered twice, to different concurrent consumers.
          const deliveries = [...messages, ...messages].sort(() => Math.random() - 0.5);
          const batches = Array.from({ length: consumers }, (_, c) => deliveries.filter((_, i) => i % consumers === c));
          let pending = batches;
          for (let round = 0; round < 20 && pending.some((b) => b.length); round++) {
            const outcomes = await Promise.all(pending.map((b) => processDeductionBatch(b, deps({ limitPerUser: 2 }))));
            pending = pending.map((b, i) => b.filter((m) => outcomes[i]?.failedMessageIds.includes(m.messageId)));
          }

          const records = await Promise.all(messages.map((m) => ledger.get(m.message.id)));
          const succeeded = records.filter((r) => r?.status === 'HELD');
          const soldUnits = succeeded.reduce((sum, r) => sum + (r?.quantity ?? 0), 0);
          const perUser = new Map<string, number>();
          for (const r of succeeded) if (r) perUser.set(r.owner, (perUser.get(r.owner) ?? 0) + r.quantity);
          const after = await stock(sku);

          expect(records.every((r) => r?.status === 'HELD' || r?.status === 'REJECTED')).toBe(true);
          expect(after.quantity).toBe(units - soldUnits);
          expect(after.quantity).toBeGreaterThanOrEqual(0);
          expect([...perUser.values()].every((u) => u <= 2)).toBe(true);
          for (const [user, held] of perUser) {
            const marker = await client.send(
              new GetCommand({ TableName: tables.deductions, Key: limitKey(sku, user), ConsistentRead: true }),
            );
            expect(marker.Item?.units).toBe(held);
          }
        },
      ),
      { numRuns: 4 },
    );
    // Four runs of concurrent consumers against DynamoDB Local: slow on a busy machine, never asserted on.
  }, 120_000);

  it('gives stock back exactly once when the same deduction is cancelled concurrently', async () => {
    const sku = await newSku(3);
    const messages = await accepted(sku, [{ owner: 'canceller' }]);
    await processDeductionBatch(messages, deps());
    const id = messages[0]?.message.id ?? '';

    const results = await Promise.all(
      Array.from({ length: 5 }, () => cancelDeduction(id, 'canceller', { store: ledger, ledger, clock: systemClock })),
    );

    expect(results.every((r) => r.status === 'CANCELLED')).toBe(true);
    expect((await stock(sku)).quantity).toBe(3);
  });

  it('refuses to cancel a deduction that was not won', async () => {
    const sku = await newSku(0);
    const messages = await accepted(sku, [{ owner: 'late' }]);
    await processDeductionBatch(messages, deps());

    await expect(
      cancelDeduction(messages[0]?.message.id ?? '', 'late', { store: ledger, ledger, clock: systemClock }),
    ).rejects.toMatchObject({
      code: 'NOT_CANCELLABLE',
    });
  });

  it('returns the existing record when an id is created twice', async () => {
    const sku = await newSku(1);
    const [m] = await accepted(sku, [{ owner: 'twice' }]);
    if (!m) throw new Error('no message');

    const again = await ledger.createIfAbsent({ ...m.message, status: 'QUEUED', quantity: 99 });

    expect(again.created).toBe(false);
    expect(again.record.quantity).toBe(1);
  });
});
