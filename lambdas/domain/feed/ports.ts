import type { CurrentPointer, FeedItem, FeedVersion } from './types.js';

export interface FeedStore {
  /**
   * Claims a version (stored with `complete: false`, which readers skip); false if one with the
   * same publish time exists. Versions are immutable: nothing is written for a refused claim.
   */
  claim(version: FeedVersion): Promise<boolean>;
  /** Writes page bodies (JSON strings) of a claimed version. */
  putPages(feedId: string, version: number, pages: string[], expiresAt: number): Promise<void>;
  /** Makes a claimed version visible, once all its pages are written. */
  markComplete(feedId: string, version: number): Promise<void>;
  getVersion(feedId: string, version: number): Promise<FeedVersion | null>;
  /** Versions with publishAt ≤ `upTo`, newest first. */
  versionsUpTo(feedId: string, upTo: number, limit: number): Promise<FeedVersion[]>;
  /** The stored page body, or null when missing. */
  getPage(feedId: string, version: number, page: number): Promise<string | null>;
  /** Moves the expiry of a version and all its pages (keeps the current version alive). */
  extend(version: FeedVersion, expiresAt: number): Promise<void>;
  feedIds(): Promise<string[]>;
  /** The degrade switch: configuration read at runtime, not a deploy. */
  isDegraded(feedId: string): Promise<boolean>;
  setDegraded(feedId: string, degraded: boolean): Promise<void>;
  /** What version the static current.json points at (to skip rewriting it). */
  staticCurrent(feedId: string): Promise<number | null>;
  setStaticCurrent(feedId: string, version: number): Promise<void>;
}

export interface StaticCopies {
  putPage(feedId: string, version: number, page: number, body: string): Promise<void>;
  putCurrent(feedId: string, pointer: CurrentPointer): Promise<void>;
  /** Public URLs clients use in degraded mode. */
  currentUrl(feedId: string): string;
  pageUrl(feedId: string, version: number, page: number): string;
}

/** Products for a feed, as snapshots: ranked from the catalog, or exactly the SKUs given. */
export interface FeedCatalog {
  /** The top `limit` products by score (see docs/feeds.md). */
  ranked(limit: number): Promise<FeedItem[]>;
  /** Snapshots of `skus` in order; `missing` lists SKUs with no product. */
  snapshot(skus: string[]): Promise<{ items: FeedItem[]; missing: string[] }>;
}
