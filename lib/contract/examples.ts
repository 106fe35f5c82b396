import { deductionIds } from '../../lambdas/domain/deductions/id.js';
import { DEMO_FEED, DEMO_SKU, demoCatalog, FLASH_SKU, flashSaleProduct } from '../local/demo-data.js';

/**
 * Examples for the document, taken from the demo data `npm start` seeds (lib/local/demo-data.ts),
 * so that what the reference shows is what a local call answers. Keyed by the schema's name in
 * `components.schemas`; test/unit/contract/openapi.test.ts holds each to its schema.
 */
const [first, second] = demoCatalog(2);
const flash = flashSaleProduct();
const demoProduct = first ?? flash;
const publishAt = '2026-01-01T10:00:00.000Z';
const version = Date.parse(publishAt);
const deductionId = deductionIds('an-example-secret-of-32-characters!')('example-sub', '6f1c2a9e-demo-0001');

const feedItem = (p: typeof flash) => ({
  sku: p.info.sku,
  name: p.info.name,
  price: { amount: p.price.amount, original: p.price.original, currency: p.price.currency },
  stock: { available: p.stock.quantity > 0 },
});

export const EXAMPLE_PARAMETERS: Record<string, unknown> = {
  sku: DEMO_SKU,
  id: deductionId,
  feedId: DEMO_FEED,
  page: 1,
  version,
  'Idempotency-Key': '6f1c2a9e-demo-0001',
  'If-None-Match': '"1.1.1"',
  'If-Match': '"1"',
};

export const EXAMPLES: Record<string, unknown> = {
  ProductDetail: {
    sku: demoProduct.info.sku,
    name: demoProduct.info.name,
    description: demoProduct.info.description,
    price: { amount: demoProduct.price.amount, original: demoProduct.price.original, currency: demoProduct.price.currency },
    stock: { available: demoProduct.stock.quantity > 0, quantity: demoProduct.stock.quantity },
    versions: { info: 1, price: 1, stock: 1 },
    degraded: [],
  },
  DeductionRequest: { quantity: 1 },
  DeductionAccepted: { id: deductionId, status: 'QUEUED', statusUrl: `/v1/deductions/${deductionId}` },
  Deduction: {
    id: deductionId,
    sku: FLASH_SKU,
    quantity: 1,
    status: 'HELD',
    createdAt: '2026-01-01T10:00:00.120Z',
    decidedAt: '2026-01-01T10:00:01.480Z',
    expiresAt: '2026-01-01T10:10:01.480Z',
  },
  FeedPage: {
    feedId: DEMO_FEED,
    version,
    page: 1,
    pageSize: 20,
    totalPages: 10,
    items: [first, second].filter((p) => p !== undefined).map(feedItem),
    hasMore: true,
  },
  ProductInfoRequest: { name: demoProduct.info.name, description: demoProduct.info.description },
  InfoWritten: { sku: DEMO_SKU, kind: 'info', name: demoProduct.info.name, description: demoProduct.info.description, version: 2 },
  PriceRequest: { amount: 1299, currency: 'EUR' },
  PriceWritten: { sku: DEMO_SKU, kind: 'price', amount: 1299, original: 1299, currency: 'EUR', version: 2 },
  StockRequest: { delta: 50 },
  StockWritten: { sku: DEMO_SKU, kind: 'stock', quantity: demoProduct.stock.quantity + 50, version: 2 },
  PublishRequest: { publishAt, skus: [DEMO_SKU, second?.info.sku ?? FLASH_SKU] },
  PublishedVersion: { feedId: DEMO_FEED, version, publishAt, totalPages: 1, totalItems: 2 },
  DegradeRequest: { degraded: true },
  DegradeSwitch: {
    feedId: DEMO_FEED,
    degraded: true,
    static: { current: `https://d111111abcdef8.cloudfront.net/feeds/${DEMO_FEED}/current.json` },
  },
  ShallowHealth: { status: 'ok' },
  HealthReport: {
    status: 'ok',
    checkedAt: '2026-01-01T10:00:00.000Z',
    dependencies: [
      { name: 'catalog', kind: 'table', status: 'ok', latencyMs: 4 },
      { name: 'deductions', kind: 'queue', status: 'ok', latencyMs: 6, detail: { visible: 0, inFlight: 0, delayed: 0 } },
      {
        name: 'catalog-stream',
        kind: 'stream',
        status: 'ok',
        latencyMs: 3,
        detail: { lagMs: 180, lastBatchAt: '2026-01-01T09:59:59.000Z' },
      },
    ],
  },
};
