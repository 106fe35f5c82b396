import type { Metrics as PowertoolsMetrics } from '@aws-lambda-powertools/metrics';
import type { MetricUnit as PowertoolsUnit } from '@aws-lambda-powertools/metrics/types';
import type { Clock } from '../domain/clock.js';
import { type DimensionsArg, METRIC_CATALOG, type MetricName, type Metrics } from '../domain/metrics.js';

/** Powertools stores at most this many values of one metric per document (then flushes on its own). */
const MAX_VALUES_PER_METRIC = 100;

interface Pending {
  dimensions: Record<string, string>;
  counts: Map<MetricName, number>;
  values: Map<MetricName, number[]>;
}

/**
 * The Metrics port as CloudWatch Embedded Metric Format, written by Powertools Metrics to stdout
 * (CloudWatch Logs turns each document into metrics; no PutMetricData call, no latency).
 *
 * Recorded values are aggregated in the container and published at most every `intervalMs`
 * (when an invocation ends, or starts, after the interval has passed), one EMF document per
 * dimension set: counts summed, distributions kept as value arrays (so percentiles stay exact). On a
 * hot path this is one log line per container every few seconds instead of one per request: at
 * thousands of reads a second, per-invocation documents would cost more in log ingestion than
 * the metrics themselves. What a container records after its last publish is lost when Lambda
 * reclaims it (at most one interval of that container's counts).
 */
export class EmfMetrics implements Metrics {
  private readonly pending = new Map<string, Pending>();
  private windowStart: number | undefined;

  constructor(
    private readonly emf: PowertoolsMetrics,
    private readonly clock: Clock,
    private readonly intervalMs: number,
  ) {}

  add<M extends MetricName>(metric: M, value: number, ...dimensions: DimensionsArg<M>): void {
    const dims = (dimensions[0] ?? {}) as Record<string, string>;
    const key = dimensionKey(dims);
    let group = this.pending.get(key);
    if (!group) {
      group = { dimensions: dims, counts: new Map(), values: new Map() };
      this.pending.set(key, group);
    }
    this.windowStart ??= this.clock.now();
    if (METRIC_CATALOG[metric].kind === 'count') {
      group.counts.set(metric, (group.counts.get(metric) ?? 0) + value);
      return;
    }
    const values = group.values.get(metric) ?? [];
    values.push(value);
    group.values.set(metric, values);
    if (values.length >= MAX_VALUES_PER_METRIC) this.publish();
  }

  /** Publishes what is pending once the interval since the first pending value has passed. */
  publishIfDue(): void {
    if (this.windowStart !== undefined && this.clock.now() - this.windowStart >= this.intervalMs) this.publish();
  }

  /** Publishes everything pending now, stamped with the time its window opened. */
  publish(): void {
    if (this.windowStart === undefined) return;
    const stamp = this.windowStart;
    this.windowStart = undefined;
    const groups = [...this.pending.values()];
    this.pending.clear();
    for (const group of groups) {
      this.emf.addDimensions(group.dimensions);
      for (const [metric, total] of group.counts) this.emf.addMetric(metric, unit(metric), total);
      for (const [metric, values] of group.values) for (const v of values) this.emf.addMetric(metric, unit(metric), v);
      this.emf.setTimestamp(stamp);
      this.emf.publishStoredMetrics();
    }
  }

  /** Records Powertools' ColdStart metric on the container's first invocation (no-op after). */
  captureColdStart(): void {
    this.emf.captureColdStartMetric();
  }
}

const unit = (metric: MetricName) => METRIC_CATALOG[metric].unit as PowertoolsUnit;

/** One key per dimension set, whatever the order its keys were written in. */
function dimensionKey(dims: Record<string, string>): string {
  const keys = Object.keys(dims);
  if (keys.length === 0) return '';
  return keys
    .sort()
    .map((k) => `${k}=${dims[k]}`)
    .join('|');
}
