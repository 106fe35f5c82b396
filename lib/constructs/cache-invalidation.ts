import { Duration } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { suppress } from '../nag.js';
import { nonEmptyQueueAlarm } from './building-blocks.js';
import { CrestFunction } from './crest-function.js';
import type { DaxCache } from './dax-cache.js';

export interface CacheInvalidationProps {
  catalog: dynamodb.ITable;
  dax?: DaxCache;
}

/**
 * The catalog stream processor: every INFO/PRICE/STOCK change refreshes the DAX item cache
 * (write-through of the newest image), the sold-out flags and the feed hook. Bisects failing
 * batches, retries a bounded number of times, drops records older than an hour, and sends what
 * it gives up on to an on-failure queue (with an alarm).
 */
export class CacheInvalidation extends Construct {
  readonly fn: CrestFunction;
  readonly failures: sqs.Queue;

  constructor(scope: Construct, id: string, props: CacheInvalidationProps) {
    super(scope, id);
    this.failures = new sqs.Queue(this, 'Failures', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    suppress(this.failures, 'SQS3', 'This queue is itself the on-failure destination of the catalog stream mapping (a dead-letter queue).');
    nonEmptyQueueAlarm(
      this,
      'FailuresAlarm',
      this.failures,
      'Catalog stream records were given up on: caches may be stale until their TTL; inspect the failure queue',
    );

    this.fn = new CrestFunction(this, 'Processor', {
      name: 'catalog-stream',
      description: 'Catalog stream → DAX item cache refresh, sold-out flags, feed hook',
      memorySize: 512,
      timeout: Duration.seconds(30),
      ...(props.dax ? { vpc: props.dax.functionVpcConfig } : {}),
    }).bindTable(props.catalog, ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'], 'CATALOG_TABLE');
    props.dax?.grant(this.fn, 'RW');

    this.fn.fn.addEventSource(
      new DynamoEventSource(props.catalog, {
        startingPosition: lambda.StartingPosition.LATEST,
        batchSize: 100,
        bisectBatchOnError: true,
        retryAttempts: 5,
        maxRecordAge: Duration.hours(1),
        reportBatchItemFailures: true,
        parallelizationFactor: 1,
        onFailure: new SqsDlq(this.failures),
        // Only product data wakes the processor: flags, feed items and deletes do not.
        filters: [
          lambda.FilterCriteria.filter({
            eventName: lambda.FilterRule.or('INSERT', 'MODIFY'),
            dynamodb: { NewImage: { type: { S: lambda.FilterRule.or('INFO', 'PRICE', 'STOCK') } } },
          }),
        ],
      }),
    );
  }
}
