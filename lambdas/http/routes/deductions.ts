import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import * as z from 'zod/mini';
import { type AcceptDeps, acceptDeduction } from '../../domain/deductions/accept.js';
import { cancelDeduction } from '../../domain/deductions/cancel.js';
import type { DeductionStore, StockLedger } from '../../domain/deductions/ports.js';
import { deductionView } from '../../domain/deductions/types.js';
import { NotFoundError, ValidationError } from '../../domain/errors.js';
import { callerIdentity } from '../identity.js';
import { header, json } from '../response.js';
import { jsonBody, parse, skuSchema } from '../validation.js';

export const MAX_QUANTITY = 100;

const deductionBody = z.object({
  sku: skuSchema,
  quantity: z.int().check(z.minimum(1), z.maximum(MAX_QUANTITY)),
  userId: z.optional(z.string().check(z.regex(/^[A-Za-z0-9_.:@-]{1,128}$/, 'must be 1-128 characters of A-Z, a-z, 0-9, _ . : @ -'))),
});

/** 8–128 visible ASCII characters (no spaces): a UUID is the usual choice. */
const idempotencyKey = z.string().check(z.regex(/^[\x21-\x7E]{8,128}$/, 'must be 8-128 visible ASCII characters'));
const deductionId = z.string().check(z.regex(/^d_[A-Za-z0-9_-]{26}$/, 'is not a deduction id'));

export interface DeductionRoutesDeps extends AcceptDeps {
  ledger: StockLedger;
  store: DeductionStore;
  /** Seconds a client should wait before polling the status URL. */
  retryAfterSeconds: number;
}

export function deductionRoutes(deps: DeductionRoutesDeps) {
  return {
    /** POST /v1/deductions → 202 { id, status: QUEUED } + Location. */
    'POST /v1/deductions': async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
      const rawKey = header(event.headers, 'idempotency-key');
      if (rawKey === undefined) throw new ValidationError('The Idempotency-Key header is required', undefined, 'IDEMPOTENCY_KEY_REQUIRED');
      const key = parse(idempotencyKey, rawKey, 'header.Idempotency-Key');
      const body = parse(deductionBody, jsonBody(event.body, event.isBase64Encoded), 'body');
      const userId = callerIdentity(event, body.userId);
      if (!userId) throw new ValidationError('Invalid body', [{ path: 'body.userId', message: 'is required' }]);
      const deduction = await acceptDeduction({ sku: body.sku, quantity: body.quantity, userId }, key, deps);
      const location = `/v1/deductions/${deduction.id}`;
      return json(
        202,
        { id: deduction.id, status: deduction.status, statusUrl: location },
        { location, 'retry-after': String(deps.retryAfterSeconds), 'cache-control': 'no-store' },
      );
    },

    /** GET /v1/deductions/{id} → the request and its outcome. */
    'GET /v1/deductions/{id}': async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
      const id = parse(deductionId, event.pathParameters?.id, 'path.id');
      const deduction = await deps.store.get(id);
      if (!deduction) throw new NotFoundError(`No deduction ${id}`, 'DEDUCTION_NOT_FOUND');
      const settled = deduction.status !== 'QUEUED';
      return json(200, deductionView(deduction), {
        'cache-control': 'no-store',
        ...(settled ? {} : { 'retry-after': String(deps.retryAfterSeconds) }),
      });
    },

    /** POST /v1/deductions/{id}/cancel → gives the stock back once. */
    'POST /v1/deductions/{id}/cancel': async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
      const id = parse(deductionId, event.pathParameters?.id, 'path.id');
      const deduction = await cancelDeduction(id, deps);
      return json(200, deductionView(deduction), { 'cache-control': 'no-store' });
    },
  };
}
