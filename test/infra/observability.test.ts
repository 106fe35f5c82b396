import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { METRIC_CATALOG, METRICS_NAMESPACE } from '../../lambdas/domain/metrics.js';
import { RUNBOOK } from '../../lib/constructs/building-blocks.js';
import { synth } from '../helpers/synth.js';

const VARIANTS = {
  'dax=true': { dax: true },
  'dax=false': { dax: false },
  'target=localstack': { target: 'localstack' },
} as const;

const runbook = readFileSync(path.resolve(import.meta.dirname, '../..', RUNBOOK), 'utf8');

const alarms = (template: Template) => Object.entries(template.findResources('AWS::CloudWatch::Alarm'));
const topicId = (template: Template) => {
  const [id] = Object.keys(template.findResources('AWS::SNS::Topic'));
  return id;
};

describe.each(Object.entries(VARIANTS))('Observability (%s)', (_name, context) => {
  const { template } = synth(context);

  it('notifies the alarm topic from every alarm, when it fires and when it recovers', () => {
    const topic = topicId(template);
    expect(alarms(template).length).toBeGreaterThan(0);
    for (const [id, alarm] of alarms(template)) {
      expect([id, alarm.Properties.AlarmActions]).toEqual([id, [{ Ref: topic }]]);
      expect([id, alarm.Properties.OKActions]).toEqual([id, [{ Ref: topic }]]);
    }
  });

  it('links every alarm to a section of the runbook that exists', () => {
    for (const [id, alarm] of alarms(template)) {
      const [, anchor] = /Runbook: docs\/runbook\.md#([a-z0-9-]+)$/.exec(alarm.Properties.AlarmDescription) ?? [];
      expect([id, anchor && runbook.includes(`<a id="${anchor}"></a>`)]).toEqual([id, true]);
    }
  });

  it('alarms on every dead-letter and on-failure queue', () => {
    const deadLetterQueues = Object.keys(template.findResources('AWS::SQS::Queue')).filter((id) => /DeadLetters|Failures/.test(id));
    const watched = alarms(template).map(([, a]) => JSON.stringify(a.Properties.Dimensions ?? []));
    for (const queue of deadLetterQueues) expect([queue, watched.some((d) => d.includes(`"${queue}"`))]).toEqual([queue, true]);
  });

  it('encrypts the topic with a rotated key CloudWatch may use, and refuses publishing without TLS', () => {
    template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({ Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: ['kms:Decrypt', 'kms:GenerateDataKey*'] }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({ Effect: 'Allow', Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: 'sns:Publish' }),
        ]),
      },
    });
  });

  it('gives every function the catalog’s metrics namespace', () => {
    const fns = Object.values(template.findResources('AWS::Lambda::Function')).filter((f) => f.Properties.Handler === 'index.handler');
    for (const fn of fns) expect(fn.Properties.Environment.Variables.POWERTOOLS_METRICS_NAMESPACE).toBe(METRICS_NAMESPACE);
  });
});

describe('Observability alarms', () => {
  const names = (template: Template) => alarms(template).map(([id]) => id.replace(/[0-9A-F]{8}$/, ''));

  it('watches the queue age, the consumer, the API, the stream and decision latency, and DAX only when it exists', () => {
    const withDax = names(synth({ dax: true }).template);
    const withoutDax = names(synth({ dax: false }).template);
    const expected = [
      'ObservabilityOldestQueuedDeduction',
      'ObservabilityConsumerErrors',
      'ObservabilityConsumerThrottles',
      'ObservabilityDecisionLatency',
      'ObservabilityApi5xxRate',
      'ObservabilityApiLatencyP99',
      'ObservabilityCatalogStreamIteratorAge',
      'StockDeductionsDeadLettersAlarm',
      'CacheInvalidationFailuresAlarm',
    ];

    expect(withDax).toEqual(expect.arrayContaining([...expected, 'ObservabilityDaxCpu', 'ObservabilityDaxEvictions']));
    expect(withoutDax).toEqual(expect.arrayContaining(expected));
    expect(withoutDax.filter((n) => n.includes('Dax'))).toEqual([]);
  });

  it('alarms on the p99 of the decision latency the consumer writes, under the catalog’s name and dimensions', () => {
    synth({ dax: false }).template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: METRICS_NAMESPACE,
      MetricName: 'DecisionLatency',
      ExtendedStatistic: 'p99',
      Dimensions: [{ Name: 'service', Value: METRIC_CATALOG.DecisionLatency.emittedBy[0] }],
    });
  });

  it('subscribes the alarmEmail address to the topic, and nobody without one', () => {
    const subscribed = synth({ dax: false, alarmEmail: 'oncall@example.com' }).template;
    subscribed.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'oncall@example.com' });
    synth({ dax: false }).template.resourceCountIs('AWS::SNS::Subscription', 0);
  });
});

describe('Observability dashboard', () => {
  const { template } = synth({ dax: true });
  const dashboard = Object.values(template.findResources('AWS::CloudWatch::Dashboard'))[0] ?? {};
  // The body is a Fn::Join of JSON text and references (inside its strings); the text is enough to read it.
  const body = (dashboard.Properties.DashboardBody['Fn::Join'][1] as unknown[]).map((p) => (typeof p === 'string' ? p : 'REF')).join('');
  const widgets = (JSON.parse(body) as { widgets: Array<{ properties: { title?: string; metrics?: unknown[][] } }> }).widgets;

  it('has one screen for a sale', () => {
    expect(widgets.map((w) => w.properties.title).filter(Boolean)).toEqual([
      'Ingest vs decisions per second',
      'Deductions queue: depth and age',
      'Consumer concurrency vs cap',
      'Sold-out answers',
      'Holds',
      'Decision latency',
      'API latency',
      'API answers and errors',
      'Product reads: L1 hit ratio',
      'Degraded product answers and breakers',
      'Stream lag',
      'Dead-letter queues',
      "Today's picks",
      'DAX',
    ]);
  });

  it('charts only catalog metrics, with the dimensions their functions write', () => {
    const crest = widgets
      .flatMap((w) => w.properties.metrics ?? [])
      .filter((m) => m[0] === METRICS_NAMESPACE)
      .map((m) => {
        const [, name, ...rest] = m as [string, keyof typeof METRIC_CATALOG, ...unknown[]];
        const pairs = rest.filter((x) => typeof x !== 'object');
        return {
          name,
          dimensions: Object.fromEntries(Array.from({ length: pairs.length / 2 }, (_, i) => [pairs[2 * i], pairs[2 * i + 1]])),
        };
      });
    expect(crest.length).toBeGreaterThan(10);
    for (const { name, dimensions } of crest) {
      const spec = METRIC_CATALOG[name];
      expect(spec, name).toBeDefined();
      const { service, ...own } = dimensions as Record<string, string>;
      expect([name, service]).toEqual([name, spec.emittedBy[0]]);
      expect(Object.keys(own).sort()).toEqual(Object.keys(spec.dimensions).sort());
      for (const [key, value] of Object.entries(own)) expect((spec.dimensions as Record<string, readonly string[]>)[key]).toContain(value);
    }
  });
});
