import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import * as z from 'zod/mini';
import type { CatalogWriter } from '../../domain/catalog/ports.js';
import { ValidationError } from '../../domain/errors.js';
import { header, json } from '../response.js';
import { jsonBody, parse, skuSchema } from '../validation.js';

/** ISO 4217 codes as the runtime knows them (Intl), e.g. USD, EUR, JPY. */
const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));
const MAX_MINOR_UNITS = 1_000_000_000_000;

const minorUnits = z.int().check(z.minimum(0), z.maximum(MAX_MINOR_UNITS));
const counter = z.optional(z.int().check(z.minimum(0)));

const infoBody = z.object({
  name: z.string().check(z.minLength(1), z.maxLength(200)),
  description: z._default(z.string().check(z.maxLength(2000)), ''),
  sales: counter,
  exposure: counter,
  clicks: counter,
});
const priceBody = z.object({
  amount: minorUnits,
  original: z.optional(minorUnits),
  currency: z.string().check(z.refine((c) => CURRENCIES.has(c), 'must be an ISO 4217 currency code such as USD or EUR')),
});
const stockBody = z.union([
  z.strictObject({ quantity: z.int().check(z.minimum(0), z.maximum(10_000_000)) }),
  z.strictObject({ delta: z.int().check(z.minimum(-10_000_000), z.maximum(10_000_000)) }),
]);

/** If-Match: `"3"`, `W/"3"` or `3` → 3; absent → undefined; anything else → 400. */
export function ifMatchVersion(event: APIGatewayProxyEvent): number | undefined {
  const raw = header(event.headers, 'if-match');
  if (raw === undefined) return undefined;
  const match = /^(?:W\/)?"?(\d{1,15})"?$/.exec(raw.trim());
  if (!match)
    throw new ValidationError('If-Match must be a version ETag such as "3"', [{ path: 'header.If-Match', message: 'is not a version' }]);
  return Number(match[1]);
}

const written = (sku: string, kind: string, version: number, body: object): APIGatewayProxyResult =>
  json(200, { sku, kind, ...body, version }, { etag: `"${version}"`, 'cache-control': 'no-store' });

/** PUT /v1/admin/products/{sku}[/price|/stock]: catalog writes for the merchandising team. */
export function adminProductRoutes(writer: CatalogWriter) {
  const skuOf = (event: APIGatewayProxyEvent) => parse(skuSchema, event.pathParameters?.sku, 'path.sku');
  return {
    'PUT /v1/admin/products/{sku}': async (event: APIGatewayProxyEvent) => {
      const sku = skuOf(event);
      const body = parse(infoBody, jsonBody(event.body, event.isBase64Encoded), 'body');
      const info = await writer.putInfo(sku, body, ifMatchVersion(event));
      return written(sku, 'info', info.version, { name: info.name, description: info.description });
    },
    'PUT /v1/admin/products/{sku}/price': async (event: APIGatewayProxyEvent) => {
      const sku = skuOf(event);
      const body = parse(priceBody, jsonBody(event.body, event.isBase64Encoded), 'body');
      const price = await writer.setPrice(
        sku,
        { amount: body.amount, original: body.original ?? body.amount, currency: body.currency },
        ifMatchVersion(event),
      );
      return written(sku, 'price', price.version, { amount: price.amount, original: price.original, currency: price.currency });
    },
    'PUT /v1/admin/products/{sku}/stock': async (event: APIGatewayProxyEvent) => {
      const sku = skuOf(event);
      const body = parse(stockBody, jsonBody(event.body, event.isBase64Encoded), 'body');
      const expected = ifMatchVersion(event);
      const stock =
        'quantity' in body ? await writer.setStock(sku, body.quantity, expected) : await writer.addStock(sku, body.delta, expected);
      return written(sku, 'stock', stock.version, { quantity: stock.quantity });
    },
  };
}
