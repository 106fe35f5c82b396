import { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { OutcomeUnknownError, ValidationError } from '../../../lambdas/domain/errors.js';
import { apiHandler, DEADLINE_MARGIN_MS } from '../../../lambdas/http/api-handler.js';
import { json } from '../../../lambdas/http/response.js';
import { type RouteHandler, read, write } from '../../../lambdas/http/router.js';
import { apiEvent, lambdaContext } from '../../helpers/events.js';

const logger = new Logger({ serviceName: 'test', logLevel: 'SILENT' });
const advice = (event: APIGatewayProxyEvent) => ({ message: 'Read it to find out', details: { read: `/things/${event.path}` } });
const get = (handle: RouteHandler) => apiHandler({ 'GET /': read(handle) }, logger);
const post = (handle: RouteHandler) => apiHandler({ 'POST /': write(handle, advice) }, logger);
const body = (res: { body: string }) => JSON.parse(res.body);

/** A handler that waits on its signal, as an SDK call to a frozen dependency does. */
function frozen(onAbort: () => void = () => undefined): RouteHandler {
  return (_event, signal) =>
    new Promise((_, reject) =>
      signal.addEventListener('abort', () => {
        onAbort();
        reject(Object.assign(new Error('aborted'), { name: 'AbortError' }));
      }),
    );
}

describe('apiHandler', () => {
  afterEach(() => vi.useRealTimers());

  it('dispatches on METHOD resource and answers 404 ROUTE_NOT_FOUND for anything else', async () => {
    const handler = apiHandler({ 'GET /v1/things/{id}': read(async (event) => json(200, { id: event.pathParameters?.id })) }, logger);

    const found = await handler(apiEvent({ resource: '/v1/things/{id}', pathParameters: { id: '7' } }), lambdaContext());
    const missing = await handler(apiEvent({ method: 'DELETE', resource: '/v1/things/{id}' }), lambdaContext());

    expect([found.statusCode, body(found)]).toEqual([200, { id: '7' }]);
    expect([missing.statusCode, body(missing).error.code]).toEqual([404, 'ROUTE_NOT_FOUND']);
  });

  it('answers a read that reaches the deadline 503 DEPENDENCY_UNAVAILABLE, and aborts its calls', async () => {
    vi.useFakeTimers();
    let aborted = false;
    const pending = get(frozen(() => (aborted = true)))(apiEvent({}), lambdaContext());

    await vi.advanceTimersByTimeAsync(10_000 - DEADLINE_MARGIN_MS);
    const res = await pending;

    expect(aborted).toBe(true);
    expect(res.statusCode).toBe(503);
    expect(res.headers?.['retry-after']).toBe('1');
    expect(body(res).error.code).toBe('DEPENDENCY_UNAVAILABLE');
  });

  it('answers a write that reaches the deadline 503 OUTCOME_UNKNOWN with its route’s advice, and aborts its calls', async () => {
    vi.useFakeTimers();
    let aborted = false;
    const pending = post(frozen(() => (aborted = true)))(apiEvent({ method: 'POST', path: 'x' }), lambdaContext());

    await vi.advanceTimersByTimeAsync(10_000 - DEADLINE_MARGIN_MS - 1);
    expect(aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    const res = await pending;

    expect(aborted).toBe(true);
    expect(res.statusCode).toBe(503);
    expect(res.headers?.['retry-after']).toBe('1');
    expect(body(res).error).toEqual({ code: 'OUTCOME_UNKNOWN', message: 'Read it to find out', details: { read: '/things/x' } });
  });

  it('answers a write whose dependency failed untyped (it may have applied) OUTCOME_UNKNOWN, a read DEPENDENCY_UNAVAILABLE', async () => {
    const timeout = async () => {
      throw Object.assign(new Error('socket timed out'), { name: 'TimeoutError' });
    };

    const w = await post(timeout)(apiEvent({ method: 'POST' }), lambdaContext());
    const r = await get(timeout)(apiEvent({}), lambdaContext());

    expect([w.statusCode, body(w).error.code]).toEqual([503, 'OUTCOME_UNKNOWN']);
    expect([r.statusCode, body(r).error.code]).toEqual([503, 'DEPENDENCY_UNAVAILABLE']);
  });

  it('passes typed errors through, adding the route’s advice to an outcome-unknown error that has none', async () => {
    const invalid = await post(async () => {
      throw new ValidationError('Invalid body', [{ path: 'body.x', message: 'is required' }]);
    })(apiEvent({ method: 'POST', path: 'y' }), lambdaContext());
    const unknown = await post(async () => {
      throw new OutcomeUnknownError('It may have been queued');
    })(apiEvent({ method: 'POST', path: 'y' }), lambdaContext());

    expect([invalid.statusCode, body(invalid).error.code]).toEqual([400, 'VALIDATION_FAILED']);
    expect(body(unknown).error).toEqual({ code: 'OUTCOME_UNKNOWN', message: 'It may have been queued', details: { read: '/things/y' } });
  });

  it('turns an unexpected error into a bare 500 without leaking the stack', async () => {
    const res = await get(async () => {
      throw new TypeError('secret internals at line 42');
    })(apiEvent({}), lambdaContext());

    expect(res.statusCode).toBe(500);
    expect(body(res)).toEqual({ error: { code: 'INTERNAL', message: 'Internal error' }, requestId: expect.any(String) });
    expect(res.body).not.toContain('secret');
  });

  it('leaves no timer behind after answering', async () => {
    vi.useFakeTimers();
    await get(async () => json(200, {}))(apiEvent({}), lambdaContext());

    expect(vi.getTimerCount()).toBe(0);
  });
});
