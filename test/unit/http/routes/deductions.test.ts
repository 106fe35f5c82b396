import { Logger } from '@aws-lambda-powertools/logger';
import { describe, expect, it } from 'vitest';
import { deductionIdFor } from '../../../../lambdas/domain/deductions/id.js';
import { apiHandler } from '../../../../lambdas/http/api-handler.js';
import { deductionRoutes } from '../../../../lambdas/http/routes/deductions.js';
import { ManualClock } from '../../../helpers/clock.js';
import { MemoryAvailability, MemoryDeductions, MemoryQueue } from '../../../helpers/deductions.js';
import { apiEvent, lambdaContext } from '../../../helpers/events.js';

const logger = new Logger({ serviceName: 'test', logLevel: 'SILENT' });

function api() {
  const ledger = new MemoryDeductions();
  const queue = new MemoryQueue();
  const availability = new MemoryAvailability().set('SKU-1', 5);
  const handler = apiHandler(
    deductionRoutes({ store: ledger, ledger, queue, availability, clock: new ManualClock(), retryAfterSeconds: 1 }),
    logger,
  );
  const post = async (key: string | undefined, body: unknown = { sku: 'SKU-1', quantity: 1, userId: 'ann' }) => {
    const res = await handler(
      apiEvent({
        method: 'POST',
        resource: '/v1/deductions',
        path: '/v1/deductions',
        headers: key ? { 'Idempotency-Key': key } : {},
        body,
      }),
      lambdaContext(),
    );
    return { status: res.statusCode, headers: res.headers ?? {}, body: JSON.parse(res.body) };
  };
  const get = async (id: string) => {
    const res = await handler(apiEvent({ resource: '/v1/deductions/{id}', pathParameters: { id } }), lambdaContext());
    return { status: res.statusCode, headers: res.headers ?? {}, body: JSON.parse(res.body) };
  };
  return { ledger, queue, availability, post, get };
}

describe('POST /v1/deductions', () => {
  it('answers 202 with the id, a Location to poll and Retry-After', async () => {
    const { post } = api();

    const res = await post('key-00000001');

    const id = deductionIdFor('key-00000001');
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ id, status: 'QUEUED', statusUrl: `/v1/deductions/${id}` });
    expect(res.headers).toMatchObject({ location: `/v1/deductions/${id}`, 'retry-after': '1' });
  });

  it('requires an Idempotency-Key of 8–128 visible characters and a userId', async () => {
    const { post } = api();

    expect((await post(undefined)).body.error.code).toBe('IDEMPOTENCY_KEY_REQUIRED');
    expect((await post('short')).body.error.details[0].path).toBe('header.Idempotency-Key');
    expect((await post('key-00000001', { sku: 'SKU-1', quantity: 1 })).body.error.details[0].path).toBe('body.userId');
    expect((await post('key-00000001', { sku: 'SKU-1', quantity: 101, userId: 'a' })).status).toBe(400);
  });

  it('says the outcome is unknown, and how to learn it, when the send may have been delivered', async () => {
    const { post, queue, ledger } = api();
    queue.fail = 'maybe-sent';

    const res = await post('key-00000001');
    queue.fail = false;
    const retry = await post('key-00000001');

    const id = deductionIdFor('key-00000001');
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
    expect((await post('key-00000002', { sku: 'NOPE', quantity: 1, userId: 'a' })).status).toBe(404);
    expect(ledger.records.size).toBe(0);
  });
});

describe('GET /v1/deductions/{id}', () => {
  it('answers the record, with Retry-After while it is QUEUED, and 404 or 400 otherwise', async () => {
    const { post, get } = api();
    const { body } = await post('key-00000001');

    const found = await get(body.id);

    expect(found).toMatchObject({ status: 200, body: { id: body.id, status: 'QUEUED' }, headers: { 'retry-after': '1' } });
    expect((await get(deductionIdFor('other-key'))).status).toBe(404);
    expect((await get('nope')).body.error.details[0].path).toBe('path.id');
  });
});
