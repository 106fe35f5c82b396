import { describe, expect, it } from 'vitest';
import { healthTargets } from '../../../lambdas/health-check/targets.js';
import { ConfigurationError } from '../../../lambdas/shared/env.js';

describe('healthTargets', () => {
  it('reads what ServiceHealth writes into HEALTH_TARGETS', () => {
    const targets = {
      tables: [{ name: 'catalog', table: 'T1' }],
      queues: [{ name: 'deductions', url: 'https://sqs/q' }],
      deadLetterQueues: [{ name: 'deductions-dlq', url: 'https://sqs/dlq' }],
      buckets: [{ name: 'feed-static-copies', bucket: 'b' }],
      streams: [{ name: 'catalog-stream', table: 'T1' }],
    };

    expect(healthTargets(JSON.stringify(targets))).toEqual(targets);
  });

  it('fails the cold start on anything else', () => {
    expect(() => healthTargets('not json')).toThrow(ConfigurationError);
    expect(() => healthTargets(JSON.stringify({ tables: [{ name: 'catalog' }] }))).toThrow(/HEALTH_TARGETS is malformed/);
  });
});
