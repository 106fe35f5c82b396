import { Aspects, Duration, type IAspect, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct, type IConstruct } from 'constructs';
import { METRIC_CATALOG, METRICS_NAMESPACE, type MetricDimensions, type MetricName } from '../../lambdas/domain/metrics.js';
import { CrestAlarm, type DeadLetterQueue } from './building-blocks.js';
import type { CrestApi } from './crest-api.js';
import type { CrestFunction } from './crest-function.js';
import type { DaxCache } from './dax-cache.js';

/** The thresholds the alarms fire at, in one place (docs/runbook.md explains each). */
export const ALARM_THRESHOLDS = {
  /** A buyer has waited this long for a decision: the queue is not draining. */
  oldestQueuedDeductionSeconds: 120,
  /** Decision latency p99 (ms), sustained 3 of 5 minutes. */
  decisionLatencyP99Ms: 30_000,
  /** Share of API answers that are 5xx, sustained 3 of 5 minutes. */
  api5xxRate: 0.01,
  /** API latency p99 (ms), sustained 3 of 5 minutes. */
  apiLatencyP99Ms: 2_000,
  /** A stream processor this far behind (ms) serves caches staler than their documented bounds. */
  streamIteratorAgeMs: 60_000,
  /** DAX CPU (%), sustained 5 minutes. */
  daxCpuPercent: 70,
} as const;

const MINUTE = Duration.minutes(1);

/**
 * A metric of the catalog (lambdas/domain/metrics.ts) as CloudWatch stores it: the namespace, the
 * name, and the dimensions the function writes (its `service`, plus the metric's own).
 */
export function crestMetric<M extends MetricName>(
  metric: M,
  options: { dimensions?: MetricDimensions<M>; statistic?: string; label?: string; period?: Duration } = {},
): cloudwatch.Metric {
  const spec = METRIC_CATALOG[metric];
  return new cloudwatch.Metric({
    namespace: METRICS_NAMESPACE,
    metricName: metric,
    dimensionsMap: { service: spec.emittedBy[0], ...(options.dimensions as Record<string, string> | undefined) },
    statistic: options.statistic ?? (spec.kind === 'count' ? 'Sum' : 'p99'),
    period: options.period ?? MINUTE,
    label: options.label,
  });
}

/** A per-minute count shown per second. */
function perSecond(id: string, metric: cloudwatch.IMetric, label: string): cloudwatch.MathExpression {
  return new cloudwatch.MathExpression({ expression: `${id}/PERIOD(${id})`, usingMetrics: { [id]: metric }, label, period: MINUTE });
}

export interface StreamProcessorWatch {
  /** The processor function's name (its heartbeat and `service`), e.g. `catalog-stream`. */
  name: string;
  processor: CrestFunction;
  /** Its on-failure destination (alarmed by DeadLetterQueue itself). */
  failures: DeadLetterQueue;
}

export interface ObservabilityProps {
  /** Subscribed to the alarm topic when given (context `alarmEmail`); AWS asks the address to confirm. */
  alarmEmail?: string;
  api: CrestApi;
  deductions: {
    queue: sqs.IQueue;
    deadLetters: DeadLetterQueue;
    consumer: CrestFunction;
    /** The consumer's concurrency cap (the event source's maximum concurrency). */
    concurrency: number;
  };
  streams: readonly StreamProcessorWatch[];
  /** Every dead-letter queue, for the dashboard (each alarms on its own). */
  deadLetterQueues: ReadonlyArray<{ name: string; queue: DeadLetterQueue }>;
  dax?: DaxCache;
}

/**
 * Alarms that reach someone, and one screen for a sale:
 * - an SNS topic (KMS-encrypted, TLS only) with an optional e-mail subscription, which every
 *   alarm in the stack notifies on ALARM and OK (an aspect adds the actions, so an alarm defined
 *   in any construct, now or later, cannot be left notifying nobody);
 * - the alarms whose metrics span capabilities: age of the oldest queued deduction, consumer
 *   errors and throttles, API 5xx rate and p99 latency, stream iterator age, decision latency
 *   p99, DAX CPU and evictions (dead-letter queues alarm on their own: DeadLetterQueue);
 * - the CloudWatch dashboard of a flash sale.
 */
