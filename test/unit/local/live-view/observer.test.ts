import type { SQSClient } from '@aws-sdk/client-sqs';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { stockItem } from '../../../../lambdas/adapters/catalog-items.js';
import type { LiveParts } from '../../../../lib/local/live-view/observer.js';
import { displayName, LiveObserver } from '../../../../lib/local/live-view/observer.js';
import type { Route, StackDescription } from '../../../../lib/local/stack-description.js';

const QUEUE = 'StockDeductionsQueue77833BDB';
const DLQ = 'StockDeductionsDeadLetters4B196374';
const route = (method: string, resourcePath: string): Route => ({
  method,
  resourcePath,
  segments: resourcePath.split('/').filter(Boolean),
  functionLogicalId: 'Fn',
  requiredHeaders: [],
  requiredQuery: [],
});
const stack = {
  queues: [
    { logicalId: DLQ, name: DLQ, arn: '', attributes: {} },
    { logicalId: QUEUE, name: QUEUE, arn: '', attributes: {}, deadLetterQueue: DLQ },
  ],
  streamMappings: [],
  api: {
    routes: [route('POST', '/v1/deductions'), route('POST', '/v1/products/{sku}/deductions'), route('GET', '/v1/products/{sku}')],
    stage: { stageName: 'live', rateLimit: 1, burstLimit: 1 },
  },
} as unknown as StackDescription;

/** A world the observer reads: queue depths it is told, event sources and functions with counters. */
function world() {
  let now = 1_700_000_000_000;
  const depths = new Map<string, { visible: number; inFlight: number }>();
  const sqs = {
    send: async (command: { input: { QueueUrl: string } }) => {
      const d = depths.get(command.input.QueueUrl) ?? { visible: 0, inFlight: 0 };
      return {
        Attributes: {
          ApproximateNumberOfMessages: String(d.visible),
          ApproximateNumberOfMessagesNotVisible: String(d.inFlight),
          ApproximateNumberOfMessagesDelayed: '0',
        },
      };
    },
  } as unknown as SQSClient;
  const consumer = { logicalId: 'ConsumerFn', environment: { POWERTOOLS_SERVICE_NAME: 'deduction-consumer' }, stats: { errors: 0 } };
  const processor = { logicalId: 'StreamFn', environment: { POWERTOOLS_SERVICE_NAME: 'catalog-stream' }, stats: { errors: 0 } };
  const source = {
    mapping: { queueLogicalId: QUEUE, functionLogicalId: 'ConsumerFn' },
    stats: { inFlight: 0, concurrencyCap: 5, deleted: 0 },
  };
  const parts = {
    sqsSources: [source],
    streamSources: [{ mapping: { functionLogicalId: 'StreamFn' } }],
    host: { all: () => [consumer, processor] },
  } as unknown as LiveParts;
  const observer = new LiveObserver(stack, { sqs, queueUrl: (id) => `url:${id}`, now: () => now });
  observer.attach(parts);
  return {
    observer,
    depths,
    source,
    consumer,
    advance: (ms: number) => {
      now += ms;
    },
    now: () => now,
  };
}

const stockChange = (sku: string, quantity: number, writtenAt: number): DynamoDBRecord => ({
  eventName: 'MODIFY',
  dynamodb: { NewImage: marshall(stockItem({ sku, quantity, version: 2 }, writtenAt)) as never },
});

