import { DeleteMessageBatchCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { beforeAll, describe, expect, it } from 'vitest';
import { delaySecondsFor, SqsHoldTimers } from '../../../lambdas/adapters/deduction-hold-timers.js';
import { decodeHoldExpiryMessage } from '../../../lambdas/adapters/deduction-messages.js';
import type { HoldExpiryMessage } from '../../../lambdas/domain/deductions/types.js';
import { holdTimersContract } from '../../helpers/contracts/deductions.js';
import { deduction } from '../../helpers/deductions.js';
import { provisionResources, type TestResources } from '../../helpers/tables.js';

let resources: TestResources;
let sqs: SQSClient;
beforeAll(async () => {
  resources = await provisionResources('DeductionHoldsExpiryQueue');
  // As the functions build it: send to the endpoint, not to the queue URL's host.
  sqs = new SQSClient({
    endpoint: resources.endpoints.sqs,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    useQueueUrlAsEndpoint: false,
  });
});
const queueUrl = () => resources.queueUrl('DeductionHoldsExpiryQueue');

/** Receives (and deletes) until `count` timers arrived or `forMs` passed. */
async function receive(count: number, forMs = 10_000): Promise<HoldExpiryMessage[]> {
  const got: HoldExpiryMessage[] = [];
  const deadline = Date.now() + forMs;
  while (got.length < count && Date.now() < deadline) {
    const out = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl(), MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
    if (!out.Messages?.length) continue;
    for (const m of out.Messages) got.push(decodeHoldExpiryMessage(m.Body ?? '') as HoldExpiryMessage);
    await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queueUrl(),
        Entries: out.Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })),
      }),
    );
  }
  return got;
}

holdTimersContract('SqsHoldTimers', async () => ({ timers: new SqsHoldTimers(sqs, queueUrl()), received: receive }));

describe('SqsHoldTimers on fauxqs', () => {
  it('delays a timer until its deadline: not delivered before, delivered after', async () => {
    const timers = new SqsHoldTimers(sqs, queueUrl());
    const message: HoldExpiryMessage = { v: 1, id: deduction().id, sku: 'SKU-1', expiresAt: Date.now() + 3_500 };

    await timers.schedule([{ message, delayMs: 3_500 }]);
    const delayed = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: queueUrl(),
        AttributeNames: ['ApproximateNumberOfMessagesDelayed', 'ApproximateNumberOfMessages'],
      }),
    );
    const arrived = await receive(1, 30_000);

    expect(delayed.Attributes).toMatchObject({ ApproximateNumberOfMessagesDelayed: '1', ApproximateNumberOfMessages: '0' });
    expect(arrived).toEqual([message]);
    expect(Date.now()).toBeGreaterThanOrEqual(message.expiresAt);
  });

  it('names the timers a queue refuses, so the caller sends them again', async () => {
    const timers = new SqsHoldTimers(sqs, `${queueUrl()}-missing`);

    const failed = await timers.schedule(
      [0, 1, 2].map((i) => ({ message: { v: 1, id: deduction().id, sku: 'SKU-1', expiresAt: i }, delayMs: 0 })),
    );

    expect(failed).toEqual([0, 1, 2]);
  });
});

describe('delaySecondsFor', () => {
  it('rounds up, so a timer never arrives before its deadline, and caps at the SQS maximum of 900 s', () => {
    expect(delaySecondsFor(0)).toBe(0);
    expect(delaySecondsFor(-5_000)).toBe(0);
    expect(delaySecondsFor(1)).toBe(1);
    expect(delaySecondsFor(29_001)).toBe(30);
    expect(delaySecondsFor(3_600_000)).toBe(900);
  });
});
