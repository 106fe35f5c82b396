import type { FeedVersion } from '../domain/feed/types.js';

/**
 * The feeds table's item shapes (docs/data-model.md), in one place. `expiresAt` in epoch seconds
 * is the TTL attribute:
 *   version    pk = FEED#<feedId>               sk = V#<publishAt, 15 digits>
 *   page       pk = FEED#<feedId>#V#<version>   sk = P#<page, 5 digits>   body = page JSON
 *   settings   pk = FEED#<feedId>               sk = SETTINGS   (degraded, staticCurrent)
 *   feed index pk = FEEDS                       sk = <feedId>   (for the scheduler)
 */
export type FeedTableItem = Record<string, unknown>;

const feedPk = (feedId: string) => `FEED#${feedId}`;
const versionSk = (version: number) => `V#${String(version).padStart(15, '0')}`;
/** The TTL attribute's value (epoch seconds) for an expiry in epoch ms. */
export const expiresAtAttribute = (ms: number) => Math.floor(ms / 1000);

export const versionKey = (feedId: string, version: number) => ({ pk: feedPk(feedId), sk: versionSk(version) });
export const pageKey = (feedId: string, version: number, page: number) => ({
  pk: `${feedPk(feedId)}#V#${version}`,
  sk: `P#${String(page).padStart(5, '0')}`,
});
export const settingsKey = (feedId: string) => ({ pk: feedPk(feedId), sk: 'SETTINGS' });
export const FEED_INDEX_PK = 'FEEDS';
export const feedIndexKey = (feedId: string) => ({ pk: FEED_INDEX_PK, sk: feedId });

/** The key condition of a Query for versions published in [from, to], on a feed's partition. */
export const versionRange = (feedId: string, from: number, to: number) => ({
  KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
  ExpressionAttributeValues: { ':pk': feedPk(feedId), ':from': versionSk(from), ':to': versionSk(to) },
});

export function versionItem(v: FeedVersion): FeedTableItem {
  return { ...versionKey(v.feedId, v.version), type: 'FEED_VERSION', ...v, expiresAt: expiresAtAttribute(v.expiresAt) };
}

export function versionFromItem(item: FeedTableItem): FeedVersion {
  return {
    feedId: String(item.feedId),
    version: Number(item.version),
    publishAt: Number(item.publishAt),
    pageSize: Number(item.pageSize),
    totalPages: Number(item.totalPages),
    totalItems: Number(item.totalItems),
    complete: item.complete === true,
    expiresAt: Number(item.expiresAt) * 1000,
    ...(item.superseded === true ? { superseded: true } : {}),
  };
}

export const pageItem = (feedId: string, version: number, page: number, body: string, expiresAt: number): FeedTableItem => ({
  ...pageKey(feedId, version, page),
  body,
  expiresAt: expiresAtAttribute(expiresAt),
});

export const pageBodyOf = (item: FeedTableItem | undefined): string | null => (typeof item?.body === 'string' ? item.body : null);

export interface FeedSettings {
  degraded: boolean;
  staticCurrent: number | null;
}

export function settingsFromItem(item: FeedTableItem | undefined): FeedSettings {
  return { degraded: item?.degraded === true, staticCurrent: typeof item?.staticCurrent === 'number' ? item.staticCurrent : null };
}
