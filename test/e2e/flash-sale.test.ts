import { ReceiveMessageCommand, SendMessageBatchCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buy, waitForDeduction } from '../../clients/typescript/src/index.js';
import { DynamoCatalogReader } from '../../lambdas/adapters/dynamo-catalog.js';
import { DynamoDeductions } from '../../lambdas/adapters/dynamo-deductions.js';
import { systemClock } from '../../lambdas/domain/clock.js';
import { type Deduction, messageOf } from '../../lambdas/domain/deductions/types.js';
import { flashSaleProduct, seedCatalog } from '../../lib/local/demo-data.js';
import type { LocalRuntime } from '../../lib/local/runtime.js';
import { apiClient } from '../helpers/api.js';
import { bootRuntime } from '../helpers/runtime.js';

const STOCK = 100;
const USERS = 200;
const REQUESTS = 5_000;

describe('flash sale through the local runtime (API → SQS → capped consumer)', () => {
  let runtime: LocalRuntime;
  let ledger: DynamoDeductions;
  let catalog: DynamoCatalogReader;

  beforeAll(async () => {
    runtime = await bootRuntime({
      seed: false,
      // 1 s function timeout → 6 s visibility, and 2 receives before the DLQ, so redelivery
      // and dead-lettering happen within the test's time.
      context: { deductionTimeoutSeconds: 1, deductionMaxReceiveCount: 2, apiThrottleRate: 1_000_000, apiThrottleBurst: 1_000_000 },
    });
    const doc = DynamoDBDocumentClient.from(runtime.clients.dynamodb);
    const catalogTable = runtime.resourceName('AWS::DynamoDB::Table', 'Catalog');
    await seedCatalog(doc, catalogTable, [flashSaleProduct(STOCK, 'PROP-1'), flashSaleProduct(1000, 'POISON-1')]);
    ledger = new DynamoDeductions(
      doc,
      { catalog: catalogTable, deductions: runtime.resourceName('AWS::DynamoDB::Table', 'StockDeductions') },
      systemClock,
    );
    catalog = new DynamoCatalogReader(doc, catalogTable);
  });
  afterAll(() => runtime?.stop());

  const queueUrl = () => runtime.queueUrl('DeductionsQueue');
  const dlqUrl = () => runtime.queueUrl('DeadLetters');

  async function settled(ids: string[], timeoutMs: number): Promise<Deduction[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const records = await Promise.all(ids.map((id) => ledger.get(id)));
      if (records.every((r) => r && r.status !== 'QUEUED') || Date.now() > deadline)
        return records.filter((r): r is Deduction => r !== null);
      await new Promise((r) => setTimeout(r, 500));
    }
  }

  it(`sells exactly ${STOCK} units to ${REQUESTS} requests from ${USERS} users with repeated keys and forced redeliveries`, async () => {
    // Each user buys through the typed client (clients/typescript), every answer held to the document.
    const clients = await Promise.all(
      Array.from({ length: USERS }, async (_, u) => apiClient(runtime.url, await runtime.token(`user-${u}`))),
    );
    const sent: Array<{ key: string; user: number }> = [];
    const idsByKey = new Map<string, string>();
    const statuses = new Map<number, number>();
    let next = 0;
    const worker = async () => {
      while (next < REQUESTS) {
        const i = next++;
        // One request in six repeats an earlier key with the same body (a client retry).
        const repeat = i > 10 && i % 6 === 0 ? sent[(i * 7919) % sent.length] : undefined;
        const req = repeat ?? { key: `prop-key-${i}-${Math.random().toString(36).slice(2)}`, user: (i * 31) % USERS };
        if (!repeat) sent.push(req);
        const client = clients[req.user];
        if (!client) throw new Error(`no client for user ${req.user}`);
        const res = await buy(client, { sku: 'PROP-1', quantity: 1, idempotencyKey: req.key });
        const status = res.ok ? 202 : res.status;
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        if (res.ok) {
          const earlier = idsByKey.get(req.key);
          if (earlier) expect(res.accepted.id).toBe(earlier);
          idsByKey.set(req.key, res.accepted.id);
        } else {
          expect(res.status, JSON.stringify(res.error)).toBe(409);
          expect(res.error.error.code).toBe('SOLD_OUT');
        }
      }
    };
    await Promise.all(Array.from({ length: 50 }, worker));
    const acceptedIds = [...new Set(idsByKey.values())];

    // Forced redeliveries: the same messages again, straight onto the queue.
    const again = (await Promise.all(acceptedIds.slice(0, 300).map((id) => ledger.get(id)))).filter((d): d is Deduction => d !== null);
    const sqs = runtime.clients.sqs;
    for (let i = 0; i < again.length; i += 10) {
      await sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: queueUrl(),
          Entries: again.slice(i, i + 10).map((d, j) => ({ Id: String(j), MessageBody: JSON.stringify(messageOf(d)) })),
        }),
      );
    }

    const records = await settled(acceptedIds, 240_000);
    const succeeded = records.filter((r) => r.status === 'HELD');
    const perUser = new Map<string, number>();
    for (const r of succeeded) perUser.set(r.owner, (perUser.get(r.owner) ?? 0) + r.quantity);
    const stock = await catalog.getStock('PROP-1');
    const source = runtime.sqsSources[0];

    expect(records).toHaveLength(acceptedIds.length);
    expect(records.every((r) => r.status === 'HELD' || r.status === 'REJECTED')).toBe(true);
    expect(succeeded.reduce((s, r) => s + r.quantity, 0)).toBe(STOCK);
    expect(stock?.quantity).toBe(0);
    expect(STOCK - (stock?.quantity ?? 0)).toBe(succeeded.length);
    expect(Math.max(...perUser.values())).toBeLessThanOrEqual(1);
    expect(source?.stats.maxInFlight).toBeLessThanOrEqual(source?.stats.concurrencyCap ?? 0);
    expect((statuses.get(202) ?? 0) + (statuses.get(409) ?? 0)).toBe(REQUESTS);
    // Generous: 5,000 signed-in requests, each answer validated against the document, on a
    // machine that may be busy; nothing here asserts speed.
  }, 480_000);

  it('dead-letters a poison message while the rest of its batch succeeds', async () => {
    const buyers = await Promise.all(
      ['poison-ok-1', 'poison-ok-2', 'poison-ok-3'].map(async (key, i) => {
        const client = apiClient(runtime.url, await runtime.token(`poison-user-${i}`));
        const res = await buy(client, { sku: 'POISON-1', quantity: 1, idempotencyKey: `${key}-${Date.now()}` });
        if (!res.ok) throw new Error(`buy refused: ${res.status} ${res.error.error.code}`);
        return { client, id: res.accepted.id };
      }),
    );
    await runtime.clients.sqs.send(new SendMessageCommand({ QueueUrl: queueUrl(), MessageBody: '{"v":1,"id":"not-a-deduction"' }));

    // Polled as a mobile client would: the typed client's helper, honouring Retry-After.
    const records = await Promise.all(buyers.map(({ client, id }) => waitForDeduction(client, id, { timeoutMs: 30_000, intervalMs: 250 })));
    let dead: string | undefined;
    const deadline = Date.now() + 40_000;
    while (!dead && Date.now() < deadline) {
      const out = await runtime.clients.sqs.send(
        new ReceiveMessageCommand({ QueueUrl: dlqUrl(), WaitTimeSeconds: 1, MaxNumberOfMessages: 10 }),
      );
      dead = out.Messages?.find((m) => m.Body?.includes('not-a-deduction'))?.Body;
    }

    expect(records.map((r) => r.status)).toEqual(['HELD', 'HELD', 'HELD']);
    expect(dead).toBe('{"v":1,"id":"not-a-deduction"');
  }, 90_000);
});
