import { PutObjectCommand, PutObjectTaggingCommand, type S3Client } from '@aws-sdk/client-s3';
import type { StaticCopies } from '../domain/feed/ports.js';
import { SUPERSEDED_TAG_KEY, staticCurrentPath, staticPagePath } from '../domain/feed/static-paths.js';
import type { CurrentPointer, FeedVersion } from '../domain/feed/types.js';

export interface S3StaticCopiesOptions {
  /**
   * Mark superseded pages with object tags. Off only on the local runtime, whose S3 emulator
   * (fauxqs) has no object tagging and would store a tagging request's body as the object.
   */
  tagging: boolean;
}

/**
 * Static copies of published feeds in S3 (served by CloudFront in AWS), for degraded mode. Pages
 * of a superseded version carry the SUPERSEDED_TAG_KEY tag, which the bucket's lifecycle rule
 * expires on; nothing else expires, so the current version and current.json live as long as needed.
 */
export class S3StaticCopies implements StaticCopies {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
    private readonly options: S3StaticCopiesOptions = { tagging: true },
  ) {}

  async putPage(feedId: string, version: number, page: number, body: string, signal?: AbortSignal): Promise<void> {
    await this.put(staticPagePath(feedId, version, page), body, 'public, max-age=86400, immutable', signal);
  }

  async putCurrent(feedId: string, pointer: CurrentPointer, signal?: AbortSignal): Promise<void> {
    await this.put(staticCurrentPath(feedId), JSON.stringify(pointer), 'public, max-age=30', signal);
  }

  async setSuperseded(version: FeedVersion, superseded: boolean): Promise<void> {
    if (!this.options.tagging) return;
    const pages = Array.from({ length: version.totalPages }, (_, i) => i + 1);
    await Promise.all(
      pages.map(async (page) => {
        try {
          await this.client.send(
            new PutObjectTaggingCommand({
              Bucket: this.bucket,
              Key: staticPagePath(version.feedId, version.version, page),
              Tagging: { TagSet: [{ Key: SUPERSEDED_TAG_KEY, Value: String(superseded) }] },
            }),
          );
        } catch (error) {
          // A publish that failed midway may not have written every page.
          if ((error as Error).name !== 'NoSuchKey') throw error;
        }
      }),
    );
  }

  private async put(key: string, body: string, cacheControl: string, signal?: AbortSignal): Promise<void> {
    await this.client.send(
      new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentType: 'application/json', CacheControl: cacheControl }),
      { abortSignal: signal },
    );
  }
}
