import { Logger } from '@aws-lambda-powertools/logger';
import { describe, expect, it } from 'vitest';
import { checkHealth } from '../../../../lambdas/domain/health/check.js';
import { apiHandler } from '../../../../lambdas/http/api-handler.js';
import { adminHealthRoutes } from '../../../../lambdas/http/routes/admin-health.js';
import { ManualClock } from '../../../helpers/clock.js';
import { apiEvent, lambdaContext } from '../../../helpers/events.js';
import { FakeProbes } from '../../../helpers/health.js';
import { admin, buyer } from '../../../helpers/identity.js';

const logger = new Logger({ serviceName: 'test', logLevel: 'SILENT' });
const targets = {
  tables: [{ name: 'catalog', table: 'T' }],
  queues: [],
  deadLetterQueues: [{ name: 'deductions-dlq', url: 'q://dlq' }],
  buckets: [],
  streams: [],
};

async function get(probes: FakeProbes, claims: Record<string, string> | null = admin()) {
  const handler = apiHandler(adminHealthRoutes({ check: () => checkHealth(targets, probes, new ManualClock()) }), logger);
  const res = await handler(
    apiEvent({ resource: '/v1/admin/health', path: '/v1/admin/health', claims: claims ?? undefined }),
    lambdaContext(),
  );
  return { status: res.statusCode, headers: res.headers ?? {}, body: JSON.parse(res.body) };
}

describe('GET /v1/admin/health', () => {
  it('answers a buyer 403 and a caller without verified claims 401, checking nothing', async () => {
    const probes = new FakeProbes();

    const asBuyer = await get(probes, buyer());
    const anonymous = await get(probes, null);

    expect([asBuyer.status, asBuyer.body.error.code]).toEqual([403, 'FORBIDDEN']);
    expect([anonymous.status, anonymous.body.error.code]).toEqual([401, 'UNAUTHORIZED']);
  });

  it('answers 200 with the report, never cached', async () => {
    const res = await get(new FakeProbes());

    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toMatchObject({
      status: 'ok',
      checkedAt: expect.any(String),
      dependencies: [
        { name: 'catalog', kind: 'table', status: 'ok', latencyMs: expect.any(Number) },
        { name: 'deductions-dlq', kind: 'dead-letter-queue', status: 'ok', detail: { messages: 0 } },
      ],
    });
  });

  it('answers 200 with status failing when a dependency fails: the check itself succeeded', async () => {
    const probes = new FakeProbes();
    probes.tables.set('T', 'fail');

    const res = await get(probes);

    expect([res.status, res.body.status]).toEqual([200, 'failing']);
  });
});
