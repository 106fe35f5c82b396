import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import * as z from 'zod/mini';
import type { Clock } from '../../domain/clock.js';
import { ValidationError } from '../../domain/errors.js';
import type { FeedService } from '../../domain/feed/feed-service.js';
import type { FeedCatalog, FeedStore, StaticCopies } from '../../domain/feed/ports.js';
import { json } from '../response.js';
import { jsonBody, parse, skuSchema } from '../validation.js';
import { feedIdSchema } from './feeds.js';

const MAX_FUTURE_MS = 30 * 24 * 60 * 60 * 1000;

const publishBody = z.object({
  publishAt: z.optional(z.iso.datetime({ offset: true })),
  skus: z.optional(z.array(skuSchema).check(z.minLength(1), z.maxLength(1000))),
});
const degradeBody = z.object({ degraded: z.boolean() });

export interface AdminFeedDeps {
  feeds: FeedService;
  store: FeedStore;
  catalog: FeedCatalog;
  statics: StaticCopies;
  clock: Clock;
}

export function adminFeedRoutes(deps: AdminFeedDeps) {
  return {
    /** POST /v1/admin/feeds/{feedId}/versions → 201 { version, publishAt, totalPages, totalItems } */
    'POST /v1/admin/feeds/{feedId}/versions': async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
      const feedId = parse(feedIdSchema, event.pathParameters?.feedId, 'path.feedId');
      const body = parse(publishBody, event.body ? jsonBody(event.body, event.isBase64Encoded) : {}, 'body');
      const publishAt = body.publishAt === undefined ? undefined : Date.parse(body.publishAt);
      if (publishAt !== undefined && publishAt > deps.clock.now() + MAX_FUTURE_MS) {
        throw new ValidationError('Invalid body', [{ path: 'body.publishAt', message: 'must be within 30 days' }]);
      }
      const version = await deps.feeds.publish(feedId, { publishAt, skus: body.skus }, deps);
      return json(
        201,
        {
          feedId,
          version: version.version,
          publishAt: new Date(version.publishAt).toISOString(),
          totalPages: version.totalPages,
          totalItems: version.totalItems,
        },
        { location: `/v1/feeds/${feedId}?page=1&version=${version.version}`, 'cache-control': 'no-store' },
      );
    },

    /** PUT /v1/admin/feeds/{feedId}/degrade { degraded } → point clients at the static copy (no deploy). */
    'PUT /v1/admin/feeds/{feedId}/degrade': async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
      const feedId = parse(feedIdSchema, event.pathParameters?.feedId, 'path.feedId');
      const { degraded } = parse(degradeBody, jsonBody(event.body, event.isBase64Encoded), 'body');
      await deps.store.setDegraded(feedId, degraded);
      return json(200, { feedId, degraded, static: { current: deps.statics.currentUrl(feedId) } }, { 'cache-control': 'no-store' });
    },
  };
}
