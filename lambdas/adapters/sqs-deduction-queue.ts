import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { type DeductionQueue, MessageNotSentError } from '../domain/deductions/ports.js';
import type { DeductionMessage } from '../domain/deductions/types.js';
import { deductionMessageAttributes, encodeDeductionMessage } from './deduction-messages.js';

/** Network failures that happen before a request reaches the service. */
const NEVER_CONNECTED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);

/**
 * True only when a failed SendMessage certainly did not enqueue the message: its one attempt was
 * refused by SQS (a 4xx that is not throttling: the queue does not exist, access denied, an
 * invalid message) or never reached it. Anything else (a timeout, an abort, a reset connection,
 * a 5xx, or a refusal after an earlier attempt that may have got through) may have been enqueued.
 */
export function certainlyNotSent(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const e = error as Error & {
    code?: string;
    $fault?: string;
    $retryable?: unknown;
    $metadata?: { httpStatusCode?: number; attempts?: number };
  };
  if ((e.$metadata?.attempts ?? 1) > 1) return false;
  const status = e.$metadata?.httpStatusCode;
  if (status !== undefined) return status >= 400 && status < 500 && e.$fault === 'client' && e.$retryable === undefined;
  return NEVER_CONNECTED.has(e.code ?? '');
}

export class SqsDeductionQueue implements DeductionQueue {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async enqueue(message: DeductionMessage, signal?: AbortSignal): Promise<void> {
    try {
      await this.client.send(
        new SendMessageCommand({
          QueueUrl: this.queueUrl,
          MessageBody: encodeDeductionMessage(message),
          MessageAttributes: deductionMessageAttributes(message),
        }),
        { abortSignal: signal },
      );
    } catch (error) {
      if (certainlyNotSent(error))
        throw new MessageNotSentError(`SQS did not take the message: ${(error as Error).name}`, { cause: error });
      throw error;
    }
  }
}
