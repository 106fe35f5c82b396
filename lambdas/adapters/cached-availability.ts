import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { L1Cache } from '../domain/cache.js';
import type { Clock } from '../domain/clock.js';
import type { Availability, AvailabilityView } from '../domain/deductions/ports.js';
import { productKey, soldOutFlagFromItem, soldOutFlagKey, stockFromItem } from './catalog-items.js';

/**
 * The sold-out fast path: the SOLDOUT flag the catalog stream processor sets and clears as stock
 * crosses zero, behind a 1 s single-flight L1 cache, so a container reads a hot SKU at most about
 * once a second however hard it is hit. Before a SKU has a flag (new, or the stream has not caught
 * up) the stock item answers instead, which is also how an unknown SKU is recognised.
 * Advisory only: the consumer decides authoritatively.
 *
 * Its reads take no request signal: a load is shared by every request waiting on that SKU, so
 * one request's deadline must not abort it (the SDK request timeout bounds it instead).
 */
export class CachedAvailability implements AvailabilityView {
  private readonly cache: L1Cache<'availability', { value: Availability }>;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    clock: Clock,
    ttlMs = 1_000,
  ) {
    this.cache = new L1Cache({ maxEntries: 10_000, ttlMs: { availability: ttlMs }, negativeTtlMs: ttlMs, clock });
  }

  async availability(sku: string): Promise<Availability> {
    const entry = await this.cache.getOrLoad('availability', sku, async () => ({ value: await this.load(sku) }));
    return entry?.value ?? 'unknown';
  }

  private async load(sku: string): Promise<Availability> {
    const flag = soldOutFlagFromItem(
      (await this.client.send(new GetCommand({ TableName: this.tableName, Key: soldOutFlagKey(sku) }))).Item,
    );
    if (flag) return flag.soldOut ? 'sold-out' : 'available';
    const stock = (await this.client.send(new GetCommand({ TableName: this.tableName, Key: productKey(sku, 'stock') }))).Item;
    if (!stock) return 'unknown';
    return stockFromItem(stock).quantity > 0 ? 'available' : 'sold-out';
  }
}
