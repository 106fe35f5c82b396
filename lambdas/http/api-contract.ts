// The HTTP contract of every route, in one place: who may call it, its parameters, headers and
// body (the very schemas the routes parse with), what it answers on success and which error codes
// its function may answer. Three things are generated from it, so they cannot drift apart:
// - the OpenAPI 3.1 document (lib/contract/openapi.ts: `npm run build`, GET /openapi.json locally),
//   to which API Gateway's and the WAF's own answers are added;
// - API Gateway's request models and required parameters (CrestApi.addRoute refuses a route that is
//   not listed here), which the local gateway enforces from the template;
// - the typed client (clients/typescript/), generated from the document.
//
// Adding a route: add its entry below (its key is `METHOD resource path`, as API Gateway names it),
// then `addRoute` it in its construct, then `npm run contract` to regenerate the committed document
// and client types. Nothing in this file is bundled into a function.

import * as z from 'zod/mini';
import type { ErrorKind } from '../domain/errors.js';
import {
  deductionAcceptedSchema,
  deductionViewSchema,
  degradeSwitchSchema,
  feedPageSchema,
  healthReportSchema,
  infoWrittenSchema,
  priceWrittenSchema,
  productDetailSchema,
  publishedVersionSchema,
  shallowHealthSchema,
  stockWrittenSchema,
} from './response-schemas.js';
import {
  deductionBodySchema,
  deductionIdSchema,
  degradeBodySchema,
  feedIdSchema,
  feedQuerySchema,
  idempotencyKeySchema,
  ifMatchSchema,
  priceBodySchema,
  productInfoBodySchema,
  publishBodySchema,
  skuSchema,
  stockBodySchema,
} from './validation.js';

/**
 * Who may call a route:
 * - `public`: anyone, no token (product and feed reads, shallow health);
 * - `buyer`: a valid Cognito ID token of the user pool in `Authorization`;
 * - `admin`: the same, from a member of the `admins` group.
 */
export type RouteAccess = 'public' | 'buyer' | 'admin';

export type RouteTag = 'Products' | 'Deductions' | 'Feeds' | 'Back office' | 'Health';

export interface ParameterSpec {
  schema: z.ZodMiniType;
  description: string;
}

export interface HeaderSpec extends ParameterSpec {
  /** API Gateway answers 400 BAD_REQUEST_PARAMETERS without it, before the function runs. */
  required: boolean;
}

export interface BodySpec {
  /** The schema's name in the document (`components.schemas`) and of the gateway's model. */
  name: string;
  schema: z.ZodMiniType;
  /** False when the route also accepts no body at all (it is then read as `{}`). */
  required: boolean;
}

export interface ResponseHeaderSpec {
  description: string;
  /** Present on every answer of this status. */
  required: boolean;
}

/** A success (or 304) answer. */
export interface AnswerSpec {
  description: string;
  /** Absent for an answer without a body (304). */
  body?: { name: string; schema: z.ZodMiniType };
  headers: Record<string, ResponseHeaderSpec>;
}

export interface RouteSpec {
  /** The operation's name in generated clients (camelCase, stable within /v1). */
  operationId: string;
  summary: string;
  description: string;
  tag: RouteTag;
  access: RouteAccess;
  /** `gateway`: answered by API Gateway itself (a MOCK integration), no function behind it. */
  answeredBy: 'function' | 'gateway';
  /** One entry per `{name}` of the path. */
  path: Record<string, ParameterSpec>;
  /** Query parameters: an object schema whose properties are the parameters, with their descriptions. */
  query?: { schema: z.ZodMiniObject; descriptions: Record<string, string> };
  headers: Record<string, HeaderSpec>;
  body?: BodySpec;
  /** Success answers by status. */
  answers: Record<number, AnswerSpec>;
  /**
   * Error codes the route's function answers besides the ones every route of its kind may answer
   * (see `commonErrors`); each must be in API_ERRORS. The gateway's and the WAF's own answers are
   * added by the document generator.
   */
  errors: readonly ApiErrorCode[];
}

/**
 * Every error code a function answers, with its kind (whose status `STATUS_BY_KIND` in
 * lambdas/http/errors.ts gives) and what a client should make of it. Codes are stable within /v1;
 * new ones may be added (clients handle an unknown code by its status).
 */
