/**
 * Crest's metric catalog and the port the domain records through. Every custom metric has its
 * name, unit, dimensions and emitting functions here and nowhere else: the functions record with
 * these names (lambdas/adapters/emf-metrics.ts writes them as CloudWatch EMF), and the dashboard
 * and alarms (lib/constructs/observability.ts) read the same entries, so a renamed metric cannot
 * leave a chart or an alarm watching nothing.
 *
 * Dimensions are low-cardinality on purpose: each one lists every value it may take (no buyer,
 * request, deduction or SKU dimension: CloudWatch bills each dimension combination as a metric,
 * and a per-SKU series would be unbounded). Every metric also carries the `service` dimension
 * (the function name, POWERTOOLS_SERVICE_NAME), which Powertools adds by itself.
 */

/** The CloudWatch namespace of every Crest metric (POWERTOOLS_METRICS_NAMESPACE in each function). */
export const METRICS_NAMESPACE = 'Crest';

/** Units Crest records in (CloudWatch's standard unit names). */
export type MetricUnit = 'Count' | 'Milliseconds';

/**
 * - `count`: occurrences; a container's values are summed before they are published (Sum is the
 *   statistic to read);
 * - `distribution`: one value per observation, all kept, so percentiles are exact (read p50/p99).
 */
export type MetricKind = 'count' | 'distribution';

export interface MetricSpec {
  kind: MetricKind;
  unit: MetricUnit;
  /** Dimension name → every value it may take. */
  dimensions: Readonly<Record<string, readonly string[]>>;
  /** The functions that record it (their `service` dimension). */
  emittedBy: readonly string[];
  /** What one unit of it means. */
  description: string;
}

const SOURCES = ['info', 'price', 'stock'] as const;

