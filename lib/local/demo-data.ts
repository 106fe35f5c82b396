import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { infoItem, priceItem, stockItem } from '../../lambdas/adapters/catalog-items.js';
import { batchPutAll } from '../../lambdas/adapters/dynamo-batch.js';
import type { Price, ProductInfo, Stock } from '../../lambdas/domain/product/types.js';
import { proxyEvent } from './api-gateway/proxy-event.js';
import { RouteTable } from './api-gateway/route-table.js';
import type { Integrations } from './api-gateway/server.js';
import type { Route } from './stack-description.js';

export const DEMO_SKU = 'DEMO-0001';
export const FLASH_SKU = 'FLASH-0001';
export const DEMO_FEED = 'todays-picks';

const ADJECTIVES = ['Aurora', 'Summit', 'Coastal', 'Urban', 'Nordic', 'Velvet', 'Ember', 'Lunar', 'Cedar', 'Solar', 'Harbor', 'Alpine'];
const NOUNS = [
  'Backpack',
  'Headphones',
  'Sneakers',
  'Water Bottle',
  'Desk Lamp',
  'Rain Jacket',
  'Smartwatch',
  'Coffee Grinder',
  'Yoga Mat',
  'Speaker',
];

/** mulberry32: a tiny seeded PRNG, so the demo catalog is the same on every machine. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface DemoProduct {
  info: ProductInfo;
  price: Price;
  stock: Stock;
}

/** `count` deterministic demo products DEMO-0001…; every tenth one is sold out. */
export function demoCatalog(count = 1000, seed = 42): DemoProduct[] {
  const rand = prng(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(rand() * list.length)] as T;
  return Array.from({ length: count }, (_, i) => {
    const sku = `DEMO-${String(i + 1).padStart(4, '0')}`;
    const amount = 499 + Math.floor(rand() * 195) * 100;
    const discounted = rand() < 0.3;
    return {
      info: {
        sku,
        name: `${pick(ADJECTIVES)} ${pick(NOUNS)}`,
        description: `Demo product ${i + 1} of the Crest sample catalog.`,
        version: 1,
        sales: Math.floor(rand() * 10_000),
        exposure: Math.floor(rand() * 100_000),
        clicks: Math.floor(rand() * 20_000),
      },
      price: { sku, amount, original: discounted ? Math.round(amount * 1.25) : amount, currency: 'USD', version: 1 },
      stock: { sku, quantity: (i + 1) % 10 === 0 ? 0 : Math.floor(rand() * 500) + 1, version: 1 },
    };
  });
}

/** The flash-sale demo product: 1,000 units at a steep discount. */
export function flashSaleProduct(units = 1000, sku = FLASH_SKU): DemoProduct {
  return {
    info: {
      sku,
      name: 'Flash Sale Sneakers',
      description: 'Limited drop: one pair per customer.',
      version: 1,
      sales: 0,
      exposure: 0,
      clicks: 0,
    },
    price: { sku, amount: 4999, original: 12999, currency: 'USD', version: 1 },
    stock: { sku, quantity: units, version: 1 },
  };
}

/** Writes products with BatchWriteItem (25 items a call), retrying unprocessed items. */
export async function seedCatalog(
  client: DynamoDBDocumentClient,
  tableName: string,
  products: DemoProduct[],
  now = Date.now(),
): Promise<number> {
  const items = products.flatMap((p) => [infoItem(p.info, now), priceItem(p.price, now), stockItem(p.stock, now)]);
  await batchPutAll(client, tableName, items, 8);
  return items.length;
}

/** The back-office user the local runtime publishes the demo feed as. */
export const DEMO_PUBLISHER = { username: 'crest-demo-publisher', groups: ['admins'] } as const;

/**
 * Publishes the demo feed by invoking the function behind `POST /v1/admin/feeds/{feedId}/versions`
 * with the event API Gateway would send it (so it needs no HTTP port), as an admin whose verified
 * claims `claimsOf` gives: one version now (current) and one scheduled five minutes ahead, so
 * `npm start` shows both the current list and an upcoming drop.
 */
export async function seedDemoFeed(
  routes: readonly Route[],
  functions: Integrations,
  claimsOf: (route: Route) => Promise<Record<string, string>>,
  now = Date.now(),
): Promise<{ now: number; scheduled: number }> {
  const path = `/v1/admin/feeds/${DEMO_FEED}/versions`;
  const match = new RouteTable(routes).match('POST', path);
  if (!match) throw new Error(`The stack has no POST ${path}`);
  const authorizerClaims = await claimsOf(match.route);
  const publish = async (body: object) => {
    const event = proxyEvent({
      method: 'POST',
      resource: match.route.resourcePath,
      path,
      pathParameters: match.pathParameters,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      authorizerClaims,
    });
    const result = (await functions.get(match.route.functionLogicalId).invoke(event)) as APIGatewayProxyResult;
    if (result.statusCode !== 201) throw new Error(`demo feed publish failed: ${result.statusCode} ${result.body}`);
    return (JSON.parse(result.body) as { version: number }).version;
  };
  const current = await publish({ publishAt: new Date(now).toISOString() });
  const upcoming = Array.from({ length: 45 }, (_, i) => `DEMO-${String(999 - i).padStart(4, '0')}`);
  const scheduled = await publish({ publishAt: new Date(now + 5 * 60_000).toISOString(), skus: upcoming });
  return { now: current, scheduled };
}
