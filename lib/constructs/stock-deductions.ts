import { Duration } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Construct } from 'constructs';
import { CrestQueue, CrestTable, DeadLetterQueue } from './building-blocks.js';
import type { CrestApi } from './crest-api.js';
import { CrestFunction } from './crest-function.js';

export interface StockDeductionsProps {
  api: CrestApi;
  catalog: dynamodb.ITable;
  /** The most consumers running at once (the event source's MaximumConcurrency; 2 or more). */
  concurrency: number;
  /** Also reserve `concurrency` for the consumer (needs an account quota of 100 + concurrency). */
  reserveConcurrency: boolean;
  timeoutSeconds: number;
  maxReceiveCount: number;
  perUserLimit: number;
}

/**
 * Flash-sale stock deductions: POST /v1/deductions records the request and queues it (202); a
 * consumer capped at N concurrent invocations drains the queue in batches of up to 100,
 * coalescing each SKU into one conditional transaction per chunk. Queue-based peak shaving: the
 * burst lands in SQS, the hot stock item sees at most N writers.
 */
export class StockDeductions extends Construct {
  readonly table: dynamodb.Table;
  readonly queue: CrestQueue;
  readonly deadLetters: DeadLetterQueue;
  /** POST /v1/deductions, GET /v1/deductions/{id}, POST /v1/deductions/{id}/cancel. */
  readonly ingestFunction: CrestFunction;
  /** Drains the queue. */
  readonly consumerFunction: CrestFunction;

  constructor(scope: Construct, id: string, props: StockDeductionsProps) {
    super(scope, id);
    this.table = new CrestTable(this, 'Table', { timeToLiveAttribute: 'expiresAt' });

    this.deadLetters = new DeadLetterQueue(this, 'DeadLetters', {
      alarmDescription: 'Deduction messages are being dead-lettered: inspect the DLQ and redrive after fixing the cause.',
      runbook: 'deductions-dlq',
    });
    this.queue = new CrestQueue(this, 'Queue', {
      retentionPeriod: Duration.days(4),
      // ≥ 6 × the function timeout, as the SQS event source docs require, so a batch still being
      // worked on is not handed to a second consumer.
      visibilityTimeout: Duration.seconds(6 * props.timeoutSeconds),
      deadLetterQueue: { queue: this.deadLetters, maxReceiveCount: props.maxReceiveCount },
    });

    this.ingestFunction = new CrestFunction(this, 'Api', {
      name: 'deductions-api',
      description: 'POST /v1/deductions (202 + queue), GET /v1/deductions/{id}, POST /v1/deductions/{id}/cancel',
      memorySize: 1024,
    })
      // Reads stock for the sold-out fast path; cancel puts stock back in a transaction.
      .bindTable(props.catalog, ['dynamodb:GetItem', 'dynamodb:UpdateItem', 'dynamodb:ConditionCheckItem'], 'CATALOG_TABLE')
      .bindTable(
        this.table,
        ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:ConditionCheckItem'],
        'DEDUCTIONS_TABLE',
      );
    this.queue.grantSendMessages(this.ingestFunction.lambda);
    this.ingestFunction.lambda.addEnvironment('DEDUCTIONS_QUEUE_URL', this.queue.queueUrl);

    this.consumerFunction = new CrestFunction(this, 'Consumer', {
      name: 'deduction-consumer',
      description: 'Drains the deductions queue: per-SKU coalesced, exactly-once stock deductions',
      memorySize: 1024,
      timeout: Duration.seconds(props.timeoutSeconds),
      // Optional: reserving guarantees the consumer its N, but AWS refuses it when it would leave
      // the account fewer than 100 unreserved executions (new accounts have a quota of 10 or 50).
      reservedConcurrency: props.reserveConcurrency ? props.concurrency : undefined,
      environment: { PER_USER_LIMIT: String(props.perUserLimit) },
    })
      .bindTable(props.catalog, ['dynamodb:GetItem', 'dynamodb:UpdateItem', 'dynamodb:ConditionCheckItem'], 'CATALOG_TABLE')
      .bindTable(
        this.table,
        ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:ConditionCheckItem'],
        'DEDUCTIONS_TABLE',
      );
    this.consumerFunction.lambda.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: 100,
        maxBatchingWindow: Duration.seconds(1),
        reportBatchItemFailures: true,
        // The cap on the consumer, reserved or not: the SQS poller ignores reserved concurrency,
        // so without this it would scale past N and the throttled excess could reach the DLQ.
        maxConcurrency: props.concurrency,
      }),
    );

    props.api.addRoute('POST', '/v1/deductions', this.ingestFunction, { requiredHeaders: ['Idempotency-Key'] });
    props.api.addRoute('GET', '/v1/deductions/{id}', this.ingestFunction);
    props.api.addRoute('POST', '/v1/deductions/{id}/cancel', this.ingestFunction);
  }
}
