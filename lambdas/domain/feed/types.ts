/** One product in a feed page: a snapshot taken when the version was published. */
export interface FeedItem {
  sku: string;
  name: string;
  price: { amount: number; original: number; currency: string } | null;
  stock: { available: boolean };
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
  /** Page p of this version is at `pages/{p}` relative to the version folder. */
  pagePath: string;
}

export const FEED_RETENTION_MS = 24 * 60 * 60 * 1000;
