import type { CatalogReader, ReadOptions } from '../../lambdas/domain/product/ports.js';
import type { Price, ProductInfo, SourceKind, Stock } from '../../lambdas/domain/product/types.js';

type Behaviour = { latencyMs?: number; fail?: boolean; hang?: boolean };

/** In-memory CatalogReader with per-source latency, failures and hangs, counting every call. */
export class FakeCatalog implements CatalogReader {
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

  getInfo(sku: string, signal?: AbortSignal, options?: ReadOptions) {
    if (options?.consistent) this.consistentReads.push(`info:${sku}`);
    return this.respond('info', () => this.info.get(sku) ?? null, signal);
  }
  getPrice(sku: string, signal?: AbortSignal, options?: ReadOptions) {
    if (options?.consistent) this.consistentReads.push(`price:${sku}`);
    return this.respond('price', () => this.prices.get(sku) ?? null, signal);
  }
  getStock(sku: string, signal?: AbortSignal, options?: ReadOptions) {
    if (options?.consistent) this.consistentReads.push(`stock:${sku}`);
    return this.respond('stock', () => this.stock.get(sku) ?? null, signal);
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