export const API_ERRORS = {
  VALIDATION_FAILED: {
    kind: 'validation',
    meaning: 'A parameter, header or body field is invalid; `details` lists each as `{ path, message }`.',
  },
  MALFORMED_JSON: { kind: 'validation', meaning: 'The body is not valid JSON.' },
  BODY_REQUIRED: { kind: 'validation', meaning: 'The route needs a JSON body.' },
  UNKNOWN_SKUS: { kind: 'validation', meaning: 'Some SKUs of the list are not products; `details` names each.' },
  EMPTY_FEED: { kind: 'validation', meaning: 'The version would have no product.' },
  UNAUTHORIZED: { kind: 'unauthenticated', meaning: 'No usable identity reached the function (the authorizer normally answers first).' },
  FORBIDDEN: { kind: 'forbidden', meaning: 'The token is not of a member of the `admins` group.' },
  ROUTE_NOT_FOUND: { kind: 'not-found', meaning: 'No such route.' },
  PRODUCT_NOT_FOUND: { kind: 'not-found', meaning: 'No product has this SKU.' },
  DEDUCTION_NOT_FOUND: {
    kind: 'not-found',
    meaning: 'No deduction of yours has this id (another buyer’s is answered exactly like an unknown one).',
  },
  FEED_NOT_FOUND: { kind: 'not-found', meaning: 'The feed has no published version.' },
  PAGE_NOT_FOUND: { kind: 'not-found', meaning: 'The version has fewer pages.' },
  SOLD_OUT: { kind: 'conflict', meaning: 'The SKU is known to be sold out (a flag at most ~1 s stale); nothing was recorded.' },
  IDEMPOTENCY_KEY_REUSED: { kind: 'conflict', meaning: 'You used this Idempotency-Key before with another body.' },
  NOT_CANCELLABLE: { kind: 'conflict', meaning: 'The deduction is not in a state that can be cancelled.' },
  NOT_CONFIRMABLE: { kind: 'conflict', meaning: 'Only a HELD deduction can be confirmed (QUEUED: poll until it is decided).' },
  HOLD_EXPIRED: {
    kind: 'conflict',
    meaning: 'The hold reached its deadline (`details.expiredAt`) before this call; its units went back to stock. Nothing changed.',
  },
  STOCK_WOULD_GO_NEGATIVE: { kind: 'conflict', meaning: 'The delta would take stock below zero; nothing changed.' },
  STOCK_WOULD_EXCEED_MAXIMUM: { kind: 'conflict', meaning: 'The delta would take stock above its maximum; nothing changed.' },
  VERSION_EXISTS: { kind: 'conflict', meaning: 'A version with this publishAt exists already.' },
  FEED_VERSION_GONE: {
    kind: 'gone',
    meaning: 'The pinned version was pruned; `details.current` names the current one: restart at page 1.',
  },
  PRECONDITION_FAILED: { kind: 'precondition', meaning: 'If-Match names another version than the current one; `details` has both.' },
  DEPENDENCY_UNAVAILABLE: { kind: 'unavailable', meaning: 'A backing service failed before anything changed; retry after Retry-After.' },
  ENQUEUE_FAILED: { kind: 'unavailable', meaning: 'The request could not be queued and was removed: nothing was deducted; retry.' },
  INFO_UNAVAILABLE: { kind: 'unavailable', meaning: 'Product information cannot be read right now; retry.' },
  FEED_DEGRADED: {
    kind: 'unavailable',
    meaning: 'The feed is served from its static copy right now: `details.current` (and `details.page` for a pinned request).',
  },
  FEED_UNAVAILABLE: { kind: 'unavailable', meaning: 'No complete version can be read right now; use the static copy.' },
  FEED_PAGE_UNAVAILABLE: { kind: 'unavailable', meaning: 'The pinned page cannot be read right now; use its static copy.' },
  OUTCOME_UNKNOWN: {
    kind: 'outcome-unknown',
    meaning: 'The change may or may not have been applied; `details` say how to learn it (retry with the same key, or read).',
  },
  INTERNAL: { kind: 'internal', meaning: 'A fault of ours; nothing is known about the outcome of a write: read before retrying.' },
} as const satisfies Record<string, { kind: ErrorKind | 'internal'; meaning: string }>;

export type ApiErrorCode = keyof typeof API_ERRORS;

/**
 * Codes every function route of a kind may answer, whatever it does: a fault (500), a deadline or
 * dependency failure (503: DEPENDENCY_UNAVAILABLE for a read, OUTCOME_UNKNOWN for a write), a
 * missing identity (401) and, on admin routes, a caller outside the group (403).
 */
