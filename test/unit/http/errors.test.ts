import { Logger } from '@aws-lambda-powertools/logger';
import type { Request } from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import {
  ConflictError,
  DependencyError,
  ForbiddenError,
  GoneError,
  NotFoundError,
  OutcomeUnknownError,
  PreconditionFailedError,
  UnauthorizedError,
  ValidationError,
} from '../../../lambdas/domain/errors.js';
import { httpErrors, isTransientDependencyFailure } from '../../../lambdas/http/errors.js';
import { apiEvent } from '../../helpers/events.js';

const { onError } = httpErrors({ logger: new Logger({ serviceName: 'test', logLevel: 'SILENT' }) });

/** Runs the middleware's onError on `error`, as middy would, and returns the response it set. */
async function answer(error: unknown): Promise<APIGatewayProxyResult> {
  const request = { event: apiEvent({}), context: {} as Context, error, response: undefined, internal: {} } as unknown as Request<
    APIGatewayProxyEvent,
    APIGatewayProxyResult
  >;
  await onError?.(request);
  if (!request.response) throw new Error('onError set no response');
  return request.response;
}

describe('httpErrors', () => {
  it('maps each error kind to its status, with the one error body shape', async () => {
    const cases: Array<[Error, number]> = [
      [new ValidationError('bad', [{ path: 'body.a', message: 'no' }]), 400],
      [new UnauthorizedError('who?'), 401],
      [new ForbiddenError('not you'), 403],
      [new NotFoundError('none', 'PRODUCT_NOT_FOUND'), 404],
      [new ConflictError('SOLD_OUT', 'gone'), 409],
      [new GoneError('FEED_VERSION_GONE', 'pruned', { current: 1 }), 410],
      [new PreconditionFailedError('mismatch', { expected: 1, current: 2 }), 412],
      [new DependencyError('down'), 503],
      [new OutcomeUnknownError('maybe', { retry: 'same-idempotency-key' }), 503],
    ];

    for (const [error, status] of cases) {
      const res = await answer(error);
      const body = JSON.parse(res.body);
      expect(res.statusCode, error.name).toBe(status);
      expect(body).toEqual({
        error: {
          code: (error as ValidationError).code,
          message: error.message,
          ...((error as ValidationError).details ? { details: (error as ValidationError).details } : {}),
        },
        requestId: expect.stringMatching(/^req-/),
      });
      expect(res.headers?.['cache-control']).toBe('no-store');
      expect(res.headers?.['retry-after']).toBe(status === 503 ? '1' : undefined);
    }
  });

  it('answers a transient dependency failure 503 DEPENDENCY_UNAVAILABLE with Retry-After', async () => {
    for (const error of [
      Object.assign(new Error('socket did not connect'), { name: 'TimeoutError' }),
      Object.assign(new Error('slow down'), { name: 'ThrottlingException', $fault: 'client', $retryable: { throttling: true } }),
      Object.assign(new Error('reset'), { code: 'ECONNRESET' }),
    ]) {
      const res = await answer(error);

      expect(res.statusCode).toBe(503);
      expect(res.headers?.['retry-after']).toBe('1');
      expect(JSON.parse(res.body).error.code).toBe('DEPENDENCY_UNAVAILABLE');
    }
  });

  it('answers anything else a bare 500 INTERNAL', async () => {
    const res = await answer(new TypeError('x is undefined at secret.ts:42'));

    expect(res.statusCode).toBe(500);
    expect(JSON.parse(res.body).error).toEqual({ code: 'INTERNAL', message: 'Internal error' });
  });
});

describe('isTransientDependencyFailure', () => {
  it('tells an SDK or network failure from a bug', () => {
    expect(isTransientDependencyFailure(Object.assign(new Error('x'), { $fault: 'server' }))).toBe(true);
    expect(isTransientDependencyFailure(Object.assign(new Error('x'), { name: 'AbortError' }))).toBe(true);
    expect(isTransientDependencyFailure(new TypeError('x'))).toBe(false);
    expect(isTransientDependencyFailure('a string')).toBe(false);
  });
});
