import { describe, expect, it } from 'vitest';
import {
  buy,
  CrestApiError,
  cancelDeduction,
  confirmDeduction,
  createCrestClient,
  DeductionPendingError,
  waitForDeduction,
} from '../../../clients/typescript/src/index.js';

const ID = `d_${'A'.repeat(26)}`;
const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
const error = (status: number, code: string, headers: Record<string, string> = {}) =>
  json(status, { error: { code, message: code }, requestId: 'r' }, headers);
const deduction = (status: string) => ({ id: ID, sku: 'FLASH-1', quantity: 1, status, createdAt: '2026-01-01T00:00:00.000Z' });

/** A server that answers the scripted responses in order and records every request it saw. */
function scripted(answers: Array<Response | Error>) {
  const seen: Request[] = [];
  const fetch = async (request: Request) => {
    seen.push(request.clone());
    const next = answers.shift();
    if (!next) throw new Error('no more scripted answers');
    if (next instanceof Error) throw next;
    return next;
  };
  const waits: number[] = [];
  const sleep = async (ms: number) => {
    waits.push(ms);
  };
  return { client: createCrestClient({ baseUrl: 'http://api.test', token: async () => 'id-token', fetch }), seen, waits, sleep };
}

describe('buy', () => {
  it('retries a 503 OUTCOME_UNKNOWN and a network failure with the same Idempotency-Key, honouring Retry-After', async () => {
    const server = scripted([
      error(503, 'OUTCOME_UNKNOWN', { 'retry-after': '2' }),
      new TypeError('fetch failed'),
      json(202, { id: ID, status: 'QUEUED', statusUrl: `/v1/deductions/${ID}` }, { location: `/v1/deductions/${ID}`, 'retry-after': '1' }),
    ]);

    const result = await buy(server.client, { sku: 'FLASH-1', quantity: 1, sleep: server.sleep, backoffMs: 100 });

    expect(result).toMatchObject({ ok: true, accepted: { id: ID }, retries: 2 });
    const keys = server.seen.map((r) => r.headers.get('idempotency-key'));
    expect(new Set(keys).size).toBe(1);
    expect(keys[0]).toBe(result.idempotencyKey);
    expect(server.seen.map((r) => r.headers.get('authorization'))).toEqual(['id-token', 'id-token', 'id-token']);
    expect(await server.seen[0]?.json()).toEqual({ quantity: 1 });
    expect(server.waits).toEqual([2000, 200]);
  });

  it('does not retry a refusal: 409 SOLD_OUT is final', async () => {
    const server = scripted([error(409, 'SOLD_OUT')]);

    const result = await buy(server.client, { sku: 'FLASH-1', quantity: 1, idempotencyKey: 'key-0001-abcd', sleep: server.sleep });

    expect(result).toMatchObject({ ok: false, status: 409, error: { error: { code: 'SOLD_OUT' } }, retries: 0 });
    expect(server.seen).toHaveLength(1);
  });

  it('gives up after its attempts with the last answer, and the key to retry with later', async () => {
    const server = scripted([error(429, 'THROTTLED'), error(429, 'THROTTLED'), error(429, 'THROTTLED')]);

    const result = await buy(server.client, {
      sku: 'FLASH-1',
      quantity: 1,
      idempotencyKey: 'key-0002-abcd',
      attempts: 3,
      sleep: server.sleep,
    });

    expect(result).toMatchObject({ ok: false, status: 429, idempotencyKey: 'key-0002-abcd', retries: 2 });
  });
});

describe('waitForDeduction', () => {
  it('polls until the deduction is decided, waiting as Retry-After says and through a 503', async () => {
    const server = scripted([
      json(200, deduction('QUEUED'), { 'retry-after': '1', 'cache-control': 'no-store' }),
      error(503, 'DEPENDENCY_UNAVAILABLE', { 'retry-after': '3' }),
      json(200, deduction('HELD'), { 'cache-control': 'no-store' }),
    ]);

    const decided = await waitForDeduction(server.client, ID, { sleep: server.sleep, timeoutMs: 60_000 });

    expect(decided.status).toBe('HELD');
    expect(server.waits).toEqual([1000, 3000]);
  });

  it('throws DeductionPendingError with what it saw last once the timeout would pass', async () => {
    const server = scripted([json(200, deduction('QUEUED'), { 'retry-after': '5' })]);

    const pending = waitForDeduction(server.client, ID, { sleep: server.sleep, timeoutMs: 1_000 });

    await expect(pending).rejects.toBeInstanceOf(DeductionPendingError);
    await expect(pending).rejects.toMatchObject({ last: { status: 'QUEUED' } });
  });

  it('throws CrestApiError on a 404 (not yours, or unknown): polling cannot change it', async () => {
    const server = scripted([error(404, 'DEDUCTION_NOT_FOUND')]);

    await expect(waitForDeduction(server.client, ID, { sleep: server.sleep })).rejects.toMatchObject({
      name: 'CrestApiError',
      status: 404,
      body: { error: { code: 'DEDUCTION_NOT_FOUND' } },
    });
  });
});

describe('cancelDeduction', () => {
  it('retries a 503 (cancelling is idempotent) and answers the cancelled deduction', async () => {
    const server = scripted([error(503, 'OUTCOME_UNKNOWN', { 'retry-after': '1' }), json(200, deduction('CANCELLED'))]);

    expect(await cancelDeduction(server.client, ID, { sleep: server.sleep })).toMatchObject({ status: 'CANCELLED' });
    expect(server.seen.map((r) => `${r.method} ${new URL(r.url).pathname}`)).toEqual([
      `POST /v1/deductions/${ID}/cancel`,
      `POST /v1/deductions/${ID}/cancel`,
    ]);
  });

  it('throws CrestApiError when refused', async () => {
    const server = scripted([error(409, 'NOT_CANCELLABLE')]);

    await expect(cancelDeduction(server.client, ID, { sleep: server.sleep })).rejects.toBeInstanceOf(CrestApiError);
  });
});

describe('confirmDeduction', () => {
  it('retries a 503 (confirming is idempotent) and answers the confirmed deduction', async () => {
    const server = scripted([error(503, 'OUTCOME_UNKNOWN', { 'retry-after': '1' }), json(200, deduction('CONFIRMED'))]);

    expect(await confirmDeduction(server.client, ID, { sleep: server.sleep })).toMatchObject({ status: 'CONFIRMED' });
    expect(server.seen.map((r) => `${r.method} ${new URL(r.url).pathname}`)).toEqual([
      `POST /v1/deductions/${ID}/confirm`,
      `POST /v1/deductions/${ID}/confirm`,
    ]);
  });

  it('throws CrestApiError carrying HOLD_EXPIRED when the hold ran out: nothing to retry', async () => {
    const server = scripted([error(409, 'HOLD_EXPIRED')]);

    const refused = await confirmDeduction(server.client, ID, { sleep: server.sleep }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(CrestApiError);
    expect((refused as CrestApiError).body.error.code).toBe('HOLD_EXPIRED');
    expect(server.seen).toHaveLength(1);
  });
});
