import { Logger } from '@aws-lambda-powertools/logger';
import { beforeEach, describe, expect, it } from 'vitest';
import { DegradeSwitch } from '../../../../lambdas/domain/feed/degrade-switch.js';
import { StaticCopyUrls } from '../../../../lambdas/domain/feed/static-paths.js';
import { apiHandler } from '../../../../lambdas/http/api-handler.js';
import { adminFeedRoutes } from '../../../../lambdas/http/routes/admin-feeds.js';
import { apiEvent, lambdaContext } from '../../../helpers/events.js';
import { feedWorld } from '../../../helpers/feeds.js';
import { admin, buyer } from '../../../helpers/identity.js';
import { RecordingMetrics } from '../../../helpers/metrics.js';

const logger = new Logger({ serviceName: 'test', logLevel: 'SILENT' });

describe('admin feed routes', () => {
  let world: ReturnType<typeof feedWorld>;
  let handler: ReturnType<typeof apiHandler>;
  let metrics: RecordingMetrics;
  beforeEach(() => {
    world = feedWorld();
    metrics = new RecordingMetrics();
    handler = apiHandler(
      adminFeedRoutes({
        publisher: world.publisher,
        degrade: new DegradeSwitch(world.store, world.clock),
        statics: new StaticCopyUrls('https://cdn.test'),
        clock: world.clock,
        metrics,
      }),
      logger,
    );
  });
  const call = async (method: string, resource: string, body?: unknown, claims: Record<string, string> | null = admin()) => {
    const res = await handler(
      apiEvent({ method, resource, pathParameters: { feedId: 'picks' }, body, claims: claims ?? undefined }),
      lambdaContext(),
    );
    return { status: res.statusCode, headers: res.headers ?? {}, body: JSON.parse(res.body) };
  };

  it('answers a buyer 403 FORBIDDEN and a request without a verified caller 401, changing nothing', async () => {
    const publish = await call('POST', '/v1/admin/feeds/{feedId}/versions', { skus: ['SKU-001'] }, buyer());
    const degrade = await call('PUT', '/v1/admin/feeds/{feedId}/degrade', { degraded: true }, null);

    expect(publish).toMatchObject({ status: 403, body: { error: { code: 'FORBIDDEN' } } });
    expect(degrade).toMatchObject({ status: 401, body: { error: { code: 'UNAUTHORIZED' } } });
    expect(world.store.settings.get('picks')?.degraded).toBeUndefined();
    expect(world.store.versions.size).toBe(0);
  });

  it('publishes a version (201 with a Location pinned to it)', async () => {
    const res = await call('POST', '/v1/admin/feeds/{feedId}/versions', { skus: ['SKU-001', 'SKU-002'] });

    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ feedId: 'picks', totalItems: 2, totalPages: 1 });
    expect(res.headers.location).toBe(`/v1/feeds/picks?page=1&version=${res.body.version}`);
  });

  it('refuses a publishAt more than 30 days ahead and a malformed one', async () => {
    const far = new Date(world.clock.now() + 31 * 86_400_000).toISOString();

    expect((await call('POST', '/v1/admin/feeds/{feedId}/versions', { publishAt: far })).body.error.details[0]).toMatchObject({
      path: 'body.publishAt',
    });
    expect((await call('POST', '/v1/admin/feeds/{feedId}/versions', { publishAt: 'tomorrow' })).status).toBe(400);
  });

  it('flips the degrade switch through the domain and answers with the static pointer', async () => {
    const res = await call('PUT', '/v1/admin/feeds/{feedId}/degrade', { degraded: true });

    expect(res).toMatchObject({
      status: 200,
      body: { feedId: 'picks', degraded: true, static: { current: 'https://cdn.test/feeds/picks/current.json' } },
    });
    expect(await world.store.isDegraded('picks')).toBe(true);
  });

  it('counts versions published and degrade switch flips', async () => {
    await call('POST', '/v1/admin/feeds/{feedId}/versions', {});
    await call('PUT', '/v1/admin/feeds/{feedId}/degrade', { degraded: true });
    await call('PUT', '/v1/admin/feeds/{feedId}/degrade', { degraded: false });

    expect([
      metrics.total('FeedVersionsPublished'),
      metrics.total('FeedDegradeSwitches', { State: 'on' }),
      metrics.total('FeedDegradeSwitches', { State: 'off' }),
    ]).toEqual([1, 1, 1]);
  });
});
