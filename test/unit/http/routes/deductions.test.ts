import { Logger } from '@aws-lambda-powertools/logger';
import { describe, expect, it } from 'vitest';
import type { Deduction } from '../../../../lambdas/domain/deductions/types.js';
import { apiHandler } from '../../../../lambdas/http/api-handler.js';
import { deductionRoutes } from '../../../../lambdas/http/routes/deductions.js';
import { ManualClock } from '../../../helpers/clock.js';
import { chunkOf, MemoryAvailability, MemoryDeductions, MemoryQueue, testIds } from '../../../helpers/deductions.js';
import { apiEvent, lambdaContext } from '../../../helpers/events.js';
import { buyer } from '../../../helpers/identity.js';
import { RecordingMetrics } from '../../../helpers/metrics.js';

const logger = new Logger({ serviceName: 'test', logLevel: 'SILENT' });
const withoutCorrelation = ({ 'x-correlation-id': _, ...headers }: Record<string, unknown>) => headers;
const ANN = 'sub-ann';
const BOB = 'sub-bob';

function api() {
  const ledger = new MemoryDeductions();
  const queue = new MemoryQueue();
  const availability = new MemoryAvailability().set('SKU-1', 5);
  const clock = new ManualClock();
  const metrics = new RecordingMetrics();
  const handler = apiHandler(
    deductionRoutes({ ids: testIds, store: ledger, ledger, queue, availability, clock, retryAfterSeconds: 1, metrics }),
    logger,
  );
  const answer = async (event: Parameters<typeof handler>[0]) => {
    const res = await handler(event, lambdaContext());
    return { status: res.statusCode, headers: res.headers ?? {}, body: JSON.parse(res.body) };
  };
  const post = (
    key: string | undefined,
    body: unknown = { quantity: 1 },
    options: { sub?: string | null; sku?: string; headers?: Record<string, string> } = {},
  ) =>
    answer(
      apiEvent({
        method: 'POST',
        resource: '/v1/products/{sku}/deductions',
        path: `/v1/products/${options.sku ?? 'SKU-1'}/deductions`,
        pathParameters: { sku: options.sku ?? 'SKU-1' },
        headers: { ...(key ? { 'Idempotency-Key': key } : {}), ...options.headers },
        body,
        claims: options.sub === null ? undefined : buyer(options.sub ?? ANN),
      }),
    );
  const get = (id: string, sub: string | null = ANN) =>
    answer(apiEvent({ resource: '/v1/deductions/{id}', pathParameters: { id }, claims: sub === null ? undefined : buyer(sub) }));
  const cancel = (id: string, sub: string | null = ANN) =>
    answer(
      apiEvent({
        method: 'POST',
        resource: '/v1/deductions/{id}/cancel',
        pathParameters: { id },
        claims: sub === null ? undefined : buyer(sub),
      }),
    );
  const confirm = (id: string, sub: string | null = ANN) =>
    answer(
      apiEvent({
        method: 'POST',
        resource: '/v1/deductions/{id}/confirm',
        pathParameters: { id },
        claims: sub === null ? undefined : buyer(sub),
      }),
    );
  /** The caller's request, accepted and then won: HELD for `holdMs` from now. */
  const won = async (key: string, holdMs = 60_000) => {
    ledger.setStock('SKU-1', 5);
    const { body } = await post(key);
    const record = ledger.records.get(body.id) as Deduction;
    await ledger.hold('SKU-1', chunkOf(record), 1, clock.now(), clock.now() + holdMs);
    return body.id as string;
  };
  return { ledger, queue, availability, clock, metrics, post, get, cancel, confirm, won };
}

