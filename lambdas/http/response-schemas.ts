// What Crest's routes answer, as schemas: the OpenAPI document's response bodies (lib/contract/)
// and the contract tests that hold every observed answer to them. The routes build their answers
// from domain types; the checks at the bottom of this file fail compilation when a domain type and
// its schema part ways, so a field added to a view (or a deduction status) must be added here too.
//
// Nothing here is imported by a function bundle: routes only need the request schemas
// (validation.ts), and these would add weight to every bundle for no check at run time.

import * as z from 'zod/mini';
import type { DeductionStatus, DeductionView, RejectReason } from '../domain/deductions/types.js';
import type { FeedPage } from '../domain/feed/types.js';
import type { HealthReport } from '../domain/health/check.js';
import type { ProductDetail } from '../domain/product/types.js';
import { deductionIdSchema, feedIdSchema, skuSchema } from './validation.js';

const count = z.int().check(z.minimum(0));
const version = z.int().check(z.minimum(0));
const isoTime = z.iso.datetime();

/** Integer minor units plus an ISO 4217 code: never a float. */
const money = z.object({ amount: z.int(), original: z.int(), currency: z.string() });

// ---- Products ----------------------------------------------------------------------------------

/** GET /v1/products/{sku}. */
export const productDetailSchema = z.object({
  sku: skuSchema,
  name: z.string(),
  description: z.string(),
  price: z.nullable(money),
  stock: z.nullable(z.object({ available: z.boolean(), quantity: count })),
  versions: z.object({ info: version, price: z.nullable(version), stock: z.nullable(version) }),
  degraded: z.array(z.enum(['price', 'stock'])),
});

// ---- Deductions --------------------------------------------------------------------------------

/**
 * Every status a deduction can be in (README, "A deduction's life"). Adding one is an additive
 * change of the contract: clients must treat an unknown status as "not final yet" and keep
 * polling (see the README's versioning policy).
 */
export const deductionStatusSchema = z.enum(['QUEUED', 'HELD', 'REJECTED', 'CONFIRMED', 'EXPIRED', 'CANCELLED']);

/** Why a deduction was REJECTED. */
export const rejectReasonSchema = z.enum(['SOLD_OUT', 'LIMIT_EXCEEDED', 'UNKNOWN_SKU']);

/** 202 to POST /v1/products/{sku}/deductions (or the request's current status, for a retry). */
export const deductionAcceptedSchema = z.object({
  id: deductionIdSchema,
  status: deductionStatusSchema,
  statusUrl: z.string(),
});

/** GET /v1/deductions/{id}, POST …/confirm and …/cancel: the caller's request and its outcome. */
export const deductionViewSchema = z.object({
  id: deductionIdSchema,
  sku: skuSchema,
  quantity: z.int().check(z.minimum(1)),
  status: deductionStatusSchema,
  reason: z.optional(rejectReasonSchema),
  createdAt: isoTime,
  decidedAt: z.optional(isoTime),
  /** The hold's deadline, while HELD: confirm before it. */
  expiresAt: z.optional(isoTime),
  confirmedAt: z.optional(isoTime),
  completedAt: z.optional(isoTime),
});

// ---- Today's picks -----------------------------------------------------------------------------

/** GET /v1/feeds/{feedId}: one page of a version, byte for byte the static copy. */
export const feedPageSchema = z.object({
  feedId: feedIdSchema,
  version,
  page: z.int().check(z.minimum(1)),
  pageSize: z.int().check(z.minimum(1)),
  totalPages: z.int().check(z.minimum(1)),
  items: z.array(
    z.object({
      sku: skuSchema,
      name: z.string(),
      price: z.nullable(money),
      stock: z.object({ available: z.boolean() }),
    }),
  ),
  hasMore: z.boolean(),
});

/** 201 to POST /v1/admin/feeds/{feedId}/versions. */
export const publishedVersionSchema = z.object({
  feedId: feedIdSchema,
  version,
  publishAt: isoTime,
  totalPages: z.int().check(z.minimum(1)),
  totalItems: z.int().check(z.minimum(1)),
});

/** 200 to PUT /v1/admin/feeds/{feedId}/degrade. */
export const degradeSwitchSchema = z.object({
  feedId: feedIdSchema,
  degraded: z.boolean(),
  static: z.object({ current: z.string() }),
});

// ---- Back office -------------------------------------------------------------------------------

/** 200 to PUT /v1/admin/products/{sku}. */
export const infoWrittenSchema = z.object({
  sku: skuSchema,
  kind: z.enum(['info']),
  name: z.string(),
  description: z.string(),
  version,
});

/** 200 to PUT /v1/admin/products/{sku}/price. */
export const priceWrittenSchema = z.object({
  sku: skuSchema,
  kind: z.enum(['price']),
  amount: z.int(),
  original: z.int(),
  currency: z.string(),
  version,
});

/** 200 to PUT /v1/admin/products/{sku}/stock. */
export const stockWrittenSchema = z.object({ sku: skuSchema, kind: z.enum(['stock']), quantity: count, version });

// ---- Health ------------------------------------------------------------------------------------

/** GET /v1/health (answered by API Gateway itself). */
export const shallowHealthSchema = z.object({ status: z.enum(['ok']) });

const healthStatus = z.enum(['ok', 'degraded', 'failing']);

/** GET /v1/admin/health. */
export const healthReportSchema = z.object({
  status: healthStatus,
  checkedAt: isoTime,
  dependencies: z.array(
    z.object({
      name: z.string(),
      kind: z.enum(['table', 'queue', 'dead-letter-queue', 'bucket', 'stream']),
      status: healthStatus,
      latencyMs: z.number().check(z.minimum(0)),
      detail: z.optional(z.record(z.string(), z.unknown())),
      error: z.optional(z.string()),
    }),
  ),
});

// ---- Errors ------------------------------------------------------------------------------------

/**
 * Every error, from a function, API Gateway or the WAF: `code` is stable and machine-readable (new
 * codes may be added within /v1), `message` is for people, `details` (when present) say which
 * input was wrong or how to learn an unknown outcome. `requestId` is null only on the WAF's 429s,
 * which are answered before API Gateway assigns one.
 */
export const errorBodySchema = z.object({
  error: z.object({
    code: z.string().check(z.regex(/^[A-Z][A-Z0-9_]*$/)),
    message: z.string(),
    details: z.optional(z.unknown()),
  }),
  requestId: z.nullable(z.string()),
});

// ---- The schemas above are the domain's answers ------------------------------------------------

/** `true` only when A and B are the same type (each assignable to the other). */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

// If one of these fails to compile, a route's answer changed shape: change the schema above to
// match (and the README's versioning policy says whether the change is additive).
export const schemasMatchTheDomain: [
  Same<z.output<typeof productDetailSchema>, ProductDetail>,
  Same<z.output<typeof deductionStatusSchema>, DeductionStatus>,
  Same<z.output<typeof rejectReasonSchema>, RejectReason>,
  Same<z.output<typeof deductionViewSchema>, DeductionView>,
  Same<z.output<typeof feedPageSchema>, FeedPage>,
  Same<z.output<typeof healthReportSchema>, HealthReport>,
] = [true, true, true, true, true, true];
