import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoCatalog, seedCatalog } from '../../lib/local/demo-data.js';
import type { LocalRuntime } from '../../lib/local/runtime.js';
import { call, contractFetch } from '../helpers/api.js';
import { bootRuntime } from '../helpers/runtime.js';

describe("Today's picks through the local runtime", () => {
  let runtime: LocalRuntime;
  let staticBase: string;

  beforeAll(async () => {
    runtime = await bootRuntime({ seed: false, context: { apiThrottleRate: 1_000_000, apiThrottleBurst: 1_000_000 } });
    await seedCatalog(
      DynamoDBDocumentClient.from(runtime.clients.dynamodb),
      runtime.resourceName('AWS::DynamoDB::Table', 'Catalog'),
      demoCatalog(120),
    );
    const bucket = runtime.resourceName('AWS::S3::Bucket', 'StaticCopies');
    staticBase = `${runtime.endpoints.s3}/${bucket}`;
  });
  afterAll(() => runtime?.stop());

  const publish = async (feedId: string, body: object, token?: string) =>
    call(`${runtime.url}/v1/admin/feeds/${feedId}/versions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: token ?? (await runtime.token('merchandiser', ['admins'])) },
      body: JSON.stringify(body),
    });

  it('publishes a ranked version (201) that clients page through, pinned pages immutable', async () => {
    const created = await publish('e2e-picks', {});
    const page1 = await contractFetch(`${runtime.url}/v1/feeds/e2e-picks?page=1`);
    const pinned = await contractFetch(`${runtime.url}/v1/feeds/e2e-picks?page=2&version=${created.body.version}`);
    const body = (await page1.json()) as { items: Array<{ sku: string }>; hasMore: boolean; version: number };

    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ totalItems: 108, totalPages: 6 });
    expect(body).toMatchObject({ version: created.body.version, hasMore: true });
    expect(body.items).toHaveLength(20);
    expect(page1.headers.get('cache-control')).toBe('public, max-age=5');
    expect(pinned.headers.get('cache-control')).toBe('public, max-age=86400, immutable');
  });

  it('answers a pull-to-refresh that changed nothing with 304', async () => {
    const first = await contractFetch(`${runtime.url}/v1/feeds/e2e-picks?page=1`);
    const again = await contractFetch(`${runtime.url}/v1/feeds/e2e-picks?page=1`, {
      headers: { 'If-None-Match': first.headers.get('etag') ?? '' },
    });

    expect(again.status).toBe(304);
  });

  it('keeps static copies in S3 that match the API pages byte for byte', async () => {
    const created = await publish('e2e-static', { skus: ['DEMO-0003', 'DEMO-0001', 'DEMO-0002'] });
    const version = created.body.version;

    const api = await (await contractFetch(`${runtime.url}/v1/feeds/e2e-static?page=1&version=${version}`)).text();
    const copy = await (await fetch(`${staticBase}/feeds/e2e-static/${version}/1.json`)).text();
    const current = await (await fetch(`${staticBase}/feeds/e2e-static/current.json`)).json();

    expect(copy).toBe(api);
    expect(JSON.parse(api).items.map((i: { sku: string }) => i.sku)).toEqual(['DEMO-0003', 'DEMO-0001', 'DEMO-0002']);
    expect(current).toMatchObject({ version, totalPages: 1 });
  });

  it('points clients at the static copy while the degrade switch is on', async () => {
    const created = await publish('e2e-degrade', {});
    const admin = await runtime.token('merchandiser', ['admins']);
    const flip = (degraded: boolean) =>
      call(`${runtime.url}/v1/admin/feeds/e2e-degrade/degrade`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json', authorization: admin },
        body: JSON.stringify({ degraded }),
      });
    expect((await flip(true)).status).toBe(200);

    const degraded = await call(`${runtime.url}/v1/feeds/e2e-degrade?page=2&version=${created.body.version}`);
    const staticPage = await fetch(degraded.body.error.details.page);

    expect(degraded.status).toBe(503);
    expect(degraded.body.error.code).toBe('FEED_DEGRADED');
    expect(staticPage.status).toBe(200);
    expect(((await staticPage.json()) as { page: number }).page).toBe(2);
    await flip(false);
  });

  it('moves current.json to a scheduled version once it is due (scheduler)', async () => {
    const soon = Date.now() + 1_500;
    const scheduled = await publish('e2e-picks', { publishAt: new Date(soon).toISOString(), skus: ['DEMO-0010'] });
    const scheduler = runtime.host.all().find((f) => f.environment.FEEDS_BUCKET && !f.logicalId.includes('Admin'));
    await new Promise((r) => setTimeout(r, 2_600));

    const result = (await scheduler?.invoke({})) as { current: Record<string, number> };
    const pointer = (await (await fetch(`${staticBase}/feeds/e2e-picks/current.json`)).json()) as { version: number };
    const api = await call(`${runtime.url}/v1/feeds/e2e-picks?page=1`);

    expect(result.current['e2e-picks']).toBe(scheduled.body.version);
    expect(pointer.version).toBe(scheduled.body.version);
    expect(api.body.version).toBe(scheduled.body.version);
  });

  it('guards admin routes with the admins group and validates input', async () => {
    const noToken = await publish('e2e-picks', {}, 'not-a-token');
    const buyer = await publish('e2e-picks', {}, await runtime.token('shopper'));
    const badSkus = await publish('e2e-picks', { skus: ['DEMO-0001', 'NOT-A-PRODUCT'] });
    const badDate = await publish('e2e-picks', { publishAt: 'tomorrow' });
    const badPage = await call(`${runtime.url}/v1/feeds/e2e-picks?page=abc`);

    expect(noToken).toMatchObject({ status: 401, body: { error: { code: 'UNAUTHORIZED' } } });
    expect(buyer).toMatchObject({ status: 403, body: { error: { code: 'FORBIDDEN' } } });
    expect(badSkus.body.error.code).toBe('UNKNOWN_SKUS');
    // A date that is not ISO 8601 is refused by the gateway's model, before the function.
    expect(badDate.body.error).toMatchObject({ code: 'BAD_REQUEST_BODY', details: expect.stringContaining('/publishAt') });
    expect(badPage.status).toBe(400);
  });
});