describe('POST /v1/products/{sku}/deductions', () => {
  it('answers 202 with the caller’s id, a Location to poll and Retry-After', async () => {
    const { post, ledger } = api();

    const res = await post('key-00000001');

    const id = testIds(ANN, 'key-00000001');
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ id, status: 'QUEUED', statusUrl: `/v1/deductions/${id}` });
    expect(res.headers).toMatchObject({ location: `/v1/deductions/${id}`, 'retry-after': '1' });
    expect(ledger.records.get(id)).toMatchObject({ sku: 'SKU-1', owner: ANN, quantity: 1 });
  });

  it('requires an Idempotency-Key of 8–128 visible characters and a quantity, naming what is wrong', async () => {
    const { post } = api();

    expect((await post(undefined)).body.error.details[0].path).toBe('header.Idempotency-Key');
    expect((await post('short')).body.error.details[0].path).toBe('header.Idempotency-Key');
    expect((await post('key-00000001', {})).body.error.details[0].path).toBe('body.quantity');
    expect((await post('key-00000001', { quantity: 101 })).status).toBe(400);
    expect((await post('key-00000001', { quantity: 1 }, { sku: 'no spaces' })).body.error.details[0].path).toBe('path.sku');
  });

  it('refuses a body naming a user (400 naming the field): the buyer is the token’s sub', async () => {
    const { post, ledger } = api();

    const res = await post('key-00000001', { quantity: 1, userId: 'mallory' });

    expect(res.status).toBe(400);
    expect(res.body.error).toEqual({
      code: 'VALIDATION_FAILED',
      message: 'Invalid body',
      details: [{ path: 'body.userId', message: 'is not a field of this request' }],
    });
    expect(ledger.records.size).toBe(0);
  });

  it('answers 401 UNAUTHORIZED without a verified caller, recording nothing', async () => {
    const { post, ledger, queue } = api();

    const res = await post('key-00000001', { quantity: 1 }, { sub: null });

    expect(res).toMatchObject({ status: 401, body: { error: { code: 'UNAUTHORIZED' } } });
    expect(ledger.records.size).toBe(0);
    expect(queue.sent).toHaveLength(0);
  });

  it('keeps two buyers’ uses of one key apart: two requests, neither blocks the other', async () => {
    const { post } = api();

    const ann = await post('shared-key-0001', { quantity: 1 });
    const bob = await post('shared-key-0001', { quantity: 2 }, { sub: BOB });

    expect(ann).toMatchObject({ status: 202, body: { id: testIds(ANN, 'shared-key-0001') } });
    expect(bob).toMatchObject({ status: 202, body: { id: testIds(BOB, 'shared-key-0001') } });
  });

  it('says the outcome is unknown, and how to learn it, when the send may have been delivered', async () => {
    const { post, queue, ledger } = api();
    queue.fail = 'maybe-sent';

    const res = await post('key-00000001');
    queue.fail = false;
    const retry = await post('key-00000001');

    const id = testIds(ANN, 'key-00000001');
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBe('1');
    expect(res.body.error).toMatchObject({
      code: 'OUTCOME_UNKNOWN',
      message: expect.stringContaining('same Idempotency-Key'),
      details: { retry: 'same-idempotency-key', id, statusUrl: `/v1/deductions/${id}` },
    });
    expect(retry).toMatchObject({ status: 202, body: { id } });
    expect(ledger.records.size).toBe(1);
  });

  it('answers ENQUEUE_FAILED (nothing happened) only when the queue certainly refused the message', async () => {
    const { post, queue, ledger } = api();
    queue.fail = 'not-sent';

    const res = await post('key-00000001');

    expect(res.status).toBe(503);
    expect(res.body.error.code).toBe('ENQUEUE_FAILED');
    expect(ledger.records.size).toBe(0);
  });

  it('answers 409 SOLD_OUT and 404 for an unknown SKU without recording anything', async () => {
    const { post, availability, ledger } = api();
    availability.set('SKU-1', 0);

    expect((await post('key-00000001')).body.error.code).toBe('SOLD_OUT');
    expect((await post('key-00000002', { quantity: 1 }, { sku: 'NOPE' })).status).toBe(404);
    expect(ledger.records.size).toBe(0);
  });
});

describe('GET /v1/deductions/{id}', () => {
  it('answers its owner with the record, Retry-After while QUEUED, and nothing about the buyer', async () => {
    const { post, get } = api();
    const { body } = await post('key-00000001');

    const found = await get(body.id);

    expect(found).toMatchObject({ status: 200, body: { id: body.id, sku: 'SKU-1', status: 'QUEUED' }, headers: { 'retry-after': '1' } });
    expect(Object.keys(found.body).sort()).toEqual(['createdAt', 'id', 'quantity', 'sku', 'status']);
    expect(JSON.stringify(found.body)).not.toContain(ANN);
  });

  it('answers another buyer exactly as an unknown id: 404 DEDUCTION_NOT_FOUND, the same body shape', async () => {
    const { post, get } = api();
    const { body } = await post('key-00000001');
    const unknown = testIds(ANN, 'never-used-key');

    const foreign = await get(body.id, 'sub-mallory');
    const missing = await get(unknown, 'sub-mallory');

    expect(foreign.status).toBe(404);
    expect(missing.status).toBe(404);
    expect(foreign.body).toEqual({
      error: { code: 'DEDUCTION_NOT_FOUND', message: `No deduction ${body.id}` },
      requestId: expect.any(String),
    });
    expect(missing.body.error).toEqual({ code: 'DEDUCTION_NOT_FOUND', message: `No deduction ${unknown}` });
    // Every answer names its own request; nothing else about the two differs.
    expect(withoutCorrelation(foreign.headers)).toEqual(withoutCorrelation(missing.headers));
  });

  it('answers 400 for what is not an id and 401 without a caller', async () => {
    const { get, post } = api();
    const { body } = await post('key-00000001');

    expect((await get('nope')).body.error.details[0].path).toBe('path.id');
    expect((await get(body.id, null)).status).toBe(401);
  });
});

describe('POST /v1/deductions/{id}/cancel', () => {
  it('cancels only the caller’s own deduction; another buyer gets 404 and changes nothing', async () => {
    const { cancel, ledger, won } = api();
    const id = await won('key-00000001');

    const foreign = await cancel(id, 'sub-mallory');
    const own = await cancel(id);

    expect(foreign).toMatchObject({ status: 404, body: { error: { code: 'DEDUCTION_NOT_FOUND', message: `No deduction ${id}` } } });
    expect(own).toMatchObject({ status: 200, body: { id, status: 'CANCELLED' } });
    expect(ledger.stock.get('SKU-1')?.quantity).toBe(5);
  });
});