export function commonErrors(method: string, spec: RouteSpec): ApiErrorCode[] {
  if (spec.answeredBy === 'gateway') return [];
  return [
    'INTERNAL',
    method === 'GET' ? 'DEPENDENCY_UNAVAILABLE' : 'OUTCOME_UNKNOWN',
    ...(spec.access === 'public' ? [] : (['UNAUTHORIZED'] as const)),
    ...(spec.access === 'admin' ? (['FORBIDDEN'] as const) : []),
    ...(Object.keys(spec.path).length > 0 || spec.query || spec.body ? (['VALIDATION_FAILED'] as const) : []),
    ...(spec.body ? (spec.body.required ? (['BODY_REQUIRED', 'MALFORMED_JSON'] as const) : (['MALFORMED_JSON'] as const)) : []),
  ];
}

// ---- Shared pieces -----------------------------------------------------------------------------

const sku: ParameterSpec = { schema: skuSchema, description: 'The product: 1–64 characters of A–Z, a–z, 0–9, `_` and `-`.' };
const deductionId: ParameterSpec = {
  schema: deductionIdSchema,
  description: 'A deduction id, as the 202 of `POST /v1/products/{sku}/deductions` gave it (`d_` and 26 characters).',
};
const feedId: ParameterSpec = { schema: feedIdSchema, description: 'The feed, e.g. `todays-picks`.' };

/** If-None-Match: one or more ETags as the client has them; the route compares, it never refuses one. */
const etags = z.string();

const noStore: Record<string, ResponseHeaderSpec> = { 'Cache-Control': { description: '`no-store`.', required: true } };
const versioned = (what: string): Record<string, ResponseHeaderSpec> => ({
  ETag: { description: `The ${what}'s new version (\`"3"\`): send it in If-Match to write again exactly once.`, required: true },
  ...noStore,
});
const ifMatch: HeaderSpec = {
  schema: ifMatchSchema,
  description: 'Apply only if the item is still at this version (its ETag, `"3"`); otherwise 412 PRECONDITION_FAILED.',
  required: false,
};

