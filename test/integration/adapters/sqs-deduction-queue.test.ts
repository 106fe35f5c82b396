import { DeleteMessageBatchCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { beforeAll, describe, expect, it } from 'vitest';
import { correlationIdOf, decodeDeductionMessage } from '../../../lambdas/adapters/deduction-messages.js';
import { SqsDeductionQueue } from '../../../lambdas/adapters/sqs-deduction-queue.js';
import { MessageNotSentError } from '../../../lambdas/domain/deductions/ports.js';
import type { DeductionMessage } from '../../../lambdas/domain/deductions/types.js';
import { sqsRecord } from '../../../lib/local/event-sources/sqs-poller.js';
import { deductionQueueContract } from '../../helpers/contracts/deductions.js';
import { deduction } from '../../helpers/deductions.js';
import { provisionResources, type TestResources } from '../../helpers/tables.js';

let resources: TestResources;
let sqs: SQSClient;
// As the functions build it: send to the endpoint, not to the queue URL's host.
const sqsClient = (maxAttempts = 3) =>
  new SQSClient({
    endpoint: resources.endpoints.sqs,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    useQueueUrlAsEndpoint: false,
    maxAttempts,
  });
beforeAll(async () => {
  resources = await provisionResources('StockDeductionsQueue');
  sqs = sqsClient();
});

async function drain(queueUrl: string): Promise<DeductionMessage[]> {
  const messages: DeductionMessage[] = [];
  for (;;) {
    const out = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0, MessageAttributeNames: ['All'] }),
    );
    if (!out.Messages?.length) return messages;
    // Read as the consumer reads them: the record the local event source hands the function.
    for (const m of out.Messages) {
      const record = sqsRecord(m, 'arn:aws:sqs:us-east-1:000000000000:q');
      messages.push(decodeDeductionMessage(record.body, correlationIdOf(record.messageAttributes)) as DeductionMessage);
    }
    await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: out.Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })),
      }),
    );
  }
}

deductionQueueContract('SqsDeductionQueue', async () => {
  const url = resources.queueUrl('StockDeductionsQueue');
  return { queue: new SqsDeductionQueue(sqs, url), received: () => drain(url) };
});

describe('SqsDeductionQueue on fauxqs', () => {
  const message = (): DeductionMessage => {
    const d = deduction();
    return { v: 2, id: d.id, sku: d.sku, quantity: 1, owner: d.owner, createdAt: d.createdAt, requestHash: d.requestHash };
  };

  it('reports a send to a queue that does not exist as certainly not sent', async () => {
    const missing = `${resources.queueUrl('StockDeductionsQueue')}-missing`;
    await expect(new SqsDeductionQueue(sqsClient(1), missing).enqueue(message())).rejects.toBeInstanceOf(MessageNotSentError);
  });

  it('does not claim a send it aborted was not sent', async () => {
    const controller = new AbortController();
    controller.abort();

    const sent = new SqsDeductionQueue(sqs, resources.queueUrl('StockDeductionsQueue')).enqueue(message(), controller.signal);

    await expect(sent).rejects.toThrow();
    await expect(sent).rejects.not.toBeInstanceOf(MessageNotSentError);
  });
});