describe('LiveObserver', () => {
  it('counts accepted and turned-away deductions per second from the gateway’s answers, on deduction routes only', async () => {
    const w = world();
    await w.observer.sample();
    for (let i = 0; i < 6; i++) w.observer.recordResponse('POST', '/v1/deductions', 202);
    w.observer.recordResponse('POST', '/v1/products/FLASH-1/deductions?x=1', 202);
    w.observer.recordResponse('POST', '/v1/deductions', 409);
    w.observer.recordResponse('GET', '/v1/products/FLASH-1', 200);
    w.observer.recordResponse('POST', '/v1/deductions', 400);
    w.advance(2_000);

    const sample = await w.observer.sample();

    expect(sample).toMatchObject({
      acceptedPerSecond: 3.5,
      turnedAwayPerSecond: 0.5,
      totals: { accepted: 7, turnedAway: 1 },
      responsesPerSecond: { ok: 4, clientError: 1, serverError: 0 },
    });
    expect(sample.skus.map((s) => s.sku)).toEqual(['FLASH-1']);
  });

  it('reads queue depth, consumer concurrency against its cap, and decisions per second', async () => {
    const w = world();
    await w.observer.sample();
    w.depths.set(`url:${QUEUE}`, { visible: 120, inFlight: 40 });
    w.source.stats.inFlight = 4;
    w.source.stats.deleted = 300;
    w.advance(1_000);

    const sample = await w.observer.sample();

    expect(sample.decidedPerSecond).toBe(300);
    expect(sample.queues.find((q) => q.name === 'StockDeductionsQueue')).toEqual({
      name: 'StockDeductionsQueue',
      function: 'deduction-consumer',
      deadLetter: false,
      visible: 120,
      inFlight: 40,
      delayed: 0,
      running: 4,
      cap: 5,
      settledPerSecond: 300,
    });
    expect(sample.queues.find((q) => q.name === 'StockDeductionsDeadLetters')).toMatchObject({
      deadLetter: true,
      running: null,
      cap: null,
    });
  });

  it('reports dead-letter arrivals, failed invocations and gateway 5xx as events, newest first', async () => {
    const w = world();
    await w.observer.sample();
    w.depths.set(`url:${DLQ}`, { visible: 2, inFlight: 0 });
    w.consumer.stats.errors = 3;
    w.observer.recordResponse('GET', '/v1/products/X', 502);
    w.advance(1_000);

    const sample = await w.observer.sample();

    expect(sample.events.map((e) => [e.kind, e.text])).toEqual([
      ['error', '3 failed invocation(s) of deduction-consumer'],
      ['dead-letter', '2 message(s) arrived in StockDeductionsDeadLetters'],
      ['error', '502 from GET /v1/products/{sku}'],
    ]);
    expect(sample.totals.errors).toBe(4);
  });

  it('measures stream lag from the items’ write stamps (never the stream’s coarse one), and 0 once nothing new is read', async () => {
    const w = world();
    const flag: DynamoDBRecord = {
      eventName: 'MODIFY',
      dynamodb: {
        NewImage: marshall({ pk: 'PRODUCT#A', sk: 'SOLDOUT', sku: 'A', soldOut: false }) as never,
        ApproximateCreationDateTime: 1,
      },
    };
    w.observer.recordStreamRecords([stockChange('A', 5, w.now() - 1_500), stockChange('A', 4, w.now() - 700), flag], 'StreamFn');

    const reading = await w.observer.sample();
    w.advance(1_000);
    const caughtUp = await w.observer.sample();

    expect(reading.streams).toEqual([{ name: 'catalog-stream', lagMs: 700 }]);
    expect(reading.skus).toEqual([{ sku: 'A', onHand: 4, held: 0, sold: 0, soldOut: false }]);
    expect(caughtUp.streams).toEqual([{ name: 'catalog-stream', lagMs: 0 }]);
  });

  it('samples every period while someone listens, and stops when the last one leaves', async () => {
    const seen: number[] = [];
    const observer = new LiveObserver(stack, {
      sqs: { send: async () => ({ Attributes: {} }) } as unknown as SQSClient,
      queueUrl: (id) => id,
      periodMs: 10,
    });
    const unsubscribe = observer.subscribe((s) => seen.push(s.at));
    await expect.poll(() => seen.length, { timeout: 5_000 }).toBeGreaterThanOrEqual(3);
    unsubscribe();
    const stopped = seen.length;
    await new Promise((r) => setTimeout(r, 50));

    expect(seen.length - stopped).toBeLessThanOrEqual(1);
    expect(observer.history().length).toBe(seen.length);
  });
});

describe('displayName', () => {
  it('drops the hash CDK appends to a logical ID', () => {
    expect(displayName('StockDeductionsQueue77833BDB')).toBe('StockDeductionsQueue');
    expect(displayName('Plain')).toBe('Plain');
  });
});
