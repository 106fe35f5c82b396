import type { APIGatewayProxyEvent } from 'aws-lambda';
import { type AcceptDeps, acceptDeduction } from '../../domain/deductions/accept.js';
import { cancelDeduction } from '../../domain/deductions/cancel.js';
import { deductionIdFor } from '../../domain/deductions/id.js';
import type { DeductionStore, StockLedger } from '../../domain/deductions/ports.js';
import { deductionView } from '../../domain/deductions/types.js';
import { NotFoundError, ValidationError } from '../../domain/errors.js';
import { callerIdentity } from '../identity.js';
import { header, json } from '../response.js';
import { type OutcomeAdvice, type Routes, read, write } from '../router.js';
import { deductionBodySchema, deductionIdSchema, idempotencyKeySchema, jsonBody, parse } from '../validation.js';

export interface DeductionRoutesDeps extends AcceptDeps {
  ledger: StockLedger;
  store: DeductionStore;
  /** Seconds a client should wait before polling the status URL. */
  retryAfterSeconds: number;
}

const statusUrl = (id: string) => `/v1/deductions/${id}`;

/** POST /v1/deductions with an unknown outcome: the same key names the same request, so a retry is safe and tells. */
function retryWithSameKey(event: APIGatewayProxyEvent): OutcomeAdvice {
  const key = idempotencyKeySchema.safeParse(header(event.headers, 'idempotency-key'));
  return {
    message:
      'The deduction may or may not have been accepted. Retry with the same Idempotency-Key: it returns the same id and never deducts twice',
    details: {
      retry: 'same-idempotency-key',
      ...(key.success ? { id: deductionIdFor(key.data), statusUrl: statusUrl(deductionIdFor(key.data)) } : {}),
    },
  };
}

/** Cancel with an unknown outcome: reading the deduction tells, and cancelling again is idempotent. */
function readTheDeduction(event: APIGatewayProxyEvent): OutcomeAdvice {
  const id = event.pathParameters?.id ?? '';
  return {
    message:
      'The cancellation may or may not have been applied. GET the deduction (CANCELLED if it was), or cancel again: it is idempotent',
    details: { read: statusUrl(id), retry: 'idempotent' },
  };
}

export function deductionRoutes(deps: DeductionRoutesDeps): Routes {
  return {
    /** POST /v1/deductions → 202 { id, status: QUEUED } + Location. */
    'POST /v1/deductions': write(async (event, signal) => {
      const rawKey = header(event.headers, 'idempotency-key');
      if (rawKey === undefined) throw new ValidationError('The Idempotency-Key header is required', undefined, 'IDEMPOTENCY_KEY_REQUIRED');
      const key = parse(idempotencyKeySchema, rawKey, 'header.Idempotency-Key');
      const body = parse(deductionBodySchema, jsonBody(event.body, event.isBase64Encoded), 'body');
      const userId = callerIdentity(event, body.userId);
      if (!userId) throw new ValidationError('Invalid body', [{ path: 'body.userId', message: 'is required' }]);
      const deduction = await acceptDeduction({ sku: body.sku, quantity: body.quantity, userId }, key, deps, signal);
      const location = statusUrl(deduction.id);
      return json(
        202,
        { id: deduction.id, status: deduction.status, statusUrl: location },
        { location, 'retry-after': String(deps.retryAfterSeconds), 'cache-control': 'no-store' },
      );
    }, retryWithSameKey),

    /** GET /v1/deductions/{id} → the request and its outcome. */
    'GET /v1/deductions/{id}': read(async (event, signal) => {
      const id = parse(deductionIdSchema, event.pathParameters?.id, 'path.id');
      const deduction = await deps.store.get(id, signal);
      if (!deduction) throw new NotFoundError(`No deduction ${id}`, 'DEDUCTION_NOT_FOUND');
      const settled = deduction.status !== 'QUEUED';
      return json(200, deductionView(deduction), {
        'cache-control': 'no-store',
        ...(settled ? {} : { 'retry-after': String(deps.retryAfterSeconds) }),
      });
    }),

    /** POST /v1/deductions/{id}/cancel → gives the stock back once. */
    'POST /v1/deductions/{id}/cancel': write(async (event, signal) => {
      const id = parse(deductionIdSchema, event.pathParameters?.id, 'path.id');
      const deduction = await cancelDeduction(id, deps, signal);
      return json(200, deductionView(deduction), { 'cache-control': 'no-store' });
    }, readTheDeduction),
  };
}
