import {
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent, SQSMessageAttributes, SQSRecord, SQSRecordAttributes } from 'aws-lambda';
import type { HostedFunction } from '../lambda-host.js';
import type { QueueDescription, QueueMapping } from '../stack-description.js';
import { LOCAL_REGION } from '../template.js';

export interface SqsSourceStats {
  queue: string;
  function: string;
  concurrencyCap: number;
  inFlight: number;
  maxInFlight: number;
  invocations: number;
  deleted: number;
  returned: number;
}

/**
 * The Lambda SQS poller, on this machine: long-polls the queue, gathers up to BatchSize messages
 * within MaximumBatchingWindow, runs at most `concurrency` invocations at once, deletes only the
 * messages that succeeded (all of them when the function returns no failures, none when it
 * throws), and leaves failed ones to reappear after the visibility timeout, where fauxqs
 * redrives them to the DLQ after maxReceiveCount receives.
 */
export class SqsEventSource {
  private running = false;
  private workers: Promise<void>[] = [];
  readonly stats: SqsSourceStats;

  /**
   * @param queueUrl the URL the emulator issued for the mapping's queue.
   */
  constructor(
    readonly mapping: QueueMapping,
    private readonly queue: QueueDescription,
    private readonly queueUrl: string,
    private readonly fn: HostedFunction,
    private readonly sqs: SQSClient,
    private readonly log: (line: string) => void = () => undefined,
  ) {
    this.stats = {
      queue: queue.name,
      function: mapping.functionLogicalId,
      concurrencyCap: mapping.concurrency,
      inFlight: 0,
      maxInFlight: 0,
      invocations: 0,
      deleted: 0,
      returned: 0,
    };
  }

  start(): void {
    this.running = true;
    this.workers = Array.from({ length: this.mapping.concurrency }, () => this.work());
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.workers);
  }

  async depth(): Promise<{ visible: number; inFlight: number }> {
    const out = await this.sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: this.queueUrl,
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
      }),
    );
    return {
      visible: Number(out.Attributes?.ApproximateNumberOfMessages ?? 0),
      inFlight: Number(out.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0),
    };
  }

  private async work(): Promise<void> {
    while (this.running) {
      try {
        const batch = await this.collect();
        if (batch.length > 0) await this.deliver(batch);
      } catch (error) {
        if (this.running) {
          this.log(`sqs poller for ${this.stats.queue}: ${(error as Error).message}`);
          await new Promise((r) => setTimeout(r, 500));
        }
      }
    }
  }

  /** Up to batchSize messages: the window opens at the first message and closes after windowMs. */
  private async collect(): Promise<Message[]> {
    const batch: Message[] = [];
    let closesAt = 0;
    while (this.running && batch.length < this.mapping.batchSize) {
      const remaining = closesAt ? closesAt - Date.now() : 1000;
      if (closesAt && remaining <= 0) break;
      const out = await this.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: this.queueUrl,
          MaxNumberOfMessages: Math.min(10, this.mapping.batchSize - batch.length),
          WaitTimeSeconds: batch.length === 0 ? 1 : 0,
          MessageSystemAttributeNames: ['All'],
          MessageAttributeNames: ['All'],
        }),
      );
      const received = out.Messages ?? [];
      batch.push(...received);
      if (batch.length > 0 && !closesAt) closesAt = Date.now() + this.mapping.windowMs;
      if (received.length === 0 && batch.length > 0)
        await new Promise((r) => setTimeout(r, Math.min(25, Math.max(0, closesAt - Date.now()))));
    }
    return batch;
  }

  private async deliver(batch: Message[]): Promise<void> {
    const event: SQSEvent = { Records: batch.map((m) => sqsRecord(m, this.queue.arn)) };
    this.stats.inFlight += 1;
    this.stats.invocations += 1;
    this.stats.maxInFlight = Math.max(this.stats.maxInFlight, this.stats.inFlight);
    let failedIds: Set<string>;
    try {
      const result = (await this.fn.invoke(event)) as SQSBatchResponse | undefined;
      failedIds = this.failures(batch, result);
    } catch (error) {
      this.log(`${this.stats.function} failed on a batch of ${batch.length}: ${(error as Error).message}`);
      failedIds = new Set(batch.map((m) => m.MessageId ?? ''));
    } finally {
      this.stats.inFlight -= 1;
    }
    const done = batch.filter((m) => !failedIds.has(m.MessageId ?? ''));
    this.stats.returned += batch.length - done.length;
    for (let i = 0; i < done.length; i += 10) {
      const slice = done.slice(i, i + 10);
      await this.sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: this.queueUrl,
          Entries: slice.map((m, j) => ({ Id: String(j), ReceiptHandle: m.ReceiptHandle })),
        }),
      );
      this.stats.deleted += slice.length;
    }
  }

  /** Lambda's partial-batch rules: an unknown or empty itemIdentifier fails the whole batch. */
  private failures(batch: Message[], result: SQSBatchResponse | undefined): Set<string> {
    if (!this.mapping.reportBatchItemFailures || !result?.batchItemFailures?.length) return new Set();
    const ids = new Set(batch.map((m) => m.MessageId ?? ''));
    const failed = new Set(result.batchItemFailures.map((f) => f.itemIdentifier));
    for (const id of failed) if (!id || !ids.has(id)) return ids;
    return failed;
  }
}

/**
 * One received message as Lambda's SQS event source hands it to the function: the system
 * attributes it passes (AWSTraceHeader only when the message has one) and the message attributes
 * in the event's camel-case shape (https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html).
 */
export function sqsRecord(m: Message, queueArn: string): SQSRecord {
  const attributes: SQSRecordAttributes = {
    ApproximateReceiveCount: m.Attributes?.ApproximateReceiveCount ?? '1',
    SentTimestamp: m.Attributes?.SentTimestamp ?? String(Date.now()),
    SenderId: m.Attributes?.SenderId ?? 'local',
    ApproximateFirstReceiveTimestamp: m.Attributes?.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
    ...(m.Attributes?.AWSTraceHeader ? { AWSTraceHeader: m.Attributes.AWSTraceHeader } : {}),
  };
  const messageAttributes: SQSMessageAttributes = {};
  for (const [name, value] of Object.entries(m.MessageAttributes ?? {})) {
    messageAttributes[name] = {
      dataType: value.DataType ?? 'String',
      ...(value.StringValue !== undefined ? { stringValue: value.StringValue } : {}),
      ...(value.BinaryValue !== undefined ? { binaryValue: Buffer.from(value.BinaryValue).toString('base64') } : {}),
      stringListValues: value.StringListValues ?? [],
      binaryListValues: (value.BinaryListValues ?? []).map((b) => Buffer.from(b).toString('base64')),
    };
  }
  return {
    messageId: m.MessageId ?? '',
    receiptHandle: m.ReceiptHandle ?? '',
    body: m.Body ?? '',
    attributes,
    messageAttributes,
    md5OfBody: m.MD5OfBody ?? '',
    ...(m.MD5OfMessageAttributes ? { md5OfMessageAttributes: m.MD5OfMessageAttributes } : {}),
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: LOCAL_REGION,
  };
}
