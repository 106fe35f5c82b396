import type { CatalogProduct, CurrentPointer, FeedVersion } from './types.js';

/**
 * Versions, pages and settings of feeds. `signal` (on the publish path) aborts a call still in
 * flight when the request's deadline passes.
 */
export interface FeedStore {
  /**
   * Claims a version (stored with `complete: false`, which readers skip); false if one with the
   * same publish time exists. Versions are immutable: nothing is written for a refused claim.
   */
  claim(version: FeedVersion, signal?: AbortSignal): Promise<boolean>;
  /** Writes page bodies (JSON strings) of a claimed version. */
  putPages(feedId: string, version: number, pages: string[], expiresAt: number, signal?: AbortSignal): Promise<void>;
  /** Makes a claimed version visible, once all its pages are written. */
  markComplete(feedId: string, version: number, signal?: AbortSignal): Promise<void>;
  getVersion(feedId: string, version: number): Promise<FeedVersion | null>;
  /** Versions with publishAt ≤ `upTo`, newest first. */
  versionsUpTo(feedId: string, upTo: number, limit: number): Promise<FeedVersion[]>;
  /** The stored page body, or null when missing. */
  getPage(feedId: string, version: number, page: number, signal?: AbortSignal): Promise<string | null>;
  /** Moves the expiry of a version and all its pages (keeps the current version alive). */
  extend(version: FeedVersion, expiresAt: number): Promise<void>;
  /** Versions published before `before` (complete or not) whose static copies are not marked superseded. */
  unsupersededBefore(feedId: string, before: number): Promise<FeedVersion[]>;
  /** Records whether a version's static copies are marked for expiry. */
  markSuperseded(feedId: string, version: number, superseded: boolean): Promise<void>;
  feedIds(): Promise<string[]>;
  /** The degrade switch: configuration read at runtime, not a deploy. */
  isDegraded(feedId: string): Promise<boolean>;
  setDegraded(feedId: string, degraded: boolean, signal?: AbortSignal): Promise<void>;
  /** What version the static current.json points at (to skip rewriting it). */
  staticCurrent(feedId: string, signal?: AbortSignal): Promise<number | null>;
  setStaticCurrent(feedId: string, version: number, signal?: AbortSignal): Promise<void>;
}

/** The static copies clients fall back to (S3 behind a CDN), laid out as static-paths.ts says. */
export interface StaticCopies {
  putPage(feedId: string, version: number, page: number, body: string, signal?: AbortSignal): Promise<void>;
  putCurrent(feedId: string, pointer: CurrentPointer, signal?: AbortSignal): Promise<void>;
  /**
   * Marks a version's pages for expiry (superseded) or keeps them (not superseded). current.json
   * is never marked: it lives as long as the feed.
   */
  setSuperseded(version: FeedVersion, superseded: boolean): Promise<void>;
}

/** Products for a feed: the whole catalog to rank, or the SKUs given. */
export interface FeedCatalog {
  /** Every product that has info, with its price and stock. */
  products(signal?: AbortSignal): Promise<CatalogProduct[]>;
  /** The products among `skus` that exist, in any order. */
  productsBySku(skus: readonly string[], signal?: AbortSignal): Promise<CatalogProduct[]>;
}
