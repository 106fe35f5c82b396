import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { DeductionQueue } from '../domain/deductions/ports.js';
import type { DeductionMessage } from '../domain/deductions/types.js';

export class SqsDeductionQueue implements DeductionQueue {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async enqueue(message: DeductionMessage): Promise<void> {
    await this.client.send(new SendMessageCommand({ QueueUrl: this.queueUrl, MessageBody: JSON.stringify(message) }));
  }
}
