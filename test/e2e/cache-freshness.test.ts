import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { productKey, productPk, soldOutFlagFromItem, soldOutFlagKey, storedImage } from '../../lambdas/adapters/catalog-items.js';
import { DaxWriteThroughRefresher } from '../../lambdas/adapters/dynamo-invalidation.js';
import { defaultProductDetailOptions } from '../../lambdas/domain/product/product-detail.js';
import { flashSaleProduct, seedCatalog } from '../../lib/local/demo-data.js';
import type { LocalRuntime } from '../../lib/local/runtime.js';
import { call, contractFetch } from '../helpers/api.js';
import { bootRuntime } from '../helpers/runtime.js';
import { streamRecords } from '../helpers/streams.js';

const PRICE_BOUND_MS = defaultProductDetailOptions.cacheTtlMs.price;

describe('caches stay fresh (admin writes → stream → caches) through the local runtime', () => {
  let runtime: LocalRuntime;
  let doc: DynamoDBDocumentClient;
  let table: string;
  let adminToken: string;
  const skus = ['FRESH-1', 'FRESH-2', 'FRESH-3', 'FRESH-4', 'FRESH-5'];

  beforeAll(async () => {
    runtime = await bootRuntime({ seed: false, context: { apiThrottleRate: 1_000_000, apiThrottleBurst: 1_000_000 } });
    doc = DynamoDBDocumentClient.from(runtime.clients.dynamodb);
    table = runtime.resourceName('AWS::DynamoDB::Table', 'Catalog');
    await seedCatalog(
      doc,
      table,
      [...skus, 'STREAM-1', 'POISON-NEXT'].map((sku) => flashSaleProduct(10, sku)),
    );
    await runtime.streamSources[0]?.drain();
    adminToken = await runtime.token('catalog-bot', ['admins']);
  });
  afterAll(() => runtime?.stop());

  const admin = (path: string, body: unknown) =>
    call(`${runtime.url}/v1/admin/products/${path}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: adminToken },
      body: JSON.stringify(body),
    });
  /** The first answer with every part (a busy machine may time a part out: that answer shows none). */
  const completeRead = async (sku: string) => {
    for (let tries = 1; ; tries++) {
      const res = await call(`${runtime.url}/v1/products/${sku}`);
      if ((res.status === 200 && res.body.degraded.length === 0) || tries === 10) return res;
    }
  };
  const flag = async (sku: string) =>
    soldOutFlagFromItem((await doc.send(new GetCommand({ TableName: table, Key: soldOutFlagKey(sku) }))).Item);

  it(`shows a price change on GET /v1/products/{sku} within the documented bound (${PRICE_BOUND_MS} ms)`, async () => {
    const before = await completeRead('FRESH-1');
    const write = await admin('FRESH-1/price', { amount: 777, currency: 'USD' });
    await new Promise((r) => setTimeout(r, PRICE_BOUND_MS + 50));

    // Any complete answer after the bound must show the new price (a degraded one shows no price at all).
    const after = await completeRead('FRESH-1');

    expect(before.body.price.amount).toBe(4999);
    expect(write.status).toBe(200);
    expect(after.body.price).toEqual({ amount: 777, original: 777, currency: 'USD' });
    expect(after.body.versions.price).toBe(write.body.version);
  });

  it('never shows a reader an older version than it has seen, under 1,000 random updates', async () => {
    let writesDone = false;
    const writes = (async () => {
      let n = 0;
      const writer = async () => {
        while (n < 1000) {
          const i = n++;
          const sku = skus[i % skus.length] as string;
          const res =
            i % 2 === 0
              ? await admin(`${sku}/price`, { amount: 100 + i, currency: 'USD' })
              : await admin(`${sku}/stock`, { quantity: i % 7 });
          expect(res.status).toBe(200);
        }
      };
      await Promise.all(Array.from({ length: 8 }, writer));
      writesDone = true;
    })();
    const violations: string[] = [];
    const unlabelled: string[] = [];
    const unexpected: string[] = [];
    let reads = 0;
    const reader = async (r: number) => {
      // Per SKU: the highest version of each part this reader has been shown, and the ETag that says so.
      const seen = new Map<string, { etag: string; versions: Record<string, number> }>();
      while (!writesDone) {
        const sku = skus[(reads + r) % skus.length] as string;
        const last = seen.get(sku);
        const res = await contractFetch(`${runtime.url}/v1/products/${sku}`, { headers: last?.etag ? { 'If-None-Match': last.etag } : {} });
        reads += 1;
        if (res.status === 304) continue;
        if (res.status !== 200) {
          // 503 with Retry-After is a documented answer when info cannot be read in time; anything else is not.
          const error = ((await res.json()) as { error: { code: string } }).error.code;
          if (res.status !== 503 || !res.headers.get('retry-after')) unexpected.push(`${res.status} ${error}`);
          continue;
        }
        const body = (await res.json()) as { versions: Record<string, number | null>; degraded: string[] };
        const highest = { ...last?.versions };
        for (const kind of ['info', 'price', 'stock']) {
          const shown = body.versions[kind];
          // A part that timed out is not shown at all (null, and named in `degraded`): no version to go back to.
          if (shown === null || shown === undefined) {
            if (!body.degraded.includes(kind)) unlabelled.push(`${sku} ${kind}`);
            continue;
          }
          if (shown < (highest[kind] ?? 0)) violations.push(`${sku} ${kind} ${highest[kind]} → ${shown}`);
          highest[kind] = Math.max(shown, highest[kind] ?? 0);
        }
        // The reader echoes the ETag of its last complete answer (a degraded one names no version for its missing part).
        seen.set(sku, { etag: body.degraded.length === 0 ? (res.headers.get('etag') ?? '') : (last?.etag ?? ''), versions: highest });
      }
    };
    await Promise.all([writes, ...Array.from({ length: 4 }, (_, r) => reader(r))]);

    expect(reads).toBeGreaterThan(50);
    expect(violations).toEqual([]);
    expect(unlabelled).toEqual([]);
    expect(unexpected).toEqual([]);
  }, 120_000);

  it('sets the sold-out flag from the stream as stock crosses zero, and clears it on restock', async () => {
    await admin('FRESH-2/stock', { quantity: 0 });
    await runtime.streamSources[0]?.drain();
    const soldOut = await flag('FRESH-2');
    await admin('FRESH-2/stock', { delta: 3 });
    await runtime.streamSources[0]?.drain();

    expect(soldOut?.soldOut).toBe(true);
    expect((await flag('FRESH-2'))?.soldOut).toBe(false);
  });

  it('leaves the same final state when the stream is replayed out of order', async () => {
    for (const quantity of [4, 0, 0, 2, 0, 9, 0]) await admin('STREAM-1/stock', { quantity });
    await runtime.streamSources[0]?.drain();
    const settled = await flag('STREAM-1');
    const records = (await streamRecords(runtime.endpoints.dynamodb, table)).filter(
      (r) => r.dynamodb?.Keys?.pk?.S === productPk('STREAM-1') && r.dynamodb?.Keys?.sk?.S === 'STOCK',
    );
    const fn = runtime.host.get(runtime.streamSources[0]?.mapping.functionLogicalId ?? '');

    await fn.invoke({ Records: [...records].reverse() });
    await fn.invoke({ Records: [...records, ...records].sort(() => Math.random() - 0.5) });

    expect(records.length).toBeGreaterThanOrEqual(8);
    expect(settled?.soldOut).toBe(true);
    expect((await flag('STREAM-1'))?.soldOut).toBe(true);
  });

  it('sends a poison record to the on-failure destination and processes the rest', async () => {
    await doc.send(new PutCommand({ TableName: table, Item: { pk: 'PRODUCT#POISON', sk: 'PRICE', type: 'PRICE', amount: 'not a price' } }));
    await admin('POISON-NEXT/stock', { quantity: 0 });
    await runtime.streamSources[0]?.drain();

    const out = await runtime.clients.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: runtime.queueUrl('CacheInvalidationFailures'), WaitTimeSeconds: 2, MaxNumberOfMessages: 10 }),
    );
    const info = out.Messages?.map((m) => JSON.parse(m.Body ?? '{}').DDBStreamBatchInfo);

    expect(info?.[0]).toMatchObject({ batchSize: 1, streamArn: expect.stringContaining('stream') });
    expect((await flag('POISON-NEXT'))?.soldOut).toBe(true);
  });

  it('refreshes an item cache without producing a new stream record, and never with an older version', async () => {
    const refresher = new DaxWriteThroughRefresher(doc, table);
    const current = (await doc.send(new GetCommand({ TableName: table, Key: productKey('FRESH-3', 'stock') }))).Item ?? {};
    const source = runtime.streamSources[0];
    await source?.drain();
    const recordsBefore = source?.stats.records;

    const refreshed = await refresher.refresh(storedImage(current), Number(current.version));
    const stale = await refresher.refresh(storedImage({ ...current, version: 1, quantity: 999 }), 1);
    await source?.drain();

    expect(refreshed).toBe('refreshed');
    expect(stale).toBe('superseded');
    expect(source?.stats.records).toBe(recordsBefore);
    expect((await doc.send(new GetCommand({ TableName: table, Key: productKey('FRESH-3', 'stock') }))).Item).toEqual(current);
  });
});
