/** A SKU: 1–64 characters of [A-Za-z0-9_-] (the one definition, for requests and queue messages alike). */
export const SKU_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** Catalog data kinds. Each is written separately, by a different owner, with its own version. */
export type SourceKind = 'info' | 'price' | 'stock';

export interface ProductInfo {
  sku: string;
  name: string;
  description: string;
  /** Grows by one on every write; never reused. */
  version: number;
  /** Ranking signals for feeds (see docs/feeds.md). */
  sales?: number;
  exposure?: number;
  clicks?: number;
}

/** Money is integer minor units (cents) plus an ISO 4217 code: never floats. */
export interface Price {
  sku: string;
  amount: number;
  original: number;
  currency: string;
  version: number;
}

export interface Stock {
  sku: string;
  quantity: number;
  version: number;
}

export interface ProductVersions {
  info: number;
  price: number | null;
  stock: number | null;
}

/** The product detail contract served on GET /v1/products/{sku}. */
export interface ProductDetail {
  sku: string;
  name: string;
  description: string;
  price: { amount: number; original: number; currency: string } | null;
  stock: { available: boolean; quantity: number } | null;
  versions: ProductVersions;
  degraded: Array<Exclude<SourceKind, 'info'>>;
}
