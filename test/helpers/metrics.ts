import { type DimensionsArg, METRIC_CATALOG, type MetricName, type Metrics } from '../../lambdas/domain/metrics.js';

/** One published series: a metric under one dimension set, counts summed into one value. */
export interface Series {
  metric: string;
  dimensions: Record<string, string>;
  values: number[];
}

/** The in-memory Metrics of unit tests: keeps every value recorded, in order. */
export class RecordingMetrics implements Metrics {
  readonly records: Array<{ metric: MetricName; value: number; dimensions: Record<string, string> }> = [];

  add<M extends MetricName>(metric: M, value: number, ...dimensions: DimensionsArg<M>): void {
    this.records.push({ metric, value, dimensions: { ...((dimensions[0] ?? {}) as Record<string, string>) } });
  }

  /** Sum of `metric`'s values under dimensions that include `dimensions`. */
  total(metric: MetricName, dimensions: Record<string, string> = {}): number {
    return this.matching(metric, dimensions).reduce((sum, r) => sum + r.value, 0);
  }

  values(metric: MetricName, dimensions: Record<string, string> = {}): number[] {
    return this.matching(metric, dimensions).map((r) => r.value);
  }

  /** What a publisher would write: counts summed per series, distributions kept. */
  series(): Series[] {
    const out = new Map<string, Series>();
    for (const r of this.records) {
      const key = `${r.metric}|${JSON.stringify(Object.entries(r.dimensions).sort())}`;
      const series = out.get(key) ?? { metric: r.metric, dimensions: r.dimensions, values: [] };
      if (METRIC_CATALOG[r.metric].kind === 'count') series.values = [(series.values[0] ?? 0) + r.value];
      else series.values.push(r.value);
      out.set(key, series);
    }
    return [...out.values()];
  }

  private matching(metric: MetricName, dimensions: Record<string, string>) {
    return this.records.filter((r) => r.metric === metric && Object.entries(dimensions).every(([k, v]) => r.dimensions[k] === v));
  }
}