export const METRIC_CATALOG = {
  // ---- Flash-sale deductions ------------------------------------------------------------------
  DeductionsAccepted: {
    kind: 'count',
    unit: 'Count',
    dimensions: {},
    emittedBy: ['deductions-api'],
    description: 'Deduction requests recorded and queued (answered 202).',
  },
  DeductionsTurnedAway: {
    kind: 'count',
    unit: 'Count',
    dimensions: { Reason: ['SOLD_OUT', 'LIMIT_EXCEEDED', 'INVALID'] },
    emittedBy: ['deductions-api'],
    description: 'Deduction requests answered before the queue: sold out (409 fast path), over the limit, or invalid (4xx).',
  },
  DeductionsDecided: {
    kind: 'count',
    unit: 'Count',
    dimensions: { Outcome: ['HELD', 'SOLD_OUT', 'LIMIT_EXCEEDED', 'UNKNOWN_SKU'] },
    emittedBy: ['deduction-consumer'],
    description: 'Queued requests the consumer decided, by outcome.',
  },
  DecisionLatency: {
    kind: 'distribution',
    unit: 'Milliseconds',
    dimensions: {},
    emittedBy: ['deduction-consumer'],
    description: 'From a request’s acceptance (createdAt) to its decision (decidedAt): how long a buyer waited in the queue.',
  },
  ConsumerBatchSize: {
    kind: 'distribution',
    unit: 'Count',
    dimensions: {},
    emittedBy: ['deduction-consumer'],
    description: 'Messages in one consumer invocation (one value per invocation).',
  },
  StockWrites: {
    kind: 'count',
    unit: 'Count',
    dimensions: {},
    emittedBy: ['deduction-consumer'],
    description: 'Hot-item writes: stock transactions the consumer committed (one per SKU and ≤ 100 actions).',
  },
  StockWriteConflicts: {
    kind: 'count',
    unit: 'Count',
    dimensions: {},
    emittedBy: ['deduction-consumer'],
    description: 'Stock transactions cancelled by a condition or a conflicting writer and retried.',
  },
  HoldsConfirmed: {
    kind: 'count',
    unit: 'Count',
    dimensions: {},
    emittedBy: ['deductions-api'],
    description: 'Holds confirmed by their buyer (HELD → CONFIRMED).',
  },
  HoldsExpired: {
    kind: 'count',
    unit: 'Count',
    dimensions: {},
    emittedBy: ['hold-expiry'],
    description: 'Holds that reached their deadline and gave their units back (HELD → EXPIRED).',
  },
  HoldsCancelled: {
    kind: 'count',
    unit: 'Count',
    dimensions: {},
    emittedBy: ['deductions-api'],
    description: 'Holds and confirmed deductions cancelled by their buyer (units given back).',
  },

  // ---- Product reads --------------------------------------------------------------------------
  L1Hits: {
    kind: 'count',
    unit: 'Count',
    dimensions: { Source: SOURCES },
    emittedBy: ['product-read'],
    description: 'Product reads of one source (info, price or stock) answered from the in-process cache.',
  },
  L1Misses: {
    kind: 'count',
    unit: 'Count',
    dimensions: { Source: SOURCES },
    emittedBy: ['product-read'],
    description: 'Product reads of one source that had to read DAX/DynamoDB (or wait for a read in flight).',
  },
  DegradedAnswers: {
    kind: 'count',
    unit: 'Count',
    dimensions: { Source: ['price', 'stock'] },
    emittedBy: ['product-read'],
    description: 'Product answers served 200 without this part (slow, failing or breaker open), named in `degraded`.',
  },
  BreakerTransitions: {
    kind: 'count',
    unit: 'Count',
    dimensions: { Source: SOURCES, State: ['open', 'half-open', 'closed'] },
    emittedBy: ['product-read'],
    description: 'A source’s circuit breaker changed state (open: failing fast; half-open: one trial; closed: recovered).',
  },

  // ---- Catalog writes and the catalog stream --------------------------------------------------
  CatalogWrites: {
    kind: 'count',
    unit: 'Count',
    dimensions: { Kind: SOURCES },
    emittedBy: ['admin-api'],
    description: 'Admin writes applied to the catalog, by item kind.',
  },
  StreamRecordsApplied: {
    kind: 'count',
    unit: 'Count',
    dimensions: {},
    emittedBy: ['catalog-stream'],
    description: 'Catalog changes applied to the caches (DAX refresh, sold-out flag).',
  },
  StreamRecordsSkipped: {
    kind: 'count',
    unit: 'Count',
    dimensions: {},
    emittedBy: ['catalog-stream'],
    description: 'Stream records that needed nothing: unchanged images, or superseded by a newer record in the same batch.',
  },
  StreamLag: {
    kind: 'distribution',
    unit: 'Milliseconds',
    dimensions: {},
    emittedBy: ['catalog-stream'],
    description: 'How long after its write the newest record of a batch was processed (the item’s own write stamp, ms).',
  },

  // ---- Today's picks --------------------------------------------------------------------------
  FeedPagesServed: {
    kind: 'count',
    unit: 'Count',
    dimensions: { Kind: ['pinned', 'current', 'not-modified'] },
    emittedBy: ['feed-read'],
    description: 'Feed answers: a pinned page, a page of the current version, or a 304 pull-to-refresh.',
  },
  FeedDegradedAnswers: {
    kind: 'count',
    unit: 'Count',
    dimensions: {},
    emittedBy: ['feed-read'],
    description: 'Feed requests answered 503 FEED_DEGRADED (the degrade switch is on: clients read the static copy).',
  },
  FeedVersionsPublished: {
    kind: 'count',
    unit: 'Count',
    dimensions: {},
    emittedBy: ['feed-admin'],
    description: 'Feed versions published (all pages and static copies written).',
  },
  FeedDegradeSwitches: {
    kind: 'count',
    unit: 'Count',
    dimensions: { State: ['on', 'off'] },
    emittedBy: ['feed-admin'],
    description: 'The degrade switch was set.',
  },
  FeedsSynced: {
    kind: 'count',
    unit: 'Count',
    dimensions: {},
    emittedBy: ['feed-scheduler'],
    description: 'Feeds whose static current.json the scheduler brought in line with the current version.',
  },
} as const satisfies Record<string, MetricSpec>;

export type MetricName = keyof typeof METRIC_CATALOG;

type Catalog = typeof METRIC_CATALOG;

/** The dimensions `metric` takes, each narrowed to its allowed values. */
export type MetricDimensions<M extends MetricName> = {
  -readonly [K in keyof Catalog[M]['dimensions']]: Catalog[M]['dimensions'][K] extends readonly (infer V)[] ? V : never;
};

/** The dimensions argument: absent for a metric without dimensions, required otherwise. */
export type DimensionsArg<M extends MetricName> = keyof Catalog[M]['dimensions'] extends never ? [] : [MetricDimensions<M>];

/**
 * Where the domain records what happened. Counts add up; distributions keep every value
 * (CloudWatch computes percentiles from them). Recording never throws and never waits.
 */
export interface Metrics {
  add<M extends MetricName>(metric: M, value: number, ...dimensions: DimensionsArg<M>): void;
}

/** For callers that record nothing (and the default of every optional `metrics`). */
export const noMetrics: Metrics = { add: () => undefined };
