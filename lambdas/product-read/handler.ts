/**
 * Product read function: GET /v1/products/{sku}. Wiring only; see
 * lambdas/domain/product/product-detail.ts for the aggregation.
 */
import { DynamoCatalogReader } from '../adapters/dynamo-catalog.js';
import { systemClock } from '../domain/clock.js';
import { defaultProductDetailOptions, ProductDetailService } from '../domain/product/product-detail.js';
import { apiHandler } from '../http/api-handler.js';
import { productDetailRoute } from '../http/routes/product-detail.js';
import { cachedReadClient } from '../shared/dax-client.js';
import { intEnv, requireEnv } from '../shared/env.js';
import { createLogger } from '../shared/logger.js';

const logger = createLogger('product-read');
const options = {
  ...defaultProductDetailOptions,
  cacheTtlMs: {
    info: intEnv('L1_TTL_INFO_MS', defaultProductDetailOptions.cacheTtlMs.info),
    price: intEnv('L1_TTL_PRICE_MS', defaultProductDetailOptions.cacheTtlMs.price),
    stock: intEnv('L1_TTL_STOCK_MS', defaultProductDetailOptions.cacheTtlMs.stock),
  },
  cacheMaxEntries: intEnv('L1_MAX_ENTRIES', defaultProductDetailOptions.cacheMaxEntries),
};
const reader = new DynamoCatalogReader(cachedReadClient(), requireEnv('CATALOG_TABLE'));
const products = new ProductDetailService(reader, systemClock, options);

export const handler = apiHandler(
  productDetailRoute({ products, maxAgeSeconds: Math.max(1, Math.floor(options.cacheTtlMs.stock / 1000)) }),
  logger,
);
