import type { APIGatewayProxyEvent } from 'aws-lambda';
import type { Clock } from '../../domain/clock.js';
import { ValidationError } from '../../domain/errors.js';
import type { DegradeSwitch } from '../../domain/feed/degrade-switch.js';
import type { FeedPublisher } from '../../domain/feed/publisher.js';
import type { StaticCopyUrls } from '../../domain/feed/static-paths.js';
import { type Metrics, noMetrics } from '../../domain/metrics.js';
import { adminOnly } from '../identity.js';
import { json } from '../response.js';
import { type OutcomeAdvice, type Routes, write } from '../router.js';
import { degradeBodySchema, feedIdSchema, jsonBody, parse, publishBodySchema } from '../validation.js';

const MAX_FUTURE_MS = 30 * 24 * 60 * 60 * 1000;

export interface AdminFeedDeps {
  publisher: FeedPublisher;
  degrade: DegradeSwitch;
  statics: StaticCopyUrls;
  clock: Clock;
  /** Versions published and degrade switch flips. */
  metrics?: Metrics;
}

/** A publish with an unknown outcome: the feed shows whether the version exists; the same publishAt cannot publish twice. */
function readTheFeed(event: APIGatewayProxyEvent): OutcomeAdvice {
  const feedId = event.pathParameters?.feedId ?? '';
  return {
    message:
      'The version may or may not have been published. GET the feed (pinned to the publishAt you sent, if any) to see it; publishing again with the same publishAt is refused with VERSION_EXISTS if it was claimed',
    details: { read: `/v1/feeds/${feedId}?page=1` },
  };
}

/** A degrade switch flip with an unknown outcome: setting it again is idempotent. */
function setTheSwitchAgain(): OutcomeAdvice {
  return { message: 'The switch may or may not have been set. Set it again: it is idempotent', details: { retry: 'idempotent' } };
}

/** The back office's feed routes (admins only). */
export function adminFeedRoutes(deps: AdminFeedDeps): Routes {
  const metrics = deps.metrics ?? noMetrics;
  return adminOnly({
    /** POST /v1/admin/feeds/{feedId}/versions → 201 { version, publishAt, totalPages, totalItems } */
    'POST /v1/admin/feeds/{feedId}/versions': write(async (event, signal) => {
      const feedId = parse(feedIdSchema, event.pathParameters?.feedId, 'path.feedId');
      const body = parse(publishBodySchema, event.body ? jsonBody(event.body, event.isBase64Encoded) : {}, 'body');
      const publishAt = body.publishAt === undefined ? undefined : Date.parse(body.publishAt);
      if (publishAt !== undefined && publishAt > deps.clock.now() + MAX_FUTURE_MS) {
        throw new ValidationError('Invalid body', [{ path: 'body.publishAt', message: 'must be within 30 days' }]);
      }
      const version = await deps.publisher.publish(feedId, { publishAt, skus: body.skus }, signal);
      metrics.add('FeedVersionsPublished', 1);
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
    }, readTheFeed),

    /** PUT /v1/admin/feeds/{feedId}/degrade { degraded } → point clients at the static copy (no deploy). */
    'PUT /v1/admin/feeds/{feedId}/degrade': write(async (event, signal) => {
      const feedId = parse(feedIdSchema, event.pathParameters?.feedId, 'path.feedId');
      const { degraded } = parse(degradeBodySchema, jsonBody(event.body, event.isBase64Encoded), 'body');
      await deps.degrade.set(feedId, degraded, signal);
      metrics.add('FeedDegradeSwitches', 1, { State: degraded ? 'on' : 'off' });
      return json(200, { feedId, degraded, static: { current: deps.statics.currentUrl(feedId) } }, { 'cache-control': 'no-store' });
    }, setTheSwitchAgain),
  });
}
