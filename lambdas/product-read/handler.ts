/**
 * Product read function: GET /v1/products/{sku}. Wiring only; see
 * lambdas/domain/product/product-detail.ts for the aggregation.
 */
import { DynamoCatalogReader } from '../adapters/dynamo-catalog.js';
import { systemClock } from '../domain/clock.js';
import { defaultProductDetailOptions, ProductDetailService } from '../domain/product/product-detail.js';
import { apiHandler } from '../http/api-handler.js';
import { productDetailRoutes } from '../http/routes/product-detail.js';
import { cachedReadClient } from '../shared/dax-client.js';
import { intEnv, requireEnv } from '../shared/env.js';
import { createTelemetry } from '../shared/telemetry.js';

const { logger, metrics } = createTelemetry('product-read');
const defaults = defaultProductDetailOptions;
const options = {
  ...defaults,
  timeoutMs: {
    info: intEnv('READ_TIMEOUT_INFO_MS', defaults.timeoutMs.info),
    price: intEnv('READ_TIMEOUT_PRICE_MS', defaults.timeoutMs.price),
    stock: intEnv('READ_TIMEOUT_STOCK_MS', defaults.timeoutMs.stock),
  },
  cacheTtlMs: {
    info: intEnv('L1_TTL_INFO_MS', defaults.cacheTtlMs.info),
    price: intEnv('L1_TTL_PRICE_MS', defaults.cacheTtlMs.price),
    stock: intEnv('L1_TTL_STOCK_MS', defaults.cacheTtlMs.stock),
  },
  cacheMaxEntries: intEnv('L1_MAX_ENTRIES', defaults.cacheMaxEntries),
};
const reader = new DynamoCatalogReader(cachedReadClient(), requireEnv('CATALOG_TABLE'));
const products = new ProductDetailService(reader, systemClock, options, metrics);

export const handler = apiHandler(
  productDetailRoutes({ products, maxAgeSeconds: Math.max(1, Math.floor(options.cacheTtlMs.stock / 1000)) }),
  logger,
  metrics,
);
