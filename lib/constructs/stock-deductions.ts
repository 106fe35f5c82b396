import { Duration } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { crestTable, nonEmptyQueueAlarm } from './building-blocks.js';
import type { CrestApi } from './crest-api.js';
import { CrestFunction } from './crest-function.js';

export interface StockDeductionsProps {
  api: CrestApi;
  catalog: dynamodb.ITable;
  /** Reserved concurrency N of the consumer; the event source's maxConcurrency is N too. */
  concurrency: number;
  timeoutSeconds: number;
  maxReceiveCount: number;
  perUserLimit: number;
}

/**
 * Flash-sale stock deductions: POST /v1/deductions records the request and queues it (202); a
 * consumer with reserved concurrency N drains the queue in batches of up to 100, coalescing each
 * SKU into one conditional transaction per chunk. Queue-based peak shaving: the burst lands in
 * SQS, the hot stock item sees at most N writers.
 */
export class StockDeductions extends Construct {
  readonly table: dynamodb.Table;
  readonly queue: sqs.Queue;
  readonly deadLetters: sqs.Queue;
  readonly api: CrestFunction;
  readonly consumer: CrestFunction;

  constructor(scope: Construct, id: string, props: StockDeductionsProps) {
    super(scope, id);
    this.table = crestTable(this, 'Table', { timeToLiveAttribute: 'expiresAt' });

    this.deadLetters = new sqs.Queue(this, 'DeadLetters', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.queue = new sqs.Queue(this, 'Queue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(4),
      // ≥ 6 × the function timeout, as the SQS event source docs require, so a batch still being
      // worked on is not handed to a second consumer.
      visibilityTimeout: Duration.seconds(6 * props.timeoutSeconds),
      deadLetterQueue: { queue: this.deadLetters, maxReceiveCount: props.maxReceiveCount },
    });
    nonEmptyQueueAlarm(
      this,
      'DeadLettersAlarm',
      this.deadLetters,
      'Deduction messages are being dead-lettered: inspect the DLQ and redrive after fixing the cause',
    );

    this.api = new CrestFunction(this, 'Api', {
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
    this.queue.grantSendMessages(this.api.fn);
    this.api.fn.addEnvironment('DEDUCTIONS_QUEUE_URL', this.queue.queueUrl);

    this.consumer = new CrestFunction(this, 'Consumer', {
      name: 'deduction-consumer',
      description: 'Drains the deductions queue: per-SKU coalesced, exactly-once stock deductions',
      memorySize: 1024,
      timeout: Duration.seconds(props.timeoutSeconds),
      reservedConcurrency: props.concurrency,
      environment: { PER_USER_LIMIT: String(props.perUserLimit) },
    })
      .bindTable(props.catalog, ['dynamodb:GetItem', 'dynamodb:UpdateItem', 'dynamodb:ConditionCheckItem'], 'CATALOG_TABLE')
      .bindTable(
        this.table,
        ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:ConditionCheckItem'],
        'DEDUCTIONS_TABLE',
      );
    this.consumer.fn.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: 100,
        maxBatchingWindow: Duration.seconds(1),
        reportBatchItemFailures: true,
        // The SQS poller ignores reserved concurrency: without this cap it scales past N, the
        // excess invocations are throttled and their messages can end in the DLQ.
        maxConcurrency: Math.max(2, props.concurrency),
      }),
    );

    props.api.addRoute('POST', '/v1/deductions', this.api.fn, { requiredHeaders: ['Idempotency-Key'] });
    props.api.addRoute('GET', '/v1/deductions/{id}', this.api.fn);
    props.api.addRoute('POST', '/v1/deductions/{id}/cancel', this.api.fn);
  }
}
