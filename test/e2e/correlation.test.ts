import { randomUUID } from 'node:crypto';
import { ChangeMessageVisibilityCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flashSaleProduct, seedCatalog } from '../../lib/local/demo-data.js';
import type { SqsEventSource } from '../../lib/local/event-sources/sqs-poller.js';
import type { LocalRuntime } from '../../lib/local/runtime.js';
import { captureFunctionLogs, type LogLine } from '../helpers/function-logs.js';
import { call } from '../helpers/http.js';
import { bootRuntime } from '../helpers/runtime.js';

const SKU = 'TRACE-1';

/** The entries of a log line's array field (e.g. the deductions a batch decided). */
const entries = (line: LogLine, field: string) => (Array.isArray(line[field]) ? (line[field] as Array<Record<string, unknown>>) : []);

/**
 * One request followed by its correlation id on the local runtime: the API's answer and log line,
 * the message on the deductions queue, the consumer's batch line and deduction-events' line, and
 * the event on the bus. A correlation id a client forged is replaced by the request id.
 */
describe('following a request by its correlation id (API → queue → consumer → stream → events)', () => {
  let runtime: LocalRuntime;
  let logs: ReturnType<typeof captureFunctionLogs>;
  let consumer: SqsEventSource;

  beforeAll(async () => {
    logs = captureFunctionLogs();
    runtime = await bootRuntime({ seed: false });
    await seedCatalog(DynamoDBDocumentClient.from(runtime.clients.dynamodb), runtime.resourceName('AWS::DynamoDB::Table', 'Catalog'), [
      flashSaleProduct(10, SKU),
    ]);
    const queue = runtime.resourceName('AWS::SQS::Queue', 'DeductionsQueue');
    const source = runtime.sqsSources.find((s) => s.stats.queue === queue);
    if (!source) throw new Error('no event source on the deductions queue');
    consumer = source;
  });
  afterAll(async () => {
    logs?.stop();
    await runtime?.stop();
  });

  const buy = async (headers: Record<string, string>) =>
    call(`${runtime.url}/v1/products/${SKU}/deductions`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'idempotency-key': `trace-${randomUUID()}`,
        authorization: await runtime.token('tracer'),
        ...headers,
      },
      body: JSON.stringify({ quantity: 1 }),
    });

  it('finds the request in the answer, the queue message and every function’s log lines', async () => {
    const correlationId = `e2e-${randomUUID()}`;
    // Hold the consumer back so the message can be read off the queue as the consumer will get it.
    await consumer.stop();

    const answer = await buy({ 'x-correlation-id': correlationId });
    const id = answer.body.id as string;
    const queued = await receive(id);
    consumer.start();

    expect(answer.status).toBe(202);
    expect(answer.headers.get('x-correlation-id')).toBe(correlationId);
    expect(queued.MessageAttributes?.correlationId).toEqual({ DataType: 'String', StringValue: correlationId });

    const accepted = await logs.waitFor(
      (l) => l.service === 'deductions-api' && l.message === 'Deduction accepted' && l.deductionId === id,
    );
    const settled = await logs.waitFor(
      (l) => l.service === 'deduction-consumer' && l.message === 'Batch settled' && entries(l, 'decided').some((d) => d.id === id),
    );
    const published = await logs.waitFor(
      (l) => l.service === 'deduction-events' && l.message === 'Transitions handled' && entries(l, 'deductions').some((d) => d.id === id),
    );

    expect(accepted).toMatchObject({ correlation_id: correlationId, function_request_id: expect.any(String) });
    expect(entries(settled, 'decided').find((d) => d.id === id)).toEqual({ id, outcome: 'HELD', correlationId });
    expect(entries(published, 'deductions').find((d) => d.id === id)).toEqual({ id, status: 'HELD', correlationId });
    const event = runtime.events.list().find((e) => (e.detail as { id?: string }).id === id);
    expect(event?.detail).toMatchObject({ id, status: 'HELD', correlationId });
  });

  it('keeps concurrent requests’ correlation ids apart in the one process that hosts them', async () => {
    const ids = Array.from({ length: 8 }, (_, i) => `e2e-burst-${i}-${randomUUID()}`);

    const answers = await Promise.all(ids.map((correlationId) => buy({ 'x-correlation-id': correlationId })));
    const lines = await Promise.all(
      answers.map((a) =>
        logs.waitFor((l) => l.service === 'deductions-api' && l.message === 'Deduction accepted' && l.deductionId === a.body.id),
      ),
    );

    expect(answers.map((a) => a.headers.get('x-correlation-id'))).toEqual(ids);
    expect(lines.map((l) => l.correlation_id)).toEqual(ids);
  });

  it('answers, logs and stores the request id, never a forged or oversized correlation id', async () => {
    const forged = ['a'.repeat(4_000), '"},"correlation_id":"someone-else', 'buyer@example.com', '{"level":"ERROR"}'];

    for (const value of forged) {
      const answer = await buy({ 'x-correlation-id': value });
      const echoed = answer.headers.get('x-correlation-id');
      const accepted = await logs.waitFor(
        (l) => l.service === 'deductions-api' && l.message === 'Deduction accepted' && l.deductionId === answer.body.id,
      );

      expect(answer.status).toBe(202);
      expect(echoed).toMatch(/^[A-Za-z0-9._:-]{1,128}$/);
      expect(echoed).not.toBe(value);
      expect(accepted.correlation_id).toBe(echoed);
    }
    await runtime.settle();
    const everything = JSON.stringify(logs.lines) + JSON.stringify(runtime.events.list());
    for (const value of forged) expect(everything).not.toContain(JSON.stringify(value).slice(1, -1));
  });

  /** The deductions queue's message for `id`, left visible for the consumer. */
  async function receive(id: string) {
    const queueUrl = runtime.queueUrl('DeductionsQueue');
    for (let attempt = 0; attempt < 50; attempt++) {
      const out = await runtime.clients.sqs.send(
        new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, MessageAttributeNames: ['All'] }),
      );
      for (const m of out.Messages ?? []) {
        await runtime.clients.sqs.send(
          new ChangeMessageVisibilityCommand({ QueueUrl: queueUrl, ReceiptHandle: m.ReceiptHandle, VisibilityTimeout: 0 }),
        );
        if ((JSON.parse(m.Body ?? '{}') as { id?: string }).id === id) return m;
      }
    }
    throw new Error(`message of ${id} not on the queue`);
  }
});
