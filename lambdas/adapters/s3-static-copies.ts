import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { StaticCopies } from '../domain/feed/ports.js';
import type { CurrentPointer } from '../domain/feed/types.js';

/**
 * Static copies of published feeds in S3 (served by CloudFront in AWS), for degraded mode:
 *   feeds/{feedId}/{version}/{page}.json   immutable page bodies, byte for byte the API's
 *   feeds/{feedId}/current.json            the pointer, rewritten when the current version changes
 */
/** Where static copies are served from: enough for functions that only point clients at them. */
export class StaticCopyUrls {
  constructor(private readonly publicBaseUrl: string) {}

  currentUrl(feedId: string): string {
    return `${this.publicBaseUrl}/feeds/${feedId}/current.json`;
  }

  pageUrl(feedId: string, version: number, page: number): string {
    return `${this.publicBaseUrl}/feeds/${feedId}/${version}/${page}.json`;
  }
}

export class S3StaticCopies extends StaticCopyUrls implements StaticCopies {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
    publicBaseUrl: string,
  ) {
    super(publicBaseUrl);
  }

  async putPage(feedId: string, version: number, page: number, body: string): Promise<void> {
    await this.put(`feeds/${feedId}/${version}/${page}.json`, body, 'public, max-age=86400, immutable');
  }

  async putCurrent(feedId: string, pointer: CurrentPointer): Promise<void> {
    await this.put(`feeds/${feedId}/current.json`, JSON.stringify(pointer), 'public, max-age=30');
  }

  private async put(key: string, body: string, cacheControl: string): Promise<void> {
    await this.client.send(
      new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentType: 'application/json', CacheControl: cacheControl }),
    );
  }
}
