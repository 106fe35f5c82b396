import { type CatalogWriter, type InfoFields, MAX_STOCK_QUANTITY, type PriceFields } from '../../lambdas/domain/catalog/ports.js';
import { ConflictError, NotFoundError, PreconditionFailedError } from '../../lambdas/domain/errors.js';
import type { FeedCatalog } from '../../lambdas/domain/feed/ports.js';
import type { CatalogProduct } from '../../lambdas/domain/feed/types.js';
import type { CatalogReader, ReadOptions } from '../../lambdas/domain/product/ports.js';
import type { Price, ProductInfo, SourceKind, Stock } from '../../lambdas/domain/product/types.js';

type Behaviour = { latencyMs?: number; fail?: boolean; hang?: boolean };

/**
 * The catalog in memory: a CatalogReader with per-source latency, failures and hangs (counting
 * every call), a CatalogWriter and a FeedCatalog over the same products. Held to the DynamoDB
 * adapters by the contracts in test/helpers/contracts/catalog.ts.
 */
export class FakeCatalog implements CatalogReader, CatalogWriter, FeedCatalog {
  readonly info = new Map<string, ProductInfo>();
  readonly prices = new Map<string, Price>();
  readonly stock = new Map<string, Stock>();
  readonly calls: Record<SourceKind, number> = { info: 0, price: 0, stock: 0 };
  /** Reads that asked for strong consistency, as `kind:sku`. */
  readonly consistentReads: string[] = [];
  readonly behaviour: Record<SourceKind, Behaviour> = { info: {}, price: {}, stock: {} };

  addProduct(sku: string, versions: { info?: number; price?: number; stock?: number; quantity?: number } = {}): this {
    this.info.set(sku, { sku, name: `Product ${sku}`, description: 'A product', version: versions.info ?? 1 });
    this.prices.set(sku, { sku, amount: 1999, original: 2499, currency: 'EUR', version: versions.price ?? 1 });
    this.stock.set(sku, { sku, quantity: versions.quantity ?? 10, version: versions.stock ?? 1 });
    return this;
  }

  // ---- CatalogReader

  getInfo(sku: string, signal?: AbortSignal, options?: ReadOptions) {
    if (options?.consistent) this.consistentReads.push(`info:${sku}`);
    return this.respond('info', () => copy(this.info.get(sku)), signal);
  }
  getPrice(sku: string, signal?: AbortSignal, options?: ReadOptions) {
    if (options?.consistent) this.consistentReads.push(`price:${sku}`);
    return this.respond('price', () => copy(this.prices.get(sku)), signal);
  }
  getStock(sku: string, signal?: AbortSignal, options?: ReadOptions) {
    if (options?.consistent) this.consistentReads.push(`stock:${sku}`);
    return this.respond('stock', () => copy(this.stock.get(sku)), signal);
  }

  // ---- CatalogWriter

  async putInfo(sku: string, fields: InfoFields, expectedVersion?: number) {
    const next = {
      ...withoutUndefined(fields),
      sku,
      description: fields.description ?? '',
      version: this.nextVersion(this.info.get(sku), expectedVersion),
    };
    this.info.set(sku, next as ProductInfo);
    return { ...next } as ProductInfo;
  }
  async setPrice(sku: string, fields: PriceFields, expectedVersion?: number) {
    this.requireProduct(sku);
    const next: Price = { sku, ...fields, version: this.nextVersion(this.prices.get(sku), expectedVersion) };
    this.prices.set(sku, next);
    return { ...next };
  }
  async setStock(sku: string, quantity: number, expectedVersion?: number) {
    this.requireProduct(sku);
    const next: Stock = { sku, quantity, version: this.nextVersion(this.stock.get(sku), expectedVersion) };
    this.stock.set(sku, next);
    return { ...next };
  }
  async addStock(sku: string, delta: number, expectedVersion?: number) {
    this.requireProduct(sku);
    const current = this.stock.get(sku);
    const version = this.nextVersion(current, expectedVersion);
    const quantity = current?.quantity ?? 0;
    if (quantity + delta < 0) throw new ConflictError('STOCK_WOULD_GO_NEGATIVE', `Stock is ${quantity}`);
    if (quantity + delta > MAX_STOCK_QUANTITY) {
      throw new ConflictError('STOCK_WOULD_EXCEED_MAXIMUM', `Stock is ${quantity}`, { quantity, maximum: MAX_STOCK_QUANTITY });
    }
    const next: Stock = { sku, quantity: quantity + delta, version };
    this.stock.set(sku, next);
    return { ...next };
  }

  // ---- FeedCatalog

  async products(): Promise<CatalogProduct[]> {
    return [...this.info.keys()].map((sku) => this.product(sku));
  }
  async productsBySku(skus: readonly string[]): Promise<CatalogProduct[]> {
    return skus.filter((sku) => this.info.has(sku)).map((sku) => this.product(sku));
  }

  private product(sku: string): CatalogProduct {
    return { info: copy(this.info.get(sku)) as ProductInfo, price: copy(this.prices.get(sku)), stock: copy(this.stock.get(sku)) };
  }

  private nextVersion(current: { version: number } | undefined, expected: number | undefined): number {
    if (expected !== undefined && current?.version !== expected) {
      throw new PreconditionFailedError(`If-Match version ${expected} does not match the current version`, {
        expected,
        current: current?.version ?? null,
      });
    }
    return (current?.version ?? 0) + 1;
  }

  private requireProduct(sku: string): void {
    if (!this.info.has(sku)) throw new NotFoundError(`No product with SKU ${sku}`, 'PRODUCT_NOT_FOUND');
  }

  private respond<T>(kind: SourceKind, value: () => T, signal?: AbortSignal): Promise<T> {
    this.calls[kind] += 1;
    const { latencyMs = 0, fail = false, hang = false } = this.behaviour[kind];
    return new Promise<T>((resolve, reject) => {
      if (hang) {
        signal?.addEventListener('abort', () => reject(new Error(`${kind} aborted`)));
        return;
      }
      const settle = () => (fail ? reject(new Error(`${kind} failed`)) : resolve(value()));
      if (latencyMs > 0) setTimeout(settle, latencyMs);
      else queueMicrotask(settle);
    });
  }
}

const copy = <T extends object>(value: T | undefined): T | null => (value ? { ...value } : null);
const withoutUndefined = <T extends object>(value: T) => Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));
