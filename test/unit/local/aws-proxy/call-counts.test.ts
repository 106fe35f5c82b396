import { describe, expect, it } from 'vitest';
import { byOperation, CallCounter, diffCounts, UNATTRIBUTED } from '../../../../lib/local/aws-proxy/call-counts.js';

describe('CallCounter', () => {
  it('counts by caller and operation; a call without a caller is the runtime’s own', () => {
    const counter = new CallCounter();
    counter.record('deductions-api', 'dynamodb.PutItem', { calls: 1, writeUnits: 1 });
    counter.record('deductions-api', 'dynamodb.PutItem', { calls: 1, writeUnits: 2 });
    counter.record(undefined, 'sqs.GetQueueAttributes', { calls: 1 });
    const counts = counter.snapshot();
    expect(counts['deductions-api']?.['dynamodb.PutItem']).toMatchObject({ calls: 2, writeUnits: 3 });
    expect(counts[UNATTRIBUTED]?.['sqs.GetQueueAttributes']?.calls).toBe(1);
  });

  it('diffs two snapshots and totals operations over the callers asked for', () => {
    const counter = new CallCounter();
    counter.record('a', 'sqs.SendMessage', { calls: 1, billedRequests: 1 });
    const before = counter.snapshot();
    counter.record('a', 'sqs.SendMessage', { calls: 2, billedRequests: 3 });
    counter.record('b', 'sqs.SendMessage', { calls: 1, billedRequests: 1 });
    counter.record('c', 'sqs.ReceiveMessage', { calls: 5 });
    const delta = diffCounts(counter.snapshot(), before);
    expect(delta.a?.['sqs.SendMessage']).toMatchObject({ calls: 2, billedRequests: 3 });
    expect(byOperation(delta, (caller) => caller !== 'c')).toEqual({
      'sqs.SendMessage': expect.objectContaining({ calls: 3, billedRequests: 4 }),
    });
  });
});