export class Observability extends Construct {
  readonly topic: sns.Topic;
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: ObservabilityProps) {
    super(scope, id);
    const stack = Stack.of(this);

    // CloudWatch cannot publish to a topic encrypted with the AWS-managed SNS key: a key of ours,
    // whose policy lets CloudWatch use it.
    const key = new kms.Key(this, 'AlarmTopicKey', {
      description: 'Crest alarm notifications (SNS topic encryption)',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(7),
    });
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
    );
    this.topic = new sns.Topic(this, 'AlarmTopic', { displayName: 'Crest alarms', masterKey: key, enforceSSL: true });
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: {
          ArnLike: { 'aws:SourceArn': `arn:${stack.partition}:cloudwatch:${stack.region}:${stack.account}:alarm:*` },
          StringEquals: { 'aws:SourceAccount': stack.account },
        },
      }),
    );
    if (props.alarmEmail) this.topic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));
    Aspects.of(stack).add(new NotifyTopic(new actions.SnsAction(this.topic)));

    this.defineAlarms(props);
    this.dashboard = this.defineDashboard(props);
  }

  private defineAlarms(props: ObservabilityProps): void {
    const { deductions, api } = props;
    const t = ALARM_THRESHOLDS;
    new CrestAlarm(this, 'OldestQueuedDeduction', {
      meaning: `A queued deduction has waited over ${t.oldestQueuedDeductionSeconds} s for its decision: the consumer is not keeping up or not running.`,
      runbook: 'oldest-queued-deduction',
      metric: deductions.queue.metricApproximateAgeOfOldestMessage({ period: MINUTE, statistic: 'Maximum' }),
      threshold: t.oldestQueuedDeductionSeconds,
      evaluationPeriods: 2,
    });
    new CrestAlarm(this, 'ConsumerErrors', {
      meaning:
        'The deduction consumer is failing invocations (timeouts or errors it did not handle); their messages come back and may reach the DLQ.',
      runbook: 'consumer-errors',
      metric: deductions.consumer.lambda.metricErrors({ period: MINUTE, statistic: 'Sum' }),
      threshold: 1,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
    });
    new CrestAlarm(this, 'ConsumerThrottles', {
      meaning: 'The deduction consumer is being throttled: the account (or its reserved concurrency) has no room for it.',
      runbook: 'consumer-throttles',
      metric: deductions.consumer.lambda.metricThrottles({ period: MINUTE, statistic: 'Sum' }),
      threshold: 1,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
    });
    new CrestAlarm(this, 'DecisionLatency', {
      meaning: `Buyers wait over ${t.decisionLatencyP99Ms / 1000} s (p99) from acceptance to decision.`,
      runbook: 'decision-latency',
      metric: crestMetric('DecisionLatency', { statistic: 'p99' }),
      threshold: t.decisionLatencyP99Ms,
      evaluationPeriods: 5,
      datapointsToAlarm: 3,
    });
    new CrestAlarm(this, 'Api5xxRate', {
      meaning: `Over ${t.api5xxRate * 100}% of API answers are 5xx (function failures, timeouts or unavailable dependencies).`,
      runbook: 'api-5xx-rate',
      metric: api.restApi.metricServerError({ period: MINUTE, statistic: 'Average' }),
      threshold: t.api5xxRate,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 5,
      datapointsToAlarm: 3,
    });
    new CrestAlarm(this, 'ApiLatencyP99', {
      meaning: `API latency p99 is over ${t.apiLatencyP99Ms} ms.`,
      runbook: 'api-latency-p99',
      metric: api.restApi.metricLatency({ period: MINUTE, statistic: 'p99' }),
      threshold: t.apiLatencyP99Ms,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 5,
      datapointsToAlarm: 3,
    });
    for (const stream of props.streams) {
      new CrestAlarm(this, `${pascal(stream.name)}IteratorAge`, {
        meaning: `${stream.name} is more than ${t.streamIteratorAgeMs / 1000} s behind its stream: what it keeps fresh is staler than documented.`,
        runbook: 'stream-iterator-age',
        metric: stream.processor.lambda.metric('IteratorAge', { period: MINUTE, statistic: 'Maximum' }),
        threshold: t.streamIteratorAgeMs,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 2,
      });
    }
    if (props.dax) {
      new CrestAlarm(this, 'DaxCpu', {
        meaning: `DAX CPU is over ${t.daxCpuPercent}%: reads will slow down and time out into degraded answers.`,
        runbook: 'dax-cpu',
        metric: daxMetric(props.dax, 'CPUUtilization', 'Average'),
        threshold: t.daxCpuPercent,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 5,
      });
      new CrestAlarm(this, 'DaxEvictions', {
        meaning: 'DAX is evicting items to make room: the working set no longer fits, so more reads go to DynamoDB.',
        runbook: 'dax-evictions',
        metric: daxMetric(props.dax, 'EvictedSize', 'Sum'),
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 5,
        datapointsToAlarm: 3,
      });
    }
  }

  private defineDashboard(props: ObservabilityProps): cloudwatch.Dashboard {
    const { deductions, api } = props;
    const dashboard = new cloudwatch.Dashboard(this, 'SaleDashboard', {
      dashboardName: `${Stack.of(this).stackName}-flash-sale`,
      defaultInterval: Duration.hours(3),
    });
    const graph = (title: string, left: cloudwatch.IMetric[], extra: Partial<cloudwatch.GraphWidgetProps> = {}) =>
      new cloudwatch.GraphWidget({ title, left, width: 8, height: 6, period: MINUTE, ...extra });
    const outcomes = METRIC_CATALOG.DeductionsDecided.dimensions.Outcome;
    const decided = new cloudwatch.MathExpression({
      expression: `(${outcomes.map((_, i) => `d${i}`).join('+')})/PERIOD(d0)`,
      usingMetrics: Object.fromEntries(outcomes.map((o, i) => [`d${i}`, crestMetric('DeductionsDecided', { dimensions: { Outcome: o } })])),
      label: 'decided /s',
      period: MINUTE,
    });
    const sources = METRIC_CATALOG.L1Hits.dimensions.Source;
    const hitRatio = new cloudwatch.MathExpression({
      expression: `100*(${sources.map((_, i) => `h${i}`).join('+')})/(${sources.map((_, i) => `h${i}+m${i}`).join('+')})`,
      usingMetrics: Object.fromEntries(
        sources.flatMap((s, i) => [
          [`h${i}`, crestMetric('L1Hits', { dimensions: { Source: s } })],
          [`m${i}`, crestMetric('L1Misses', { dimensions: { Source: s } })],
        ]),
      ),
      label: 'L1 hit ratio (%)',
      period: MINUTE,
    });

    dashboard.addWidgets(
      new cloudwatch.TextWidget({
        markdown: [
          '# Crest: a flash sale as it happens',
          'Ingest is what buyers sent; decisions are what the consumer settled. A growing gap with a flat consumer at its cap means the queue is absorbing the burst (as designed); a growing gap with the consumer below its cap means it is failing.',
          'Every alarm has a section in `docs/runbook.md`.',
        ].join('\n\n'),
        width: 24,
        height: 3,
      }),
    );
    dashboard.addWidgets(
      graph('Ingest vs decisions per second', [
        perSecond('accepted', crestMetric('DeductionsAccepted'), 'accepted /s'),
        decided,
        perSecond('sent', deductions.queue.metricNumberOfMessagesSent({ period: MINUTE, statistic: 'Sum' }), 'queued /s (SQS)'),
        perSecond('deleted', deductions.queue.metricNumberOfMessagesDeleted({ period: MINUTE, statistic: 'Sum' }), 'settled /s (SQS)'),
      ]),
      graph(
        'Deductions queue: depth and age',
        [
          deductions.queue.metricApproximateNumberOfMessagesVisible({ period: MINUTE, statistic: 'Maximum', label: 'waiting' }),
          deductions.queue.metricApproximateNumberOfMessagesNotVisible({ period: MINUTE, statistic: 'Maximum', label: 'in flight' }),
        ],
        {
          right: [deductions.queue.metricApproximateAgeOfOldestMessage({ period: MINUTE, statistic: 'Maximum', label: 'oldest (s)' })],
          rightAnnotations: [{ value: ALARM_THRESHOLDS.oldestQueuedDeductionSeconds, label: 'alarm' }],
        },
      ),
      graph(
        'Consumer concurrency vs cap',
        [deductions.consumer.lambda.metric('ConcurrentExecutions', { period: MINUTE, statistic: 'Maximum', label: 'running' })],
        {
          leftAnnotations: [{ value: deductions.concurrency, label: `cap (${deductions.concurrency})` }],
          right: [
            deductions.consumer.lambda.metricErrors({ period: MINUTE, statistic: 'Sum', label: 'errors' }),
            deductions.consumer.lambda.metricThrottles({ period: MINUTE, statistic: 'Sum', label: 'throttles' }),
          ],
        },
      ),
    );
    dashboard.addWidgets(
      graph('Sold-out answers', [
        crestMetric('DeductionsTurnedAway', { dimensions: { Reason: 'SOLD_OUT' }, label: '409 at the API (sold-out flag)' }),
        crestMetric('DeductionsDecided', { dimensions: { Outcome: 'SOLD_OUT' }, label: 'rejected by the consumer' }),
        crestMetric('DeductionsTurnedAway', { dimensions: { Reason: 'LIMIT_EXCEEDED' }, label: 'over the per-buyer limit' }),
      ]),
      graph('Holds', [
        crestMetric('DeductionsDecided', { dimensions: { Outcome: 'HELD' }, label: 'held' }),
        crestMetric('HoldsConfirmed', { label: 'confirmed' }),
        crestMetric('HoldsExpired', { label: 'expired' }),
        crestMetric('HoldsCancelled', { label: 'cancelled' }),
      ]),
      graph(
        'Decision latency',
        [
          crestMetric('DecisionLatency', { statistic: 'p50', label: 'p50' }),
          crestMetric('DecisionLatency', { statistic: 'p99', label: 'p99' }),
        ],
        { leftAnnotations: [{ value: ALARM_THRESHOLDS.decisionLatencyP99Ms, label: 'alarm (p99)' }] },
      ),
    );
    dashboard.addWidgets(
      graph(
        'API latency',
        [
          api.restApi.metricLatency({ period: MINUTE, statistic: 'p50', label: 'p50' }),
          api.restApi.metricLatency({ period: MINUTE, statistic: 'p99', label: 'p99' }),
          api.restApi.metricIntegrationLatency({ period: MINUTE, statistic: 'p99', label: 'integration p99' }),
        ],
        { leftAnnotations: [{ value: ALARM_THRESHOLDS.apiLatencyP99Ms, label: 'alarm (p99)' }] },
      ),
      graph(
        'API answers and errors',
        [
          api.restApi.metricCount({ period: MINUTE, statistic: 'Sum', label: 'requests' }),
          api.restApi.metricClientError({ period: MINUTE, statistic: 'Sum', label: '4xx' }),
          api.restApi.metricServerError({ period: MINUTE, statistic: 'Sum', label: '5xx' }),
        ],
        { right: [crestMetric('DeductionsAccepted', { label: 'deductions accepted' })] },
      ),
      graph('Product reads: L1 hit ratio', [hitRatio], { leftYAxis: { min: 0, max: 100 } }),
    );
    dashboard.addWidgets(
      graph('Degraded product answers and breakers', [
        crestMetric('DegradedAnswers', { dimensions: { Source: 'price' }, label: 'price missing' }),
        crestMetric('DegradedAnswers', { dimensions: { Source: 'stock' }, label: 'stock missing' }),
        ...sources.map((s) =>
          crestMetric('BreakerTransitions', { dimensions: { Source: s, State: 'open' }, label: `${s} breaker opened` }),
        ),
      ]),
      graph(
        'Stream lag',
        props.streams.map((s) =>
          s.processor.lambda.metric('IteratorAge', { period: MINUTE, statistic: 'Maximum', label: `${s.name} (ms)` }),
        ),
        {
          leftAnnotations: [{ value: ALARM_THRESHOLDS.streamIteratorAgeMs, label: 'alarm' }],
          right: [crestMetric('StreamRecordsApplied', { label: 'catalog changes applied' })],
        },
      ),
      graph(
        'Dead-letter queues',
        props.deadLetterQueues.map(({ name, queue }) =>
          queue.metricApproximateNumberOfMessagesVisible({ period: MINUTE, statistic: 'Maximum', label: name }),
        ),
      ),
    );
    dashboard.addWidgets(
      graph("Today's picks", [
        crestMetric('FeedPagesServed', { dimensions: { Kind: 'current' }, label: 'current pages' }),
        crestMetric('FeedPagesServed', { dimensions: { Kind: 'pinned' }, label: 'pinned pages' }),
        crestMetric('FeedPagesServed', { dimensions: { Kind: 'not-modified' }, label: '304' }),
        crestMetric('FeedDegradedAnswers', { label: 'degraded (503)' }),
      ]),
      ...(props.dax
        ? [
            graph('DAX', [daxMetric(props.dax, 'CPUUtilization', 'Average')], {
              leftAnnotations: [{ value: ALARM_THRESHOLDS.daxCpuPercent, label: 'CPU alarm' }],
              right: [daxMetric(props.dax, 'EvictedSize', 'Sum')],
            }),
          ]
        : []),
    );
    return dashboard;
  }
}

function daxMetric(dax: DaxCache, metricName: string, statistic: string): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: 'AWS/DAX',
    metricName,
    // DAX's ClusterId dimension is the cluster name, which is what the cluster's Ref returns.
    dimensionsMap: { ClusterId: dax.cluster.ref },
    statistic,
    period: MINUTE,
  });
}

const pascal = (name: string) => name.replace(/(^|-)([a-z])/g, (_, __, c: string) => c.toUpperCase());

/** Adds the topic as the ALARM and OK action of every CloudWatch alarm it visits (once each). */
class NotifyTopic implements IAspect {
  /** Aspects may visit a construct more than once (the CDK re-runs them until the tree is stable). */
  private readonly done = new WeakSet<cloudwatch.Alarm>();

  constructor(private readonly action: cloudwatch.IAlarmAction) {}

  visit(node: IConstruct): void {
    if (!(node instanceof cloudwatch.Alarm) || this.done.has(node)) return;
    this.done.add(node);
    node.addAlarmAction(this.action);
    node.addOkAction(this.action);
  }
}
