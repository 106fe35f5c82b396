import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import * as z from 'zod/mini';
import { DependencyError } from '../../domain/errors.js';
import type { FeedService } from '../../domain/feed/feed-service.js';
import type { StaticCopies } from '../../domain/feed/ports.js';

type StaticUrls = Pick<StaticCopies, 'currentUrl' | 'pageUrl'>;

import { header, notModified } from '../response.js';
import { parse } from '../validation.js';

export const feedIdSchema = z.string().check(z.regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'must be 1-64 characters of a-z, 0-9 and -'));
const query = z.object({
  page: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(10_000)), 1),
  version: z.optional(z.coerce.number().check(z.int(), z.minimum(0))),
});

export interface FeedRouteDeps {
  feeds: FeedService;
  /** The degrade switch (cached by the caller: it is read on every request). */
  isDegraded: (feedId: string) => Promise<boolean>;
  statics: StaticUrls;
  /** max-age of unpinned pages (the current version may change). */
  currentMaxAgeSeconds: number;
}

/**
 * GET /v1/feeds/{feedId}?page=N[&version=V]
 *
 * Pinned pages (`version` given) never change: `Cache-Control: public, max-age=86400, immutable`.
 * Unpinned pages follow the current version: short max-age, ETag = the version, so a
 * pull-to-refresh with If-None-Match is a 304 that reads no page at all.
 */
export function feedRoutes(deps: FeedRouteDeps) {
  return {
    'GET /v1/feeds/{feedId}': async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
      const feedId = parse(feedIdSchema, event.pathParameters?.feedId, 'path.feedId');
      const { page, version } = parse(query, event.queryStringParameters ?? {}, 'query');
      if (await deps.isDegraded(feedId)) {
        throw new DependencyError('Today’s picks are served from the static copy right now', 'FEED_DEGRADED', {
          current: deps.statics.currentUrl(feedId),
          ...(version !== undefined ? { page: deps.statics.pageUrl(feedId, version, page) } : {}),
        });
      }
      const answer = await deps.feeds.page(feedId, page, version, header(event.headers, 'if-none-match'));
      const etag = `"${answer.version.version}"`;
      if (answer.kind === 'not-modified') return notModified({ etag, 'cache-control': `public, max-age=${deps.currentMaxAgeSeconds}` });
      return {
        statusCode: 200,
        headers: {
          'content-type': 'application/json; charset=utf-8',
          etag,
          'cache-control': answer.pinned ? 'public, max-age=86400, immutable' : `public, max-age=${deps.currentMaxAgeSeconds}`,
        },
        // The stored bytes, exactly as the static copy holds them.
        body: answer.body,
      };
    },
  };
}
