/**
 * Where a feed's static copies live, relative to the static base URL (the CDN in AWS) and as S3
 * keys: the one definition of the layout, part of the degraded-mode client contract.
 *
 *   feeds/{feedId}/current.json            the pointer to the current version
 *   feeds/{feedId}/{version}/{page}.json   immutable page bodies, byte for byte the API's
 */
export const staticCurrentPath = (feedId: string) => `feeds/${feedId}/current.json`;

export const staticPagePath = (feedId: string, version: number, page: number | '{page}') => `feeds/${feedId}/${version}/${page}.json`;

/**
 * The object tag (value `true`) that marks a superseded version's pages for expiry: the bucket's
 * lifecycle rule (lib/constructs/todays-picks.ts) filters on it, S3StaticCopies sets it.
 */
export const SUPERSEDED_TAG_KEY = 'superseded';

/** Public URLs of the static copies, for functions that point clients at them. */
export class StaticCopyUrls {
  constructor(private readonly publicBaseUrl: string) {}

  currentUrl(feedId: string): string {
    return `${this.publicBaseUrl}/${staticCurrentPath(feedId)}`;
  }

  pageUrl(feedId: string, version: number, page: number): string {
    return `${this.publicBaseUrl}/${staticPagePath(feedId, version, page)}`;
  }
}
