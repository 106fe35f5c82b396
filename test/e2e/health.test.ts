import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalRuntime } from '../../lib/local/runtime.js';
import { call } from '../helpers/api.js';
import { bootRuntime } from '../helpers/runtime.js';

describe('health on the local runtime', () => {
  let runtime: LocalRuntime;
  beforeAll(async () => {
    runtime = await bootRuntime();
  });
  afterAll(() => runtime?.stop());

  const deep = async () => call(`${runtime.url}/v1/admin/health`, { headers: { authorization: await runtime.token('ops', ['admins']) } });

  it('answers GET /v1/health anonymously from the gateway, invoking no function', async () => {
    const before = runtime.host.all().reduce((n, f) => n + f.stats.invocations, 0);

    const res = await call(`${runtime.url}/v1/health`);

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(runtime.host.all().reduce((n, f) => n + f.stats.invocations, 0)).toBe(before);
  });

  it('keeps GET /v1/admin/health for admins', async () => {
    const anonymous = await call(`${runtime.url}/v1/admin/health`);
    const asBuyer = await call(`${runtime.url}/v1/admin/health`, { headers: { authorization: await runtime.token('ann') } });

    expect(anonymous.status).toBe(401);
    expect(asBuyer.status).toBe(403);
  });

  it('reports every dependency of the stack reachable, with its latency', async () => {
    const res = await deep();

    expect(res.status).toBe(200);
    expect(res.body.status).toBe('ok');
    expect(res.body.dependencies.map((d: { kind: string; name: string; status: string }) => [d.kind, d.name, d.status])).toEqual([
      ['table', 'catalog', 'ok'],
      ['table', 'deductions', 'ok'],
      ['table', 'feeds', 'ok'],
      ['queue', 'deductions', 'ok'],
      ['queue', 'hold-expiry', 'ok'],
      ['dead-letter-queue', 'deductions-dlq', 'ok'],
      ['dead-letter-queue', 'catalog-stream-failures', 'ok'],
      ['dead-letter-queue', 'hold-expiry-dlq', 'ok'],
      ['dead-letter-queue', 'deduction-events-failures', 'ok'],
      ['bucket', 'feed-static-copies', 'ok'],
      ['stream', 'catalog-stream', 'ok'],
    ]);
    for (const d of res.body.dependencies) expect(d.latencyMs).toEqual(expect.any(Number));
  });

  it('measures the catalog stream’s lag from the heartbeat its processor keeps', async () => {
    const write = await call(`${runtime.url}/v1/admin/products/DEMO-0003/stock`, {
      method: 'PUT',
      headers: { authorization: await runtime.token('ops', ['admins']), 'content-type': 'application/json' },
      body: JSON.stringify({ delta: 1 }),
    });
    expect(write.status).toBe(200);
    await runtime.settle();

    const stream = (await deep()).body.dependencies.find((d: { kind: string }) => d.kind === 'stream');

    expect(stream).toMatchObject({ status: 'ok', detail: { lagMs: expect.any(Number), lastBatchAt: expect.any(String) } });
    // Measured from the stock item's own write stamp (ms), not the stream's minute-rounded one.
    expect(stream.detail.lagMs).toBeLessThan(60_000);
  });

  it('is degraded while a dead-letter queue holds a message', async () => {
    await runtime.clients.sqs.send(
      new SendMessageCommand({ QueueUrl: runtime.queueUrl('CacheInvalidationFailures'), MessageBody: '{"planted":true}' }),
    );

    const res = await deep();

    expect(res.body.status).toBe('degraded');
    expect(res.body.dependencies.find((d: { name: string }) => d.name === 'catalog-stream-failures')).toMatchObject({
      status: 'degraded',
      detail: { messages: 1 },
    });
  });
});
