import { type ProductDetailService, productEtag, seenVersionsFromEtag } from '../../domain/product/product-detail.js';
import { etagMatches, header, json, notModified } from '../response.js';
import { type Routes, read } from '../router.js';
import { parse, skuSchema } from '../validation.js';

export interface ProductDetailRouteDeps {
  products: ProductDetailService;
  /** max-age for a complete answer: the shortest L1 TTL (stock), in seconds. */
  maxAgeSeconds: number;
}

/**
 * GET /v1/products/{sku}
 *
 * `If-None-Match` doubles as the client's "versions I have seen": a container whose L1 holds
 * older versions re-reads them, so a client never sees a product go back in time.
 *
 * The request's deadline signal is not passed down: every source read has its own timeout (far
 * inside the deadline) and its own signal, and a load is shared by every request waiting on it.
 */
export function productDetailRoutes({ products, maxAgeSeconds }: ProductDetailRouteDeps): Routes {
  return {
    'GET /v1/products/{sku}': read(async (event) => {
      const sku = parse(skuSchema, event.pathParameters?.sku, 'path.sku');
      const ifNoneMatch = header(event.headers, 'if-none-match');
      const detail = await products.get(sku, seenVersionsFromEtag(ifNoneMatch));
      const etag = productEtag(detail);
      const complete = detail.degraded.length === 0;
      const headers = {
        etag,
        // Degraded answers must not be cached anywhere: the next request may be whole again.
        'cache-control': complete ? `public, max-age=${maxAgeSeconds}` : 'no-store',
      };
      if (complete && etagMatches(ifNoneMatch, etag)) return notModified(headers);
      return json(200, detail, headers);
    }),
  };
}
