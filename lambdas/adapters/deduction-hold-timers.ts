import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { runsOf } from '../domain/deductions/chunks.js';
import type { HoldTimers } from '../domain/deductions/ports.js';
import type { HoldExpiryMessage } from '../domain/deductions/types.js';
import { encodeHoldExpiryMessage } from './deduction-messages.js';

/** SQS delays a message by at most 15 minutes (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-delay-queues.html). */
export const MAX_DELAY_SECONDS = 900;

/**
 * Whole seconds to delay a timer due in `ms`: rounded up, so it never arrives before its hold's
 * deadline, and capped at the SQS maximum (a later deadline arrives early and is sent again).
 */
export const delaySecondsFor = (ms: number) => Math.min(MAX_DELAY_SECONDS, Math.max(0, Math.ceil(ms / 1000)));

/** Hold-expiry timers as delayed messages on the hold-expiry queue (SendMessageBatch, 10 a call). */
export class SqsHoldTimers implements HoldTimers {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async schedule(timers: ReadonlyArray<{ message: HoldExpiryMessage; delayMs: number }>): Promise<number[]> {
    const failed: number[] = [];
    const indexes = timers.map((_, i) => i);
    await Promise.all(
      runsOf(indexes, 10).map(async (run) => {
        try {
          const out = await this.client.send(
            new SendMessageBatchCommand({
              QueueUrl: this.queueUrl,
              Entries: run.map((i) => ({
                Id: String(i),
                MessageBody: encodeHoldExpiryMessage(timers[i]?.message as HoldExpiryMessage),
                DelaySeconds: delaySecondsFor(timers[i]?.delayMs ?? 0),
              })),
            }),
          );
          for (const f of out.Failed ?? []) failed.push(Number(f.Id));
        } catch {
          // Sent or not, the caller retries these: a duplicate timer changes nothing.
          failed.push(...run);
        }
      }),
    );
    return failed.sort((a, b) => a - b);
  }
}
