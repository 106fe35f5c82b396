import { Metrics as PowertoolsMetrics } from '@aws-lambda-powertools/metrics';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EmfMetrics } from '../../../lambdas/adapters/emf-metrics.js';
import { METRICS_NAMESPACE } from '../../../lambdas/domain/metrics.js';
import { ManualClock } from '../../helpers/clock.js';
import { metricsContract } from '../../helpers/contracts/metrics.js';
import type { Series } from '../../helpers/metrics.js';

interface EmfDocument {
  _aws: {
    Timestamp: number;
    CloudWatchMetrics: Array<{ Namespace: string; Dimensions: string[][]; Metrics: Array<{ Name: string; Unit: string }> }>;
  };
  [key: string]: unknown;
}

/** EMF documents Powertools writes to stdout while a test runs. */
let documents: EmfDocument[] = [];
beforeEach(() => {
  documents = [];
  const write = process.stdout.write.bind(process.stdout);
  vi.spyOn(process.stdout, 'write').mockImplementation(((chunk: string | Uint8Array, ...rest: unknown[]) => {
    const text = String(chunk);
    if (text.includes('"_aws"')) {
      documents.push(JSON.parse(text) as EmfDocument);
      return true;
    }
    return write(chunk as string, ...(rest as []));
  }) as typeof process.stdout.write);
});
afterEach(() => vi.restoreAllMocks());

function emf(clock = new ManualClock(), intervalMs = 10_000) {
  const metrics = new EmfMetrics(new PowertoolsMetrics({ namespace: METRICS_NAMESPACE, serviceName: 'product-read' }), clock, intervalMs);
  return { metrics, clock };
}

/** The series EMF documents describe (the `service` dimension aside). */
function seriesOf(docs: EmfDocument[]): Series[] {
  const out: Series[] = [];
  for (const doc of docs) {
    const directive = doc._aws.CloudWatchMetrics[0];
    if (!directive) continue;
    const dimensions = Object.fromEntries((directive.Dimensions[0] ?? []).filter((d) => d !== 'service').map((d) => [d, String(doc[d])]));
    for (const m of directive.Metrics) {
      const value = doc[m.Name] as number | number[];
      out.push({ metric: m.Name, dimensions, values: Array.isArray(value) ? value : [value] });
    }
  }
  return out;
}

metricsContract('EmfMetrics', () => {
  const { metrics } = emf();
  return {
    metrics,
    published: () => {
      metrics.publish();
      return seriesOf(documents);
    },
  };
});

describe('EmfMetrics', () => {
  it('writes nothing until the interval since the first value has passed', () => {
    const { metrics, clock } = emf();
    metrics.add('FeedPagesServed', 1, { Kind: 'pinned' });
    clock.advance(9_999);
    metrics.publishIfDue();
    expect(documents).toHaveLength(0);

    clock.advance(1);
    metrics.publishIfDue();
    expect(seriesOf(documents)).toEqual([{ metric: 'FeedPagesServed', dimensions: { Kind: 'pinned' }, values: [1] }]);
  });

  it('writes one document per dimension set, in the catalog namespace, with the service dimension and units', () => {
    const { metrics } = emf();
    metrics.add('L1Hits', 5, { Source: 'stock' });
    metrics.add('L1Misses', 1, { Source: 'stock' });
    metrics.add('DegradedAnswers', 1, { Source: 'price' });

    metrics.publish();

    expect(documents).toHaveLength(2);
    const [first] = documents;
    expect(first?._aws.CloudWatchMetrics[0]).toEqual({
      Namespace: 'Crest',
      Dimensions: [['service', 'Source']],
      Metrics: [
        { Name: 'L1Hits', Unit: 'Count' },
        { Name: 'L1Misses', Unit: 'Count' },
      ],
    });
    expect(first).toMatchObject({ service: 'product-read', Source: 'stock', L1Hits: 5, L1Misses: 1 });
  });

  it('stamps a document with the time its window opened', () => {
    const { metrics, clock } = emf();
    const opened = clock.now();
    metrics.add('FeedsSynced', 1);
    clock.advance(60_000);

    metrics.publishIfDue();

    expect(documents[0]?._aws.Timestamp).toBe(opened);
  });

  it('publishes at once when a distribution holds 100 values (the most one EMF document may carry)', () => {
    const { metrics } = emf();
    for (let i = 0; i < 99; i++) metrics.add('StreamLag', i);
    expect(documents).toHaveLength(0);

    metrics.add('StreamLag', 99);

    expect(seriesOf(documents)).toEqual([{ metric: 'StreamLag', dimensions: {}, values: Array.from({ length: 100 }, (_, i) => i) }]);
  });

  it('starts a new window after publishing', () => {
    const { metrics, clock } = emf();
    metrics.add('FeedsSynced', 1);
    clock.advance(10_000);
    metrics.publishIfDue();
    metrics.add('FeedsSynced', 1);
    clock.advance(5_000);

    metrics.publishIfDue();

    expect(documents).toHaveLength(1);
  });

  it('records the ColdStart metric once per container', () => {
    vi.stubEnv('AWS_LAMBDA_INITIALIZATION_TYPE', 'on-demand'); // as Lambda sets it (and the local runtime)
    const { metrics } = emf();
    vi.unstubAllEnvs();

    metrics.captureColdStart();
    metrics.captureColdStart();

    expect(documents.filter((d) => 'ColdStart' in d)).toHaveLength(1);
  });
});
