import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { suppress } from '../nag.js';

export interface CrestTableProps {
  /** Items with this epoch-seconds attribute expire (DynamoDB TTL). */
  timeToLiveAttribute?: string;
  stream?: dynamodb.StreamViewType;
}

/**
 * Every Crest table: pk/sk strings, on demand, point-in-time recovery, AWS-managed encryption,
 * retained on stack deletion. A table's item shapes live in its adapter module under
 * lambdas/adapters/, not here.
 */
export class CrestTable extends dynamodb.Table {
  constructor(scope: Construct, id: string, props: CrestTableProps = {}) {
    super(scope, id, {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      removalPolicy: RemovalPolicy.RETAIN,
      timeToLiveAttribute: props.timeToLiveAttribute,
      stream: props.stream,
    });
  }
}

export interface CrestQueueProps {
  retentionPeriod: Duration;
  visibilityTimeout?: Duration;
  deadLetterQueue?: sqs.DeadLetterQueue;
  removalPolicy?: RemovalPolicy;
}

/** Every Crest queue: SQS-managed encryption at rest and TLS-only access. */
export class CrestQueue extends sqs.Queue {
  constructor(scope: Construct, id: string, props: CrestQueueProps) {
    super(scope, id, {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: props.retentionPeriod,
      visibilityTimeout: props.visibilityTimeout,
      deadLetterQueue: props.deadLetterQueue,
      removalPolicy: props.removalPolicy,
    });
  }
}

/** docs/runbook.md: one section per alarm, named by the alarm's `runbook` anchor. */
export const RUNBOOK = 'docs/runbook.md';

export interface CrestAlarmProps {
  /** What it means when it fires, in a sentence an on-call engineer reads first. */
  meaning: string;
  /** The section of docs/runbook.md (its anchor) with the first three things to check or do. */
  runbook: string;
  metric: cloudwatch.IMetric;
  threshold: number;
  /** Default: greater than or equal to the threshold. */
  comparisonOperator?: cloudwatch.ComparisonOperator;
  /** Periods looked at (default 1) and how many of them must breach (default all). */
  evaluationPeriods?: number;
  datapointsToAlarm?: number;
}

/**
 * Every Crest alarm: its description says what it means and where the runbook section is, and
 * missing data never alarms (a quiet queue or an idle stream is not an incident). Its actions are
 * added by Observability, which notifies the alarm topic of every alarm in the stack.
 */
export class CrestAlarm extends cloudwatch.Alarm {
  readonly runbook: string;

  constructor(scope: Construct, id: string, props: CrestAlarmProps) {
    super(scope, id, {
      alarmDescription: `${props.meaning} Runbook: ${RUNBOOK}#${props.runbook}`,
      metric: props.metric,
      threshold: props.threshold,
      comparisonOperator: props.comparisonOperator ?? cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: props.evaluationPeriods ?? 1,
      datapointsToAlarm: props.datapointsToAlarm,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.runbook = props.runbook;
  }
}

/**
 * Where Crest puts what it gave up on (a dead-letter or on-failure queue): kept 14 days (the SQS
 * maximum), retained when the stack is deleted (its messages are the evidence and the redrive
 * source), and alarmed as soon as anything arrives.
 */
export class DeadLetterQueue extends CrestQueue {
  readonly alarm: CrestAlarm;

  /**
   * @param alarmDescription what arriving messages mean and what to do about them
   * @param runbook its section of docs/runbook.md (default: the section every dead-letter queue shares)
   */
  constructor(scope: Construct, id: string, props: { alarmDescription: string; runbook?: string }) {
    super(scope, id, { retentionPeriod: Duration.days(14), removalPolicy: RemovalPolicy.RETAIN });
    suppress(this, 'SQS3', 'This queue is itself a dead-letter (or on-failure) queue.');
    this.alarm = new CrestAlarm(scope, `${id}Alarm`, {
      meaning: props.alarmDescription,
      runbook: props.runbook ?? 'dead-letter-queue',
      metric: this.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' }),
      threshold: 1,
    });
  }
}
