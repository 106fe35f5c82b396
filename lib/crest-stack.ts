import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { BuyerIdentity } from './constructs/buyer-identity.js';
import { CacheInvalidation } from './constructs/cache-invalidation.js';
import { CatalogAdmin } from './constructs/catalog-admin.js';
import { CatalogTable } from './constructs/catalog-table.js';
import { CrestApi } from './constructs/crest-api.js';
import { DaxCache } from './constructs/dax-cache.js';
import { DeductionHolds } from './constructs/deduction-holds.js';
import { NaiveDeductions } from './constructs/naive-deductions.js';
import { Observability } from './constructs/observability.js';
import { ProductReads } from './constructs/product-reads.js';
import { ServiceHealth } from './constructs/service-health.js';
import { StockDeductions } from './constructs/stock-deductions.js';
import { TodaysPicks } from './constructs/todays-picks.js';
import { type CrestSettings, readSettings } from './context.js';

/**
 * Crest: one stack composing one construct per capability. The same template deploys to AWS
 * (dax=true by default), to LocalStack (target=localstack: no DAX, no WAF) and is hosted by the
 * local runtime (target=local).
 */
export class CrestStack extends Stack {
  readonly settings: CrestSettings;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    this.settings = readSettings(this.node);
    const settings = this.settings;

    const catalog = new CatalogTable(this, 'Catalog').table;
    const dax = settings.dax
      ? new DaxCache(this, 'Dax', {
          table: catalog,
          nodeType: settings.daxNodeType,
          replicationFactor: settings.daxReplicationFactor,
          availabilityZones: settings.daxAvailabilityZones,
          itemTtl: Duration.minutes(1),
          queryTtl: Duration.minutes(1),
        })
      : undefined;
    const identity = new BuyerIdentity(this, 'Identity');
    const api = new CrestApi(this, 'Http', {
      throttleRate: settings.apiThrottleRate,
      throttleBurst: settings.apiThrottleBurst,
      waf: settings.waf,
      identity,
      buyerRateLimit: settings.buyerRateLimit,
      corsAllowedOrigins: settings.corsAllowedOrigins,
    });
    new ProductReads(this, 'ProductReads', { api, catalog, dax });
    new CatalogAdmin(this, 'CatalogAdmin', { api, catalog });
    const invalidation = new CacheInvalidation(this, 'CacheInvalidation', { catalog, dax });
    const picks = new TodaysPicks(this, 'TodaysPicks', {
      api,
      catalog,
      target: settings.target,
      pageSize: settings.feedPageSize,
    });
    const deductions = new StockDeductions(this, 'StockDeductions', {
      api,
      catalog,
      concurrency: settings.deductionConcurrency,
      reserveConcurrency: settings.deductionReservedConcurrency,
      timeoutSeconds: settings.deductionTimeoutSeconds,
      maxReceiveCount: settings.deductionMaxReceiveCount,
      perUserLimit: settings.perUserLimit,
      holdSeconds: settings.holdSeconds,
    });
    const holds = new DeductionHolds(this, 'DeductionHolds', { deductions: deductions.table, catalog });

    new ServiceHealth(this, 'Health', { api })
      .watchTable('catalog', catalog)
      .watchTable('deductions', deductions.table)
      .watchTable('feeds', picks.table)
      .watchQueue('deductions', deductions.queue)
      .watchDeadLetterQueue('deductions-dlq', deductions.deadLetters)
      .watchDeadLetterQueue('catalog-stream-failures', invalidation.failures)
      .watchQueue('hold-expiry', holds.expiryQueue)
      .watchDeadLetterQueue('hold-expiry-dlq', holds.expiryDeadLetters)
      .watchDeadLetterQueue('deduction-events-failures', holds.streamFailures)
      .watchBucket('feed-static-copies', picks.bucket)
      .watchStream('catalog-stream', catalog);
    const observability = new Observability(this, 'Observability', {
      alarmEmail: settings.alarmEmail,
      api,
      deductions: {
        queue: deductions.queue,
        deadLetters: deductions.deadLetters,
        consumer: deductions.consumerFunction,
        concurrency: settings.deductionConcurrency,
      },
      streams: [
        { name: 'catalog-stream', processor: invalidation.processorFunction, failures: invalidation.failures },
        { name: 'deduction-events', processor: holds.eventsFunction, failures: holds.streamFailures },
      ],
      deadLetterQueues: [
        { name: 'deductions DLQ', queue: deductions.deadLetters },
        { name: 'catalog-stream failures', queue: invalidation.failures },
        { name: 'hold-expiry DLQ', queue: holds.expiryDeadLetters },
        { name: 'deduction-events failures', queue: holds.streamFailures },
      ],
      dax,
    });

    if (settings.benchBaseline) new NaiveDeductions(this, 'BenchNaiveDeductions', { api, catalog });

    new CfnOutput(this, 'ApiUrl', { value: api.restApi.url });
    new CfnOutput(this, 'CatalogTableName', { value: catalog.tableName });
    new CfnOutput(this, 'DeductionsDlqUrl', { value: deductions.deadLetters.queueUrl });
    new CfnOutput(this, 'CatalogStreamFailuresUrl', { value: invalidation.failures.queueUrl });
    new CfnOutput(this, 'DeductionEventBusName', { value: holds.bus.eventBusName });
    new CfnOutput(this, 'DeductionEventBusArn', { value: holds.bus.eventBusArn });
    new CfnOutput(this, 'FeedsStaticBaseUrl', { value: picks.staticBaseUrl });
    new CfnOutput(this, 'UserPoolId', { value: identity.userPool.userPoolId });
    new CfnOutput(this, 'MobileClientId', { value: identity.mobileClient.userPoolClientId });
    new CfnOutput(this, 'BackOfficeClientId', { value: identity.backOfficeClient.userPoolClientId });
    if (dax) new CfnOutput(this, 'DaxEndpoint', { value: dax.discoveryEndpoint });
    new CfnOutput(this, 'AlarmTopicArn', { value: observability.topic.topicArn });
    new CfnOutput(this, 'DashboardName', { value: observability.dashboard.dashboardName });
  }
}
