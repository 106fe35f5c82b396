import { describe, expect, it } from 'vitest';
import { certainlyNotSent } from '../../../lambdas/adapters/sqs-deduction-queue.js';

const sdkError = (name: string, fields: object) => Object.assign(new Error(name), { name, ...fields });

describe('certainlyNotSent', () => {
  it('is true only for a first attempt SQS refused, or one that never reached it', () => {
    expect(certainlyNotSent(sdkError('QueueDoesNotExist', { $fault: 'client', $metadata: { httpStatusCode: 400, attempts: 1 } }))).toBe(
      true,
    );
    expect(certainlyNotSent(sdkError('AccessDenied', { $fault: 'client', $metadata: { httpStatusCode: 403 } }))).toBe(true);
    expect(certainlyNotSent(sdkError('Error', { code: 'ECONNREFUSED' }))).toBe(true);
  });

  it('is false for anything that may have enqueued the message', () => {
    const maybe = [
      sdkError('TimeoutError', {}),
      sdkError('AbortError', {}),
      sdkError('Error', { code: 'ECONNRESET' }),
      sdkError('InternalError', { $fault: 'server', $metadata: { httpStatusCode: 500 } }),
      sdkError('ThrottlingException', { $fault: 'client', $retryable: { throttling: true }, $metadata: { httpStatusCode: 400 } }),
      // Refused on a retry: the first attempt may have got through.
      sdkError('QueueDoesNotExist', { $fault: 'client', $metadata: { httpStatusCode: 400, attempts: 2 } }),
      'not an error',
    ];
    for (const error of maybe) expect(certainlyNotSent(error), String((error as Error).name ?? error)).toBe(false);
  });
});
