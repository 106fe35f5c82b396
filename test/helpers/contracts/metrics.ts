import { describe, expect, it } from 'vitest';
import type { Metrics } from '../../../lambdas/domain/metrics.js';
import type { Series } from '../metrics.js';

export interface MetricsWorld {
  metrics: Metrics;
  /** Everything recorded so far, as published series. */
  published(): Series[];
}

const sorted = (series: Series[]) =>
  [...series].sort((a, b) => `${a.metric}${JSON.stringify(a.dimensions)}`.localeCompare(`${b.metric}${JSON.stringify(b.dimensions)}`));

/** What every Metrics does: counts add up per dimension set, distributions keep every value. */
export function metricsContract(name: string, make: () => MetricsWorld) {
  describe(`${name} as Metrics`, () => {
    it('sums counts of one metric and dimension set, and keeps other dimension values apart', () => {
      const { metrics, published } = make();
      metrics.add('L1Hits', 1, { Source: 'info' });
      metrics.add('L1Hits', 2, { Source: 'info' });
      metrics.add('L1Hits', 1, { Source: 'price' });
      metrics.add('FeedsSynced', 3);

      expect(sorted(published())).toEqual(
        sorted([
          { metric: 'FeedsSynced', dimensions: {}, values: [3] },
          { metric: 'L1Hits', dimensions: { Source: 'info' }, values: [3] },
          { metric: 'L1Hits', dimensions: { Source: 'price' }, values: [1] },
        ]),
      );
    });

    it('keeps every value of a distribution, in order, so percentiles are exact (a count-unit one too)', () => {
      const { metrics, published } = make();
      for (const ms of [120, 5, 40]) metrics.add('DecisionLatency', ms);
      for (const size of [100, 7]) metrics.add('ConsumerBatchSize', size);

      expect(sorted(published())).toEqual(
        sorted([
          { metric: 'DecisionLatency', dimensions: {}, values: [120, 5, 40] },
          { metric: 'ConsumerBatchSize', dimensions: {}, values: [100, 7] },
        ]),
      );
    });

    it('treats two dimension sets with the same values in another key order as one', () => {
      const { metrics, published } = make();
      metrics.add('BreakerTransitions', 1, { Source: 'stock', State: 'open' });
      metrics.add('BreakerTransitions', 1, { State: 'open', Source: 'stock' } as { Source: 'stock'; State: 'open' });

      expect(published()).toEqual([
        { metric: 'BreakerTransitions', dimensions: expect.objectContaining({ Source: 'stock', State: 'open' }), values: [2] },
      ]);
    });
  });
}