/** The routes of the template, by `METHOD resource path`. */
export const API_ROUTES = {
  'GET /v1/products/{sku}': {
    operationId: 'getProduct',
    summary: 'Product detail: info, price and stock',
    description:
      'Info, price and stock read concurrently, each with its own timeout and breaker. A slow or failing price or stock answers 200 with that part `null`, named in `degraded`, and `Cache-Control: no-store`. Echo the ETag in `If-None-Match`: 304 when nothing changed, and never an older product than the one you saw.',
    tag: 'Products',
    access: 'public',
    answeredBy: 'function',
    path: { sku },
    headers: {
      'If-None-Match': {
        schema: etags,
        description: 'The ETag you have (`"1.1.1"`, the versions of info, price and stock): 304 when nothing changed.',
        required: false,
      },
    },
    answers: {
      200: {
        description: 'The product.',
        body: { name: 'ProductDetail', schema: productDetailSchema },
        headers: {
          ETag: { description: 'The versions of info, price and stock (`"1.1.1"`).', required: true },
          'Cache-Control': { description: '`public, max-age=1` when complete; `no-store` when degraded.', required: true },
        },
      },
      304: {
        description: 'Not modified since the ETag in If-None-Match.',
        headers: {
          ETag: { description: 'The current ETag.', required: true },
          'Cache-Control': { description: '`public, max-age=1`.', required: true },
        },
      },
    },
    errors: ['PRODUCT_NOT_FOUND', 'INFO_UNAVAILABLE'],
  },

  'POST /v1/products/{sku}/deductions': {
    operationId: 'createDeduction',
    summary: 'Ask for stock in a flash sale',
    description:
      'Records the request and queues it; the consumer decides it within seconds, first come first served. The buyer is the token’s `sub`: the body holds the quantity and nothing else. Retry with the same Idempotency-Key after a timeout, a 503 or a 5xx: you get the same id, never a second deduction. Poll `Location` after `Retry-After` seconds.',
    tag: 'Deductions',
    access: 'buyer',
    answeredBy: 'function',
    path: { sku },
    headers: {
      'Idempotency-Key': {
        schema: idempotencyKeySchema,
        description:
          'Names this request for you alone (8–128 visible ASCII characters; a UUID). The same key and body always give the same deduction.',
        required: true,
      },
    },
    body: { name: 'DeductionRequest', schema: deductionBodySchema, required: true },
    answers: {
      202: {
        description: 'Recorded and queued (or, for a retry, the request as it stands now).',
        body: { name: 'DeductionAccepted', schema: deductionAcceptedSchema },
        headers: {
          Location: { description: 'The deduction: `/v1/deductions/{id}`.', required: true },
          'Retry-After': { description: 'Seconds to wait before polling Location.', required: true },
          ...noStore,
        },
      },
    },
    errors: ['PRODUCT_NOT_FOUND', 'SOLD_OUT', 'IDEMPOTENCY_KEY_REUSED', 'DEPENDENCY_UNAVAILABLE', 'ENQUEUE_FAILED'],
  },

  'GET /v1/deductions/{id}': {
    operationId: 'getDeduction',
    summary: 'One of your deductions and its outcome',
    description:
      'Poll until `status` is no longer `QUEUED`. Only its buyer sees a deduction: anyone else is told 404, as for an unknown id.',
    tag: 'Deductions',
    access: 'buyer',
    answeredBy: 'function',
    path: { id: deductionId },
    headers: {},
    answers: {
      200: {
        description: 'The deduction.',
        body: { name: 'Deduction', schema: deductionViewSchema },
        headers: {
          ...noStore,
          'Retry-After': { description: 'While `QUEUED`: seconds to wait before polling again.', required: false },
        },
      },
    },
    errors: ['DEDUCTION_NOT_FOUND'],
  },

  'POST /v1/deductions/{id}/confirm': {
    operationId: 'confirmDeduction',
    summary: 'Keep a held deduction (after payment)',
    description:
      'HELD → CONFIRMED before the hold’s `expiresAt`: the units stay yours and the hold no longer expires. Confirming again answers the same. Idempotent.',
    tag: 'Deductions',
    access: 'buyer',
    answeredBy: 'function',
    path: { id: deductionId },
    headers: {},
    answers: {
      200: { description: 'The deduction, `CONFIRMED`.', body: { name: 'Deduction', schema: deductionViewSchema }, headers: noStore },
    },
    errors: ['DEDUCTION_NOT_FOUND', 'HOLD_EXPIRED', 'NOT_CONFIRMABLE'],
  },

  'POST /v1/deductions/{id}/cancel': {
    operationId: 'cancelDeduction',
    summary: 'Give a deduction’s units back',
    description:
      'HELD (before its deadline) or CONFIRMED (a refund): returns the units (and your per-buyer allowance) once; cancelling again answers the same. Idempotent.',
    tag: 'Deductions',
    access: 'buyer',
    answeredBy: 'function',
    path: { id: deductionId },
    headers: {},
    answers: {
      200: { description: 'The deduction, `CANCELLED`.', body: { name: 'Deduction', schema: deductionViewSchema }, headers: noStore },
    },
    errors: ['DEDUCTION_NOT_FOUND', 'HOLD_EXPIRED', 'NOT_CANCELLABLE'],
  },

  'GET /v1/feeds/{feedId}': {
    operationId: 'getFeedPage',
    summary: 'A page of Today’s picks',
    description:
      'Without `version`: page N of the current version (`max-age=5`, ETag = the version). Pin the following pages to the version of page 1: a pinned page never changes (`immutable`). Pull-to-refresh with If-None-Match: 304 when nothing is new.',
    tag: 'Feeds',
    access: 'public',
    answeredBy: 'function',
    path: { feedId },
    query: {
      schema: feedQuerySchema,
      descriptions: {
        page: 'The page, from 1.',
        version: 'Pin to this version (its publish time in epoch ms, from page 1’s `version`).',
      },
    },
    headers: {
      'If-None-Match': { schema: etags, description: 'The ETag of the page 1 you have (`"<version>"`).', required: false },
    },
    answers: {
      200: {
        description: 'The page.',
        body: { name: 'FeedPage', schema: feedPageSchema },
        headers: {
          ETag: { description: 'The version (`"<version>"`).', required: true },
          'Cache-Control': { description: '`public, max-age=86400, immutable` when pinned, else `public, max-age=5`.', required: true },
        },
      },
      304: {
        description: 'The current version is still the one in If-None-Match.',
        headers: {
          ETag: { description: 'The version.', required: true },
          'Cache-Control': { description: '`public, max-age=5`.', required: true },
        },
      },
    },
    errors: ['FEED_NOT_FOUND', 'PAGE_NOT_FOUND', 'FEED_VERSION_GONE', 'FEED_DEGRADED', 'FEED_UNAVAILABLE', 'FEED_PAGE_UNAVAILABLE'],
  },

  'PUT /v1/admin/products/{sku}': {
    operationId: 'putProductInfo',
    summary: 'Create or replace a product’s info',
    description: 'Versioned: each write raises the version by one. With If-Match, applied only at that version.',
    tag: 'Back office',
    access: 'admin',
    answeredBy: 'function',
    path: { sku },
    headers: { 'If-Match': ifMatch },
    body: { name: 'ProductInfoRequest', schema: productInfoBodySchema, required: true },
    answers: { 200: { description: 'Written.', body: { name: 'InfoWritten', schema: infoWrittenSchema }, headers: versioned('info') } },
    errors: ['PRECONDITION_FAILED'],
  },

  'PUT /v1/admin/products/{sku}/price': {
    operationId: 'putProductPrice',
    summary: 'Set a product’s price',
    description: 'Integer minor units and an ISO 4217 code; `original` (struck through) defaults to `amount` and is never below it.',
    tag: 'Back office',
    access: 'admin',
    answeredBy: 'function',
    path: { sku },
    headers: { 'If-Match': ifMatch },
    body: { name: 'PriceRequest', schema: priceBodySchema, required: true },
    answers: { 200: { description: 'Written.', body: { name: 'PriceWritten', schema: priceWrittenSchema }, headers: versioned('price') } },
    errors: ['PRODUCT_NOT_FOUND', 'PRECONDITION_FAILED'],
  },

  'PUT /v1/admin/products/{sku}/stock': {
    operationId: 'putProductStock',
    summary: 'Set or adjust a product’s stock',
    description: '`{ quantity }` sets stock; `{ delta }` adds to it (negative removes) in one conditional write. Never both.',
    tag: 'Back office',
    access: 'admin',
    answeredBy: 'function',
    path: { sku },
    headers: { 'If-Match': ifMatch },
    body: { name: 'StockRequest', schema: stockBodySchema, required: true },
    answers: { 200: { description: 'Written.', body: { name: 'StockWritten', schema: stockWrittenSchema }, headers: versioned('stock') } },
    errors: ['PRODUCT_NOT_FOUND', 'PRECONDITION_FAILED', 'STOCK_WOULD_GO_NEGATIVE', 'STOCK_WOULD_EXCEED_MAXIMUM'],
  },

  'POST /v1/admin/feeds/{feedId}/versions': {
    operationId: 'publishFeedVersion',
    summary: 'Publish a version of a feed',
    description:
      'Snapshots `skus` in order (or, without, the catalog ranked) at `publishAt` (default now, at most 30 days ahead). A version is visible once all its pages are written, and never overwritten.',
    tag: 'Back office',
    access: 'admin',
    answeredBy: 'function',
    path: { feedId },
    headers: {},
    body: { name: 'PublishRequest', schema: publishBodySchema, required: false },
    answers: {
      201: {
        description: 'Published.',
        body: { name: 'PublishedVersion', schema: publishedVersionSchema },
        headers: { Location: { description: 'Page 1 of the version, pinned.', required: true }, ...noStore },
      },
    },
    errors: ['UNKNOWN_SKUS', 'EMPTY_FEED', 'VERSION_EXISTS'],
  },

  'PUT /v1/admin/feeds/{feedId}/degrade': {
    operationId: 'setFeedDegraded',
    summary: 'Point clients at the static copies (or back)',
    description: 'While on, the feed answers 503 FEED_DEGRADED with the static copy’s URLs. Idempotent.',
    tag: 'Back office',
    access: 'admin',
    answeredBy: 'function',
    path: { feedId },
    headers: {},
    body: { name: 'DegradeRequest', schema: degradeBodySchema, required: true },
    answers: { 200: { description: 'The switch as set.', body: { name: 'DegradeSwitch', schema: degradeSwitchSchema }, headers: noStore } },
    errors: [],
  },

  'GET /v1/health': {
    operationId: 'getHealth',
    summary: 'Shallow health: the API is up',
    description: 'Answered by API Gateway itself: no function, no dependency, nothing to count against a sale.',
    tag: 'Health',
    access: 'public',
    answeredBy: 'gateway',
    path: {},
    headers: {},
    answers: { 200: { description: 'Up.', body: { name: 'ShallowHealth', schema: shallowHealthSchema }, headers: noStore } },
    errors: [],
  },

  'GET /v1/admin/health': {
    operationId: 'getDeepHealth',
    summary: 'Deep health: every dependency, its status and latency',
    description: '200 whenever the check ran: `status` (ok, degraded, failing) is the answer.',
    tag: 'Health',
    access: 'admin',
    answeredBy: 'function',
    path: {},
    headers: {},
    answers: {
      200: { description: 'What the check found.', body: { name: 'HealthReport', schema: healthReportSchema }, headers: noStore },
    },
    errors: [],
  },
} satisfies Record<string, RouteSpec>;

export type RouteKey = keyof typeof API_ROUTES;

/** The spec of `METHOD path`, or undefined. */
export function routeSpec(method: string, path: string): RouteSpec | undefined {
  return (API_ROUTES as Record<string, RouteSpec>)[`${method} ${path}`];
}
