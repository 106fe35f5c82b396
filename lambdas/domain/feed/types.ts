import type { Price, ProductInfo, Stock } from '../product/types.js';

/** One product in a feed page: a snapshot taken when the version was published. */
export interface FeedItem {
  sku: string;
  name: string;
  price: { amount: number; original: number; currency: string } | null;
  stock: { available: boolean };
}

/** A product as the feed's catalog port returns it: its info, and its price and stock if any. */
export interface CatalogProduct {
  info: ProductInfo;
  price: Price | null;
  stock: Stock | null;
}

/** A published version of a feed. `version` is its publish time in epoch milliseconds. */
export interface FeedVersion {
  feedId: string;
  version: number;
  publishAt: number;
  pageSize: number;
  totalPages: number;
  totalItems: number;
  /** False from the claim until all its pages are written: readers skip it. */
  complete: boolean;
  /** Epoch ms after which the version is pruned (unless it is the current one). */
  expiresAt: number;
  /** True once its static copies are marked for expiry (it stopped being current and was pruned). */
  superseded?: boolean;
}

/** The page contract served by GET /v1/feeds/{feedId} and stored as the static copy. */
export interface FeedPage {
  feedId: string;
  version: number;
  page: number;
  pageSize: number;
  totalPages: number;
  items: FeedItem[];
  hasMore: boolean;
}

/** The static pointer clients read in degraded mode: feeds/{feedId}/current.json. */
export interface CurrentPointer {
  feedId: string;
  version: number;
  publishAt: string;
  pageSize: number;
  totalPages: number;
  totalItems: number;
  /**
   * Where this version's pages are, relative to the static base URL, with `{page}` standing for
   * the page number: `feeds/{feedId}/{version}/{page}.json` (see static-paths.ts).
   */
  pagePath: string;
}

export const FEED_RETENTION_MS = 24 * 60 * 60 * 1000;

export interface FeedOptions {
  pageSize: number;
  maxItems: number;
  /** How far back from the newest version a fallback may reach. */
  lookbackMs: number;
  /** L1 TTL of the current-version pointer. */
  pointerTtlMs: number;
  /** Bound on cached pages (pages are immutable, so only memory limits them). */
  maxCachedPages: number;
}

export const defaultFeedOptions: FeedOptions = {
  pageSize: 20,
  maxItems: 200,
  lookbackMs: 60 * 60 * 1000,
  pointerTtlMs: 1_000,
  maxCachedPages: 5_000,
};
