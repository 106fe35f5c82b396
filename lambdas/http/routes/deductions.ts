import type { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { type AcceptDeps, acceptDeduction } from '../../domain/deductions/accept.js';
import { cancelDeduction } from '../../domain/deductions/cancel.js';
import { confirmDeduction } from '../../domain/deductions/confirm.js';
import type { DeductionIds } from '../../domain/deductions/id.js';
import { ownDeduction } from '../../domain/deductions/ownership.js';
import type { DeductionStore, StockLedger } from '../../domain/deductions/ports.js';
import { deductionView } from '../../domain/deductions/types.js';
import { isCrestError } from '../../domain/errors.js';
import { noMetrics } from '../../domain/metrics.js';
import { requestCorrelationId } from '../correlation.js';
import { callerOf, verifiedCaller } from '../identity.js';
import { header, json } from '../response.js';
import { type OutcomeAdvice, type Routes, read, write } from '../router.js';
import { deductionBodySchema, deductionIdSchema, idempotencyKeySchema, jsonBody, parse, skuSchema } from '../validation.js';

export interface DeductionRoutesDeps extends AcceptDeps {
  ledger: StockLedger;
  store: DeductionStore;
  /** Seconds a client should wait before polling the status URL. */
  retryAfterSeconds: number;
  /** Names each deduction a request created or moved (its log lines carry the correlation id). */
  logger?: Pick<Logger, 'info'>;
}

/**
 * Errors that turn a buy away as invalid before the queue: a malformed request, an unknown product,
 * an Idempotency-Key reused with another body. (SOLD_OUT is counted where it is decided, in
 * acceptDeduction; a caller without identity is the authorizer's to refuse.)
 */
const isInvalidBuy = (error: unknown) =>
  isCrestError(error) && (error.kind === 'validation' || error.code === 'PRODUCT_NOT_FOUND' || error.code === 'IDEMPOTENCY_KEY_REUSED');

const statusUrl = (id: string) => `/v1/deductions/${id}`;

/**
 * A buy with an unknown outcome: the same caller and key name the same request, so a retry is
 * safe and tells. The id is given only back to the caller it belongs to.
 */
const retryWithSameKey =
  (ids: DeductionIds) =>
  (event: APIGatewayProxyEvent): OutcomeAdvice => {
    const key = idempotencyKeySchema.safeParse(header(event.headers, 'idempotency-key'));
    const caller = verifiedCaller(event);
    const id = key.success && caller ? ids(caller.sub, key.data) : undefined;
    return {
      message:
        'The deduction may or may not have been accepted. Retry with the same Idempotency-Key: it returns the same id and never deducts twice',
      details: { retry: 'same-idempotency-key', ...(id ? { id, statusUrl: statusUrl(id) } : {}) },
    };
  };

/**
 * A cancel or confirm with an unknown outcome: reading the deduction tells (CANCELLED or
 * CONFIRMED if it was applied), and both are idempotent.
 */
const readTheDeduction =
  (what: 'cancellation' | 'confirmation', status: 'CANCELLED' | 'CONFIRMED', verb: 'cancel' | 'confirm') =>
  (event: APIGatewayProxyEvent): OutcomeAdvice => {
    const id = event.pathParameters?.id ?? '';
    return {
      message: `The ${what} may or may not have been applied. GET the deduction (${status} if it was), or ${verb} again: it is idempotent`,
      details: { read: statusUrl(id), retry: 'idempotent' },
    };
  };

/** The buy of `owner`: the request read from the event, then accepted (see acceptDeduction). */
async function buy(event: APIGatewayProxyEvent, owner: string, deps: DeductionRoutesDeps, signal: AbortSignal) {
  const sku = parse(skuSchema, event.pathParameters?.sku, 'path.sku');
  // The gateway refuses a request without the header; this names what is wrong with one it let through.
  const key = parse(idempotencyKeySchema, header(event.headers, 'idempotency-key'), 'header.Idempotency-Key');
  const body = parse(deductionBodySchema, jsonBody(event.body, event.isBase64Encoded), 'body');
  return acceptDeduction({ sku, quantity: body.quantity, owner, correlationId: requestCorrelationId(event) }, key, deps, signal);
}

/**
 * The buyer's deduction routes. Each one acts for the caller the authorizer verified (callerOf):
 * a deduction belongs to whoever created it, and anyone else is told it does not exist.
 */
export function deductionRoutes(deps: DeductionRoutesDeps): Routes {
  return {
    /** POST /v1/products/{sku}/deductions { quantity } → 202 { id, status: QUEUED } + Location. */
    'POST /v1/products/{sku}/deductions': write(async (event, signal) => {
      const owner = callerOf(event).sub;
      const deduction = await buy(event, owner, deps, signal).catch((error: unknown) => {
        if (isInvalidBuy(error)) (deps.metrics ?? noMetrics).add('DeductionsTurnedAway', 1, { Reason: 'INVALID' });
        throw error;
      });
      deps.logger?.info('Deduction accepted', { deductionId: deduction.id, status: deduction.status });
      const location = statusUrl(deduction.id);
      return json(
        202,
        { id: deduction.id, status: deduction.status, statusUrl: location },
        { location, 'retry-after': String(deps.retryAfterSeconds), 'cache-control': 'no-store' },
      );
    }, retryWithSameKey(deps.ids)),

    /** GET /v1/deductions/{id} → the caller's request and its outcome. */
    'GET /v1/deductions/{id}': read(async (event, signal) => {
      const owner = callerOf(event).sub;
      const id = parse(deductionIdSchema, event.pathParameters?.id, 'path.id');
      const deduction = await ownDeduction(deps.store, id, owner, signal);
      const settled = deduction.status !== 'QUEUED';
      return json(200, deductionView(deduction), {
        'cache-control': 'no-store',
        ...(settled ? {} : { 'retry-after': String(deps.retryAfterSeconds) }),
      });
    }),

    /** POST /v1/deductions/{id}/confirm → the caller's hold becomes a sale (HELD → CONFIRMED). */
    'POST /v1/deductions/{id}/confirm': write(
      async (event, signal) => {
        const owner = callerOf(event).sub;
        const id = parse(deductionIdSchema, event.pathParameters?.id, 'path.id');
        const deduction = await confirmDeduction(id, owner, deps, signal);
        deps.logger?.info('Deduction confirmed', { deductionId: deduction.id });
        return json(200, deductionView(deduction), { 'cache-control': 'no-store' });
      },
      readTheDeduction('confirmation', 'CONFIRMED', 'confirm'),
    ),

    /** POST /v1/deductions/{id}/cancel → gives the caller's held or confirmed units back once. */
    'POST /v1/deductions/{id}/cancel': write(
      async (event, signal) => {
        const owner = callerOf(event).sub;
        const id = parse(deductionIdSchema, event.pathParameters?.id, 'path.id');
        const deduction = await cancelDeduction(id, owner, deps, signal);
        deps.logger?.info('Deduction cancelled', { deductionId: deduction.id });
        return json(200, deductionView(deduction), { 'cache-control': 'no-store' });
      },
      readTheDeduction('cancellation', 'CANCELLED', 'cancel'),
    ),
  };
}
