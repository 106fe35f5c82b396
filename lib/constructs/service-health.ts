import { Lazy, Stack } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { HealthTargets } from '../../lambdas/domain/health/check.js';
import type { CrestApi } from './crest-api.js';
import { CrestFunction } from './crest-function.js';

export interface ServiceHealthProps {
  api: CrestApi;
}

type Targets = { -readonly [K in keyof HealthTargets]: Array<HealthTargets[K][number]> };

/**
 * Health, twice:
 * - `GET /v1/health`: shallow, anonymous and cheap. API Gateway answers it itself (a MOCK
 *   integration: no function, no dependency call), so it says the API is up and costs nothing
 *   behind the gateway however often load balancers and uptime checks call it.
 * - `GET /v1/admin/health`: the deep check for operators (admin route): every watched table,
 *   queue, dead-letter queue, bucket and stream processor, each with its status and latency
 *   (lambdas/domain/health/check.ts).
 *
 * The stack registers what to watch with `watch*`, which grants the check its one read on the
 * resource and names it in the function's HEALTH_TARGETS together, so the two cannot drift.
 */
export class ServiceHealth extends Construct {
  readonly checkFunction: CrestFunction;
  private readonly targets: Targets = { tables: [], queues: [], deadLetterQueues: [], buckets: [], streams: [] };
  private readonly readableTables = new Set<dynamodb.ITable>();

  constructor(scope: Construct, id: string, props: ServiceHealthProps) {
    super(scope, id);
    props.api.addMockRoute('GET', '/v1/health', { body: { status: 'ok' }, headers: { 'Cache-Control': 'no-store' } });

    this.checkFunction = new CrestFunction(this, 'Check', {
      name: 'health-check',
      description: 'GET /v1/admin/health: tables, queues, dead-letter queues, bucket and stream lag, each with status and latency',
      memorySize: 256,
      environment: { HEALTH_TARGETS: Lazy.string({ produce: () => Stack.of(this).toJsonString(this.targets) }) },
    });
    props.api.addRoute('GET', '/v1/admin/health', this.checkFunction, { access: 'admin' });
  }

  /** The table answers a read (of a key no item uses). */
  watchTable(name: string, table: dynamodb.ITable): this {
    this.allowRead(table);
    this.targets.tables.push({ name, table: table.tableName });
    return this;
  }

  /** The queue's depth (visible, in flight, delayed) is reported. */
  watchQueue(name: string, queue: sqs.IQueue): this {
    queue.grant(this.checkFunction.lambda, 'sqs:GetQueueAttributes');
    this.targets.queues.push({ name, url: queue.queueUrl });
    return this;
  }

  /** Degraded while the queue holds any message. */
  watchDeadLetterQueue(name: string, queue: sqs.IQueue): this {
    queue.grant(this.checkFunction.lambda, 'sqs:GetQueueAttributes');
    this.targets.deadLetterQueues.push({ name, url: queue.queueUrl });
    return this;
  }

  /** The bucket exists and answers (HeadBucket, which needs s3:ListBucket on the bucket alone). */
  watchBucket(name: string, bucket: s3.IBucket): this {
    this.checkFunction.role.addToPolicy(new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [bucket.bucketArn] }));
    this.targets.buckets.push({ name, bucket: bucket.bucketName });
    return this;
  }

  /** A stream processor's lag, from the heartbeat it keeps in `table` (the table whose stream it reads). */
  watchStream(processor: string, table: dynamodb.ITable): this {
    this.allowRead(table);
    this.targets.streams.push({ name: processor, table: table.tableName });
    return this;
  }

  private allowRead(table: dynamodb.ITable): void {
    if (this.readableTables.has(table)) return;
    this.readableTables.add(table);
    table.grant(this.checkFunction.lambda, 'dynamodb:GetItem');
  }
}
