import { Duration } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Construct } from 'constructs';
import { DeadLetterQueue } from './building-blocks.js';
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
  readonly processorFunction: CrestFunction;
  readonly failures: DeadLetterQueue;

  constructor(scope: Construct, id: string, props: CacheInvalidationProps) {
    super(scope, id);
    this.failures = new DeadLetterQueue(this, 'Failures', {
      alarmDescription: 'Catalog stream records were given up on: caches may be stale until their TTL; inspect the failure queue.',
      runbook: 'catalog-stream-failures',
    });

    this.processorFunction = new CrestFunction(this, 'Processor', {
      name: 'catalog-stream',
      description: 'Catalog stream → DAX item cache refresh, sold-out flags, feed hook',
      memorySize: 512,
      timeout: Duration.seconds(30),
      dax: props.dax && { cache: props.dax, access: 'RW' },
    }).bindTable(props.catalog, ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'], 'CATALOG_TABLE');

    this.processorFunction.lambda.addEventSource(
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
