import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { FunctionTimeoutError, LambdaHost, LOCAL_HOSTING_ENV } from '../../../lib/local/lambda-host.js';
import type { FunctionDescription } from '../../../lib/local/stack-description.js';

/** A bundle that echoes its configuration (read at module scope, as Crest functions do) and can be told to stall. */
const BUNDLE = `
const config = { table: process.env.TABLE, readTimeout: process.env.READ_TIMEOUT_STOCK_MS, name: process.env.AWS_LAMBDA_FUNCTION_NAME };
export const handler = async (event, context) => {
  if (event.stallMs) await new Promise((r) => setTimeout(r, event.stallMs));
  if (event.fail) throw new Error('handler failed');
  if (event.tag) {
    // What Powertools does with a key it appends: it lives in the invocation's own context.
    const store = globalThis.awslambda.InvokeStore;
    store.set(Symbol.for('tag'), event.tag);
    await new Promise((r) => setTimeout(r, event.waitMs));
    return { tag: store.get(Symbol.for('tag')), requestId: store.getRequestId(), awsRequestId: context.awsRequestId };
  }
  return { config, remainingMs: context.getRemainingTimeInMillis(), arn: context.invokedFunctionArn };
};
`;

const description = (logicalId: string, timeoutSeconds: number, environment: Record<string, string>): FunctionDescription => ({
  logicalId,
  name: `t-${logicalId}`,
  arn: `arn:aws:lambda:us-east-1:000000000000:function:t-${logicalId}`,
  handlerFile: 'index',
  handlerExport: 'handler',
  assetPath: 'asset.echo',
  timeoutSeconds,
  memoryMb: 128,
  environment,
});

describe('LambdaHost', () => {
  const host = (() => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'crest-host-'));
    mkdirSync(path.join(dir, 'asset.echo'));
    writeFileSync(path.join(dir, 'asset.echo', 'index.mjs'), BUNDLE);
    return new LambdaHost(dir, (fn) => fn.environment as Record<string, string>);
  })();
  beforeAll(async () => {
    await host.load([
      description('Quick', 0.3, { TABLE: 'table-a', READ_TIMEOUT_STOCK_MS: '150' }),
      description('Other', 5, { TABLE: 'table-b' }),
    ]);
  });

  it('loads each bundle with its own environment, the local hosting values on top', async () => {
    const quick = (await host.get('Quick').invoke({})) as { config: Record<string, string>; arn: string };
    const other = (await host.get('Other').invoke({})) as { config: Record<string, string> };

    expect(quick.config).toEqual({ table: 'table-a', readTimeout: LOCAL_HOSTING_ENV.READ_TIMEOUT_STOCK_MS, name: 't-Quick' });
    expect(other.config.table).toBe('table-b');
    expect(quick.arn).toBe('arn:aws:lambda:us-east-1:000000000000:function:t-Quick');
    expect(host.get('Quick').environment.TABLE).toBe('table-a');
  });

  it('gives the handler the time left before its timeout', async () => {
    const result = (await host.get('Other').invoke({})) as { remainingMs: number };

    expect(result.remainingMs).toBeGreaterThan(0);
    expect(result.remainingMs).toBeLessThanOrEqual(5000);
  });

  it('fails an invocation that runs past the function timeout instead of waiting for it', async () => {
    const fn = host.get('Quick');
    const before = { ...fn.stats };

    const failure = await fn.invoke({ stallMs: 60_000 }).catch((e: unknown) => e);

    expect(failure).toBeInstanceOf(FunctionTimeoutError);
    expect((failure as Error).message).toBe('Task timed out after 0.30 seconds');
    expect(fn.stats).toMatchObject({ inFlight: 0, timeouts: before.timeouts + 1, errors: before.errors + 1 });
  });

  it('passes handler errors through and counts them', async () => {
    const fn = host.get('Other');
    const errors = fn.stats.errors;

    await expect(fn.invoke({ fail: true })).rejects.toThrow('handler failed');
    expect(fn.stats.errors).toBe(errors + 1);
  });

  it('runs each invocation in its own context, as Lambda runs concurrent ones (Powertools keys stay apart)', async () => {
    const fn = host.get('Other');

    const [first, second] = (await Promise.all([
      fn.invoke({ tag: 'first', waitMs: 50 }),
      fn.invoke({ tag: 'second', waitMs: 0 }),
    ])) as Array<{
      tag: string;
      requestId: string;
      awsRequestId: string;
    }>;

    expect(process.env.AWS_LAMBDA_MAX_CONCURRENCY).toBeDefined();
    expect([first?.tag, second?.tag]).toEqual(['first', 'second']);
    expect(first?.requestId).toBe(first?.awsRequestId);
    expect(second?.requestId).toBe(second?.awsRequestId);
  });

  it('refuses a function it does not host', () => {
    expect(() => host.get('Nope')).toThrow(/not hosted locally/);
  });
});
