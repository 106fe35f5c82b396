import { Logger } from '@aws-lambda-powertools/logger';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { publishMetrics, withTelemetry } from '../../../lambdas/shared/telemetry.js';

const context = (awsRequestId: string) =>
  ({
    awsRequestId,
    functionName: 'product-read',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:product-read',
    memoryLimitInMB: '1024',
    getRemainingTimeInMillis: () => 10_000,
  }) as Context;

/** JSON log lines Powertools Logger writes while `work` runs. */
async function logLines(work: () => Promise<unknown>): Promise<Array<Record<string, unknown>>> {
  const lines: Array<Record<string, unknown>> = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation(((chunk: string) => {
    if (String(chunk).startsWith('{')) lines.push(JSON.parse(String(chunk)));
    return true;
  }) as typeof process.stdout.write);
  try {
    await work();
  } finally {
    spy.mockRestore();
  }
  return lines;
}

describe('withTelemetry', () => {
  afterEach(() => vi.unstubAllEnvs());

  it('puts the Lambda context on every log line, with the cold start on the first invocation only', async () => {
    vi.stubEnv('AWS_LAMBDA_INITIALIZATION_TYPE', 'on-demand');
    const logger = new Logger({ serviceName: 'product-read' });
    const handler = middy(async () => {
      logger.info('served');
    }).use(withTelemetry({ logger }));

    const lines = await logLines(async () => {
      await handler({}, context('req-1'));
      await handler({}, context('req-2'));
    });

    expect(lines.map((l) => [l.message, l.function_request_id, l.cold_start, l.service])).toEqual([
      ['served', 'req-1', true, 'product-read'],
      ['served', 'req-2', false, 'product-read'],
    ]);
  });

  it('drops keys appended during an invocation after it', async () => {
    const logger = new Logger({ serviceName: 'feed-read' });
    const handler = middy(async (event: { feedId: string }) => {
      logger.info('before');
      logger.appendKeys({ feedId: event.feedId });
      logger.info('after');
    }).use(withTelemetry({ logger }));

    const lines = await logLines(async () => {
      await handler({ feedId: 'a' }, context('r1'));
      await handler({ feedId: 'b' }, context('r2'));
    });

    expect(lines.map((l) => l.feedId)).toEqual([undefined, 'a', undefined, 'b']);
  });
});

describe('publishMetrics', () => {
  it('publishes when due before and after every invocation (also a failed one), and records the cold start', async () => {
    const calls: string[] = [];
    const metrics = { publishIfDue: () => calls.push('publish'), captureColdStart: () => calls.push('cold') };
    const handler = middy(async (event: { fail?: boolean }) => {
      calls.push('handle');
      if (event.fail) throw new Error('boom');
    }).use(publishMetrics(metrics));

    await handler({}, context('r1'));
    await expect(handler({ fail: true }, context('r2'))).rejects.toThrow('boom');

    expect(calls).toEqual(['cold', 'publish', 'handle', 'publish', 'cold', 'publish', 'handle', 'publish']);
  });
});
