import { Logger } from '@aws-lambda-powertools/logger';
import { beforeEach, describe, expect, it } from 'vitest';
import { DegradeSwitch } from '../../../../lambdas/domain/feed/degrade-switch.js';
import { StaticCopyUrls } from '../../../../lambdas/domain/feed/static-paths.js';
import { apiHandler } from '../../../../lambdas/http/api-handler.js';
import { feedRoutes } from '../../../../lambdas/http/routes/feeds.js';
import { apiEvent, lambdaContext } from '../../../helpers/events.js';
import { feedWorld } from '../../../helpers/feeds.js';
import { RecordingMetrics } from '../../../helpers/metrics.js';

const logger = new Logger({ serviceName: 'test', logLevel: 'SILENT' });

describe('GET /v1/feeds/{feedId}', () => {
  let world: ReturnType<typeof feedWorld>;
  let degrade: DegradeSwitch;
  let handler: ReturnType<typeof apiHandler>;
  let metrics: RecordingMetrics;
  beforeEach(() => {
    world = feedWorld();
    degrade = new DegradeSwitch(world.store, world.clock, 0);
    metrics = new RecordingMetrics();
    handler = apiHandler(
      feedRoutes({ reader: world.reader, degrade, statics: new StaticCopyUrls('https://cdn.test'), currentMaxAgeSeconds: 5, metrics }),
      logger,
    );
  });
  const get = async (query: Record<string, string>, headers: Record<string, string> = {}) => {
    const res = await handler(
      apiEvent({ resource: '/v1/feeds/{feedId}', pathParameters: { feedId: 'picks' }, query, headers }),
      lambdaContext(),
    );
    return { status: res.statusCode, headers: res.headers ?? {}, text: res.body, body: res.body ? JSON.parse(res.body) : undefined };
  };

  it('serves the current page with a short max-age and pinned pages as immutable, both as stored', async () => {
    const v = await world.publisher.publish('picks', {});

    const current = await get({ page: '1' });
    const pinned = await get({ page: '2', version: String(v.version) });

    expect(current.headers).toMatchObject({ etag: `"${v.version}"`, 'cache-control': 'public, max-age=5' });
    expect(pinned.headers['cache-control']).toBe('public, max-age=86400, immutable');
    expect(pinned.text).toBe(world.store.pages.get(`picks#${v.version}#2`));
  });

  it('answers 304 to a refresh that names the current version', async () => {
    const v = await world.publisher.publish('picks', {});

    expect((await get({ page: '1' }, { 'If-None-Match': `"${v.version}"` })).status).toBe(304);
  });

  it('refuses page and version that are not plain decimal numbers (an empty version is not version 0)', async () => {
    await world.publisher.publish('picks', {});

    for (const query of <Array<Record<string, string>>>[{ page: '0x2' }, { page: '1', version: '' }, { page: '1e1' }, { page: 'abc' }]) {
      const res = await get(query);
      expect([res.status, res.body.error.code], JSON.stringify(query)).toEqual([400, 'VALIDATION_FAILED']);
    }
  });

  it('points clients at the static copies while degraded', async () => {
    const v = await world.publisher.publish('picks', {});
    await degrade.set('picks', true);

    const res = await get({ page: '2', version: String(v.version) });

    expect(res.status).toBe(503);
    expect(res.body.error).toMatchObject({
      code: 'FEED_DEGRADED',
      details: { current: 'https://cdn.test/feeds/picks/current.json', page: `https://cdn.test/feeds/picks/${v.version}/2.json` },
    });
  });

  it('counts pages served by kind (pinned, current, 304) and degraded answers', async () => {
    const v = await world.publisher.publish('picks', {});
    await get({ page: '1' });
    await get({ page: '2', version: String(v.version) });
    await get({ page: '3', version: String(v.version) });
    await get({ page: '1' }, { 'If-None-Match': `"${v.version}"` });
    await degrade.set('picks', true);
    await get({ page: '1' });

    expect(['current', 'pinned', 'not-modified'].map((Kind) => metrics.total('FeedPagesServed', { Kind }))).toEqual([1, 2, 1]);
    expect(metrics.total('FeedDegradedAnswers')).toBe(1);
  });
});
