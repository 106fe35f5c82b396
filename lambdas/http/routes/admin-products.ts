import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import type { CatalogWriter } from '../../domain/catalog/ports.js';
import { type Metrics, noMetrics } from '../../domain/metrics.js';
import { adminOnly } from '../identity.js';
import { header, json } from '../response.js';
import { type OutcomeAdvice, type Routes, write } from '../router.js';
import { ifMatchSchema, jsonBody, parse, priceBodySchema, productInfoBodySchema, skuSchema, stockBodySchema } from '../validation.js';

/** If-Match: `"3"`, `W/"3"` or `3` → 3; absent → undefined; anything else → 400. */
function ifMatchVersion(event: APIGatewayProxyEvent): number | undefined {
  const raw = header(event.headers, 'if-match');
  return raw === undefined ? undefined : parse(ifMatchSchema, raw, 'header.If-Match');
}

const written = (sku: string, kind: string, version: number, body: object): APIGatewayProxyResult =>
  json(200, { sku, kind, ...body, version }, { etag: `"${version}"`, 'cache-control': 'no-store' });

/** An admin write with an unknown outcome: the product page shows whether it applied (its versions moved). */
function readTheProduct(event: APIGatewayProxyEvent): OutcomeAdvice {
  const sku = event.pathParameters?.sku ?? '';
  return {
    message:
      'The change may or may not have been applied. GET the product to see its current versions, then write again with If-Match to apply it exactly once',
    details: { read: `/v1/products/${sku}`, retry: 'if-match' },
  };
}

/**
 * PUT /v1/admin/products/{sku}[/price|/stock]: catalog writes for the merchandising team (admins only).
 * @param metrics counts the writes applied, by kind.
 */
export function adminProductRoutes(writer: CatalogWriter, metrics: Metrics = noMetrics): Routes {
  const skuOf = (event: APIGatewayProxyEvent) => parse(skuSchema, event.pathParameters?.sku, 'path.sku');
  return adminOnly({
    'PUT /v1/admin/products/{sku}': write(async (event, signal) => {
      const sku = skuOf(event);
      const body = parse(productInfoBodySchema, jsonBody(event.body, event.isBase64Encoded), 'body');
      const info = await writer.putInfo(sku, body, ifMatchVersion(event), signal);
      metrics.add('CatalogWrites', 1, { Kind: 'info' });
      return written(sku, 'info', info.version, { name: info.name, description: info.description });
    }, readTheProduct),
    'PUT /v1/admin/products/{sku}/price': write(async (event, signal) => {
      const sku = skuOf(event);
      const body = parse(priceBodySchema, jsonBody(event.body, event.isBase64Encoded), 'body');
      const price = await writer.setPrice(
        sku,
        { amount: body.amount, original: body.original ?? body.amount, currency: body.currency },
        ifMatchVersion(event),
        signal,
      );
      metrics.add('CatalogWrites', 1, { Kind: 'price' });
      return written(sku, 'price', price.version, { amount: price.amount, original: price.original, currency: price.currency });
    }, readTheProduct),
    'PUT /v1/admin/products/{sku}/stock': write(async (event, signal) => {
      const sku = skuOf(event);
      const body = parse(stockBodySchema, jsonBody(event.body, event.isBase64Encoded), 'body');
      const expected = ifMatchVersion(event);
      const stock =
        'quantity' in body
          ? await writer.setStock(sku, body.quantity, expected, signal)
          : await writer.addStock(sku, body.delta, expected, signal);
      metrics.add('CatalogWrites', 1, { Kind: 'stock' });
      return written(sku, 'stock', stock.version, { quantity: stock.quantity });
    }, readTheProduct),
  });
}
