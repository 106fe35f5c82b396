import { describe, expect, it } from 'vitest';
import { checkHealth, type HealthTargets } from '../../../../lambdas/domain/health/check.js';
import { ManualClock } from '../../../helpers/clock.js';
import { FakeProbes } from '../../../helpers/health.js';

const targets: HealthTargets = {
  tables: [
    { name: 'catalog', table: 'CatalogTable' },
    { name: 'deductions', table: 'DeductionsTable' },
  ],
  queues: [{ name: 'deductions', url: 'q://deductions' }],
  deadLetterQueues: [{ name: 'deductions-dlq', url: 'q://dlq' }],
  buckets: [{ name: 'feed-static-copies', bucket: 'static' }],
  streams: [{ name: 'catalog-stream', table: 'CatalogTable' }],
};
const options = { timeoutMs: 50, maxStreamLagMs: 60_000 };

describe('checkHealth', () => {
  it('reports every dependency ok, with what it saw, when all answer and nothing waits', async () => {
    const probes = new FakeProbes();
    probes.queues.set('q://deductions', { visible: 12, inFlight: 3, delayed: 1 });

    const report = await checkHealth(targets, probes, new ManualClock(), options);

    expect(report.status).toBe('ok');
    expect(report.dependencies.map((d) => [d.kind, d.name, d.status])).toEqual([
      ['table', 'catalog', 'ok'],
      ['table', 'deductions', 'ok'],
      ['queue', 'deductions', 'ok'],
      ['dead-letter-queue', 'deductions-dlq', 'ok'],
      ['bucket', 'feed-static-copies', 'ok'],
      ['stream', 'catalog-stream', 'ok'],
    ]);
    expect(report.dependencies.find((d) => d.kind === 'queue')?.detail).toEqual({ visible: 12, inFlight: 3, delayed: 1 });
    expect(report.dependencies.find((d) => d.kind === 'stream')?.detail).toEqual({ lagMs: null, lastBatchAt: null });
    for (const d of report.dependencies) expect(d.latencyMs).toBeGreaterThanOrEqual(0);
  });

  it('is degraded while a dead-letter queue holds messages', async () => {
    const probes = new FakeProbes();
    probes.queues.set('q://dlq', { visible: 2, inFlight: 0, delayed: 0 });

    const report = await checkHealth(targets, probes, new ManualClock(), options);

    expect(report.status).toBe('degraded');
    expect(report.dependencies.find((d) => d.name === 'deductions-dlq')).toMatchObject({ status: 'degraded', detail: { messages: 2 } });
  });

  it('reports a stream processor’s lag from its heartbeat, degraded past the bound', async () => {
    const clock = new ManualClock();
    const probes = new FakeProbes();
    await probes
      .heartbeats('CatalogTable')
      .record({ stream: 'catalog-stream', lastRecordAt: clock.now() - 90_000, processedAt: clock.now() - 1_000 });

    const report = await checkHealth(targets, probes, clock, options);

    expect(report.status).toBe('degraded');
    expect(report.dependencies.find((d) => d.kind === 'stream')).toMatchObject({
      status: 'degraded',
      detail: { lagMs: 89_000, lastBatchAt: new Date(clock.now() - 1_000).toISOString() },
    });
  });

  it('is failing when a dependency refuses, naming the error, while the others are still reported', async () => {
    const probes = new FakeProbes();
    probes.tables.set('DeductionsTable', 'fail');
    probes.queues.set('q://deductions', 'fail');

    const report = await checkHealth(targets, probes, new ManualClock(), options);

    expect(report.status).toBe('failing');
    expect(report.dependencies.filter((d) => d.status === 'failing').map((d) => [d.name, d.error])).toEqual([
      ['deductions', 'ResourceNotFoundException: table DeductionsTable refused'],
      ['deductions', 'QueueDoesNotExist: queue q://deductions refused'],
    ]);
    expect(report.dependencies.filter((d) => d.status === 'ok')).toHaveLength(4);
  });

  it('gives up on a probe that does not answer within its timeout, and aborts it', async () => {
    const probes = new FakeProbes();
    probes.buckets.set('static', 'hang');

    const report = await checkHealth(targets, probes, new ManualClock(), options);

    expect(report.dependencies.find((d) => d.kind === 'bucket')).toMatchObject({
      status: 'failing',
      error: 'TimeoutError: Timed out after 50 ms',
    });
  });
});