describe('POST /v1/deductions/{id}/confirm', () => {
  it('confirms the caller’s hold, and answers a repeat the same (idempotent)', async () => {
    const { confirm, get, won } = api();
    const id = await won('key-00000001');

    const held = await get(id);
    const first = await confirm(id);
    const again = await confirm(id);

    expect(held.body).toMatchObject({ status: 'HELD', expiresAt: expect.any(String), decidedAt: expect.any(String) });
    expect(first).toMatchObject({ status: 200, body: { id, status: 'CONFIRMED', confirmedAt: expect.any(String) } });
    expect(first.body.expiresAt).toBeUndefined();
    expect(again.body).toEqual(first.body);
    expect(first.headers['cache-control']).toBe('no-store');
  });

  it('answers 409 HOLD_EXPIRED once the deadline has passed, and the hold is still the expiry’s', async () => {
    const { confirm, clock, ledger, won } = api();
    const id = await won('key-00000001', 1_000);
    clock.advance(1_000);

    const late = await confirm(id);

    expect(late).toMatchObject({ status: 409, body: { error: { code: 'HOLD_EXPIRED', details: { expiredAt: expect.any(String) } } } });
    expect(ledger.records.get(id)?.status).toBe('HELD');
  });

  it('answers another buyer exactly as an unknown id, and confirms nothing', async () => {
    const { confirm, ledger, won } = api();
    const id = await won('key-00000001');
    const unknown = testIds(ANN, 'never-used-key');

    const foreign = await confirm(id, 'sub-mallory');
    const missing = await confirm(unknown, 'sub-mallory');

    expect(foreign.status).toBe(404);
    expect(foreign.body.error).toEqual({ code: 'DEDUCTION_NOT_FOUND', message: `No deduction ${id}` });
    // Every answer names its own request; nothing else about the two differs.
    expect(withoutCorrelation(foreign.headers)).toEqual(withoutCorrelation(missing.headers));
    expect(ledger.records.get(id)?.status).toBe('HELD');
  });

  it('answers 409 NOT_CONFIRMABLE while the request is still QUEUED, 400 for a bad id, 401 without a caller', async () => {
    const { confirm, post } = api();
    const { body } = await post('key-00000001');

    expect((await confirm(body.id)).body.error.code).toBe('NOT_CONFIRMABLE');
    expect((await confirm('nope')).body.error.details[0].path).toBe('path.id');
    expect((await confirm(body.id, null)).status).toBe(401);
  });
});

describe('deduction route metrics', () => {
  it('counts a request accepted once, not its retries, and turns away sold out and invalid buys by reason', async () => {
    const { post, availability, metrics } = api();

    await post('key-00000001');
    await post('key-00000001');
    await post('key-00000002', { quantity: 0 });
    await post('key-00000003', { quantity: 1 }, { sku: 'NOPE' });
    availability.flag('SKU-1', true);
    await post('key-00000004');

    expect(metrics.series()).toEqual(
      expect.arrayContaining([
        { metric: 'DeductionsAccepted', dimensions: {}, values: [1] },
        { metric: 'DeductionsTurnedAway', dimensions: { Reason: 'INVALID' }, values: [2] },
        { metric: 'DeductionsTurnedAway', dimensions: { Reason: 'SOLD_OUT' }, values: [1] },
      ]),
    );
    expect(metrics.series()).toHaveLength(3);
  });

  it('counts holds confirmed and cancelled once each, not their idempotent repeats', async () => {
    const { won, confirm, cancel, metrics } = api();
    const first = await won('key-00000001');

    await confirm(first);
    await confirm(first);
    await cancel(first);
    await cancel(first);

    expect(metrics.total('HoldsConfirmed')).toBe(1);
    expect(metrics.total('HoldsCancelled')).toBe(1);
  });
});

describe('deduction route correlation', () => {
  it('stores the request’s correlation id on the record and its queue message, and echoes it', async () => {
    const { post, ledger, queue } = api();

    const res = await post('key-00000001', { quantity: 1 }, { headers: { 'X-Correlation-Id': 'checkout-42.a:b_c' } });

    expect(res.headers['x-correlation-id']).toBe('checkout-42.a:b_c');
    expect(ledger.records.get(res.body.id)?.correlationId).toBe('checkout-42.a:b_c');
    expect(queue.sent.map((m) => m.correlationId)).toEqual(['checkout-42.a:b_c']);
  });

  it('keeps a malformed correlation id out of the record, the message and the answer: the request id stands in', async () => {
    const { post, ledger, queue } = api();

    const res = await post('key-00000001', { quantity: 1 }, { headers: { 'x-correlation-id': 'a"}\n{"level":"ERROR' } });

    const stored = ledger.records.get(res.body.id)?.correlationId;
    expect(res.status).toBe(202);
    expect(res.headers['x-correlation-id']).toMatch(/^req-\d+$/);
    expect(stored).toBe(res.headers['x-correlation-id']);
    expect(queue.sent[0]?.correlationId).toBe(stored);
  });
});
