import { DependencyError } from '../../domain/errors.js';
import type { DegradeSwitch } from '../../domain/feed/degrade-switch.js';
import type { FeedReader } from '../../domain/feed/reader.js';
import type { StaticCopyUrls } from '../../domain/feed/static-paths.js';
import { type Metrics, noMetrics } from '../../domain/metrics.js';
import { header, notModified } from '../response.js';
import { type Routes, read } from '../router.js';
import { feedIdSchema, feedQuerySchema, parse } from '../validation.js';

export interface FeedRouteDeps {
  reader: FeedReader;
  degrade: DegradeSwitch;
  statics: StaticCopyUrls;
  /** max-age of unpinned pages (the current version may change). */
  currentMaxAgeSeconds: number;
  /** Pages served by kind (pinned, current, 304) and degraded answers. */
  metrics?: Metrics;
}

/**
 * GET /v1/feeds/{feedId}?page=N[&version=V]
 *
 * Pinned pages (`version` given) never change: `Cache-Control: public, max-age=86400, immutable`.
 * Unpinned pages follow the current version: short max-age, ETag = the version, so a
 * pull-to-refresh with If-None-Match is a 304 that reads no page at all.
 */
export function feedRoutes(deps: FeedRouteDeps): Routes {
  const metrics = deps.metrics ?? noMetrics;
  return {
    'GET /v1/feeds/{feedId}': read(async (event, signal) => {
      const feedId = parse(feedIdSchema, event.pathParameters?.feedId, 'path.feedId');
      const { page, version } = parse(feedQuerySchema, event.queryStringParameters ?? {}, 'query');
      if (await deps.degrade.isOn(feedId)) {
        metrics.add('FeedDegradedAnswers', 1);
        throw new DependencyError('Today’s picks are served from the static copy right now', 'FEED_DEGRADED', {
          current: deps.statics.currentUrl(feedId),
          ...(version !== undefined ? { page: deps.statics.pageUrl(feedId, version, page) } : {}),
        });
      }
      const answer = await deps.reader.page(feedId, page, version, header(event.headers, 'if-none-match'), signal);
      const etag = `"${answer.version.version}"`;
      if (answer.kind === 'not-modified') {
        metrics.add('FeedPagesServed', 1, { Kind: 'not-modified' });
        return notModified({ etag, 'cache-control': `public, max-age=${deps.currentMaxAgeSeconds}` });
      }
      metrics.add('FeedPagesServed', 1, { Kind: answer.pinned ? 'pinned' : 'current' });
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
    }),
  };
}
