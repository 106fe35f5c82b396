// zod/mini is the tree-shakable build: ~20 KB in a bundle with English messages, against ~450 KB
// for `import { z } from 'zod'` (which pulls every locale through the namespace object).
//
// Every request schema is defined here, once, and exported by name: routes parse with them, and
// the API description is generated from them.

import { en } from 'zod/locales';
import * as z from 'zod/mini';
import { MAX_STOCK_QUANTITY } from '../domain/catalog/ports.js';
import { DEDUCTION_ID_PATTERN } from '../domain/deductions/id.js';
import { ValidationError } from '../domain/errors.js';
import { SKU_PATTERN } from '../domain/product/types.js';

z.config(en());

// ---- Identifiers -------------------------------------------------------------------------------

/** SKU: 1–64 characters of [A-Za-z0-9_-]. */
export const skuSchema = z.string().check(z.regex(SKU_PATTERN, 'must be 1-64 characters of A-Z, a-z, 0-9, _ or -'));

/** Feed id: 1–64 characters of [a-z0-9-], starting with a letter or digit. */
export const feedIdSchema = z.string().check(z.regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'must be 1-64 characters of a-z, 0-9 and -'));

/** A deduction id as issued by POST /v1/products/{sku}/deductions. */
export const deductionIdSchema = z.string().check(z.regex(DEDUCTION_ID_PATTERN, 'is not a deduction id'));

/** Idempotency-Key header: 8–128 visible ASCII characters (no spaces); a UUID is the usual choice. */
export const idempotencyKeySchema = z.string().check(z.regex(/^[\x21-\x7E]{8,128}$/, 'must be 8-128 visible ASCII characters'));

// ---- Text --------------------------------------------------------------------------------------

/**
 * True for text a storefront can show as it is: no lone surrogates (not valid UTF-16, and not
 * encodable as UTF-8), no control characters (NUL, BEL, ESC, C1…; tab and line breaks only where
 * allowed), and no bidi overrides or isolates (U+202A–U+202E, U+2066–U+2069), which can make a
 * name display as something it is not.
 */
export function isDisplaySafe(text: string, allowLineBreaks: boolean): boolean {
  for (const char of text) {
    const c = char.codePointAt(0) ?? 0;
    if (c < 0x20 && !(allowLineBreaks && (c === 0x09 || c === 0x0a || c === 0x0d))) return false;
    if ((c >= 0x7f && c <= 0x9f) || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069)) return false;
    if (c >= 0xd800 && c <= 0xdfff) return false;
  }
  return true;
}

const displayText = (min: number, max: number, allowLineBreaks: boolean) =>
  z.string().check(
    z.minLength(min),
    z.maxLength(max),
    z.refine(
      (s) => isDisplaySafe(s, allowLineBreaks),
      allowLineBreaks
        ? 'must not contain control characters (other than tab and line breaks), bidi overrides or lone surrogates'
        : 'must not contain control characters, bidi overrides or lone surrogates',
    ),
  );

// ---- Query strings -----------------------------------------------------------------------------

/** A query parameter of plain decimal digits (no sign, exponent, hex or blanks), as a number. */
const decimal = (maxDigits: number, min: number, max: number) =>
  z.pipe(
    z.pipe(z.string().check(z.regex(new RegExp(`^\\d{1,${maxDigits}}$`), 'must be a decimal number')), z.transform(Number)),
    z.int().check(z.minimum(min), z.maximum(max)),
  );

/** GET /v1/feeds/{feedId}: `page` (default 1) and an optional pinned `version` (publish time, epoch ms). */
export const feedQuerySchema = z.object({
  page: z._default(decimal(5, 1, 10_000), 1),
  version: z.optional(decimal(15, 0, Number.MAX_SAFE_INTEGER)),
});

// ---- Bodies ------------------------------------------------------------------------------------

const MAX_DEDUCTION_QUANTITY = 100;

/**
 * POST /v1/products/{sku}/deductions: the SKU is in the path and the buyer is the token's `sub`,
 * so the body is the quantity and nothing else (a `userId`, or any other field, is refused by name).
 */
