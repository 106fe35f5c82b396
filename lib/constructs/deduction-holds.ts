import { Duration } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq, SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Construct } from 'constructs';
import { DECIDED_STATUSES, REQUEST_ITEM_TYPE } from '../../lambdas/adapters/deduction-items.js';
import { DEDUCTION_EVENT_SOURCE } from '../../lambdas/domain/deductions/events.js';
import { CrestQueue, DeadLetterQueue } from './building-blocks.js';
import { CrestFunction } from './crest-function.js';

export interface DeductionHoldsProps {
  /** The deductions table, with its stream of new and old images. */
  deductions: dynamodb.ITable;
  catalog: dynamodb.ITable;
  /** Retention of the bus's archive, from which subscribers replay what they missed. */
  archiveRetention?: Duration;
}

/** The hold-expiry function's timeout; its queue's visibility timeout is 6× this. */
const EXPIRY_TIMEOUT = Duration.seconds(30);

/**
 * What happens after a deduction is decided, driven by the deductions table's stream (never by
 * the request path, so a committed transition is published at least once and publishing never
 * blocks or fails one):
 *
 * - `deduction-events` publishes every transition to an EventBridge bus (source
 *   `crest.deductions`, detail-type `Deduction <STATUS>`) for order and payment services, and for
 *   each new hold sends a delayed timer to the hold-expiry queue;
 * - `hold-expiry` drains the timers, sends early ones again (SQS delays at most 900 s) and expires
 *   due holds per SKU, one stock write per chunk of up to ~49 holds.
 *
 * The stream's filter lets only decided request items through, so the request records being
 * created and the consumer's limit markers never wake the function.
 */
export class DeductionHolds extends Construct {
  readonly bus: events.EventBus;
  readonly expiryQueue: CrestQueue;
  readonly expiryDeadLetters: DeadLetterQueue;
  /** Stream records the events function gave up on (after they left the stream). */
  readonly streamFailures: DeadLetterQueue;
  readonly eventsFunction: CrestFunction;
  readonly expiryFunction: CrestFunction;

  constructor(scope: Construct, id: string, props: DeductionHoldsProps) {
    super(scope, id);
    this.bus = new events.EventBus(this, 'Bus', { description: 'Crest: every deduction transition (source crest.deductions)' });
    // A subscriber that was down replays from here (StartReplay) instead of asking Crest.
    this.bus.archive('Archive', {
      description: 'Crest deduction events, for replay by subscribers',
      eventPattern: { source: [DEDUCTION_EVENT_SOURCE] },
      retention: props.archiveRetention ?? Duration.days(14),
    });

    this.expiryDeadLetters = new DeadLetterQueue(this, 'ExpiryDeadLetters', {
      alarmDescription: 'Hold-expiry timers are being dead-lettered: holds may stay HELD past their deadline; inspect and redrive',
    });
    this.expiryQueue = new CrestQueue(this, 'ExpiryQueue', {
      retentionPeriod: Duration.days(4),
      // ≥ 6 × the function timeout, as the SQS event source docs require.
      visibilityTimeout: Duration.seconds(6 * EXPIRY_TIMEOUT.toSeconds()),
      deadLetterQueue: { queue: this.expiryDeadLetters, maxReceiveCount: 5 },
    });
    this.streamFailures = new DeadLetterQueue(this, 'StreamFailures', {
      alarmDescription:
        'Deductions stream records left the stream unprocessed: their events were not published and their holds have no expiry timer; inspect',
    });

    this.eventsFunction = new CrestFunction(this, 'Events', {
      name: 'deduction-events',
      description: 'Deductions stream → EventBridge events for every transition; expiry timers for new holds',
      memorySize: 512,
      timeout: Duration.seconds(30),
    });
    this.bus.grantPutEventsTo(this.eventsFunction.lambda);
    this.eventsFunction.lambda.addEnvironment('DEDUCTION_EVENT_BUS', this.bus.eventBusName);
    this.expiryQueue.grantSendMessages(this.eventsFunction.lambda);
    this.eventsFunction.lambda.addEnvironment('HOLD_EXPIRY_QUEUE_URL', this.expiryQueue.queueUrl);
    this.eventsFunction.lambda.addEventSource(
      new DynamoEventSource(props.deductions, {
        // From the oldest record: a mapping created (or recreated) later still hears every
        // transition the stream holds; a duplicate event or timer is harmless.
        startingPosition: lambda.StartingPosition.TRIM_HORIZON,
        batchSize: 100,
        bisectBatchOnError: true,
        reportBatchItemFailures: true,
        // Retried until the records leave the stream (24 h): an EventBridge or SQS outage delays
        // events and timers, and loses none. Malformed records are skipped by the function.
        // Per-key order holds across the parallel batches of a shard.
        parallelizationFactor: 5,
        onFailure: new SqsDlq(this.streamFailures),
        filters: [
          lambda.FilterCriteria.filter({
            eventName: lambda.FilterRule.or('INSERT', 'MODIFY'),
            dynamodb: {
              NewImage: {
                type: { S: lambda.FilterRule.isEqual(REQUEST_ITEM_TYPE) },
                status: { S: lambda.FilterRule.or(...DECIDED_STATUSES) },
              },
            },
          }),
        ],
      }),
    );

    this.expiryFunction = new CrestFunction(this, 'Expiry', {
      name: 'hold-expiry',
      description: 'Expires holds whose timers fired: per-SKU coalesced stock returns, guarded by status and deadline',
      memorySize: 512,
      timeout: EXPIRY_TIMEOUT,
    })
      // Reads the stock item with the records; gives units back in the expiry transaction.
      .bindTable(props.catalog, ['dynamodb:GetItem', 'dynamodb:UpdateItem'], 'CATALOG_TABLE')
      .bindTable(props.deductions, ['dynamodb:BatchGetItem', 'dynamodb:UpdateItem'], 'DEDUCTIONS_TABLE');
    this.expiryQueue.grantSendMessages(this.expiryFunction.lambda);
    this.expiryFunction.lambda.addEnvironment('HOLD_EXPIRY_QUEUE_URL', this.expiryQueue.queueUrl);
    this.expiryFunction.lambda.addEventSource(
      new SqsEventSource(this.expiryQueue, {
        batchSize: 100,
        // Timers due together are expired together: one stock write per chunk of a SKU's holds.
        maxBatchingWindow: Duration.seconds(1),
        reportBatchItemFailures: true,
        // Few writers per hot SKU: fewer transactions cancelling each other.
        maxConcurrency: 2,
      }),
    );
  }
}
