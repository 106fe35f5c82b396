import type { Price, ProductInfo, Stock } from './types.js';

export interface ReadOptions {
  /**
   * Read the newest committed value (DynamoDB strongly consistent read; DAX passes such reads
   * through to the table instead of answering from its cache).
   */
  consistent?: boolean;
}

/**
 * Reads catalog data. The DynamoDB/DAX adapter is one implementation; unit tests use an
 * in-memory one with injectable latency and failures. `signal` aborts the underlying request.
 */
export interface CatalogReader {
  getInfo(sku: string, signal?: AbortSignal, options?: ReadOptions): Promise<ProductInfo | null>;
  getPrice(sku: string, signal?: AbortSignal, options?: ReadOptions): Promise<Price | null>;
  getStock(sku: string, signal?: AbortSignal, options?: ReadOptions): Promise<Stock | null>;
}