export const deductionBodySchema = z.strictObject({
  quantity: z.int().check(z.minimum(1), z.maximum(MAX_DEDUCTION_QUANTITY)),
});

const counter = z.optional(z.int().check(z.minimum(0)));

/** PUT /v1/admin/products/{sku}. */
export const productInfoBodySchema = z.object({
  name: displayText(1, 200, false),
  description: z._default(displayText(0, 2000, true), ''),
  sales: counter,
  exposure: counter,
  clicks: counter,
});

/** ISO 4217 codes as the runtime knows them (Intl), e.g. USD, EUR, JPY. */
const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));
const MAX_MINOR_UNITS = 1_000_000_000_000;
const minorUnits = z.int().check(z.minimum(1), z.maximum(MAX_MINOR_UNITS));

/** PUT /v1/admin/products/{sku}/price: integer minor units; `original` (the struck-through price) is never below `amount`. */
export const priceBodySchema = z
  .object({
    amount: minorUnits,
    original: z.optional(minorUnits),
    currency: z.string().check(
      // The pattern is what the API description and the gateway's model can say; the set is the rest.
      z.regex(/^[A-Z]{3}$/, { message: 'must be an ISO 4217 currency code such as USD or EUR', abort: true }),
      z.refine((c) => CURRENCIES.has(c), 'must be an ISO 4217 currency code such as USD or EUR'),
    ),
  })
  .check(z.refine((p) => p.original === undefined || p.original >= p.amount, { message: 'must not be below amount', path: ['original'] }));

/** PUT /v1/admin/products/{sku}/stock: `{ quantity }` sets stock, `{ delta }` adds to it (never both). */
export const stockBodySchema = z.union([
  z.strictObject({ quantity: z.int().check(z.minimum(0), z.maximum(MAX_STOCK_QUANTITY)) }),
  z.strictObject({ delta: z.int().check(z.minimum(-MAX_STOCK_QUANTITY), z.maximum(MAX_STOCK_QUANTITY)) }),
]);

/** POST /v1/admin/feeds/{feedId}/versions. */
export const publishBodySchema = z.object({
  publishAt: z.optional(z.iso.datetime({ offset: true })),
  skus: z.optional(z.array(skuSchema).check(z.minLength(1), z.maxLength(1000))),
});

/** PUT /v1/admin/feeds/{feedId}/degrade. */
export const degradeBodySchema = z.object({ degraded: z.boolean() });

// ---- Headers -----------------------------------------------------------------------------------

/** If-Match on admin writes: `"3"`, `W/"3"` or `3`, as the version it names. */
export const ifMatchSchema = z.pipe(
  z.string().check(z.regex(/^\s*(?:W\/)?"?\d{1,15}"?\s*$/, 'is not a version such as "3"')),
  z.transform((s) => Number(/\d+/.exec(s)?.[0])),
);

// ---- Parsing -----------------------------------------------------------------------------------

/**
 * Parses `input` with `schema` or throws a ValidationError whose details list every failing
 * field as `{ path, message }`, so a client can point at the exact input that was wrong. A field
 * a strict schema does not know is named in its own detail (`body.userId: is not a field of this
 * request`).
 */
export function parse<S extends z.ZodMiniType>(schema: S, input: unknown, where: string): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const at = (path: readonly PropertyKey[]) => [where, ...path.map(String)].join('.');
  const details = result.error.issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ path: at([...issue.path, key]), message: 'is not a field of this request' }))
      : [{ path: at(issue.path), message: issue.message }],
  );
  throw new ValidationError(`Invalid ${where}`, details);
}

/** Parses a JSON request body; malformed JSON is a 400, not a 500. */
export function jsonBody(body: string | null | undefined, isBase64Encoded = false): unknown {
  if (body === null || body === undefined || body === '') throw new ValidationError('Request body is required', undefined, 'BODY_REQUIRED');
  const text = isBase64Encoded ? Buffer.from(body, 'base64').toString('utf8') : body;
  try {
    return JSON.parse(text);
  } catch {
    throw new ValidationError('Request body is not valid JSON', undefined, 'MALFORMED_JSON');
  }
}
