import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { SUPERSEDED_TAG_KEY } from '../../lambdas/domain/feed/static-paths.js';
import type { DeployTarget } from '../context.js';
import { suppress } from '../nag.js';
import { CrestTable } from './building-blocks.js';
import type { CrestApi } from './crest-api.js';
import { CrestFunction } from './crest-function.js';

export interface TodaysPicksProps {
  api: CrestApi;
  catalog: dynamodb.ITable;
  target: DeployTarget;
  pageSize: number;
}

/**
 * Today's picks: versioned feeds in their own table (version claimed, pages written, then marked
 * complete; TTL pruning), static copies in S3 behind CloudFront for degraded mode, and a
 * once-a-minute scheduler that moves current.json and keeps the current version alive.
 */
export class TodaysPicks extends Construct {
  readonly table: dynamodb.Table;
  readonly bucket: s3.Bucket;
  readonly distribution?: cloudfront.Distribution;
  readonly staticBaseUrl: string;
  /** GET /v1/feeds/{feedId}. */
  readonly readerFunction: CrestFunction;
  /** POST /v1/admin/feeds/{feedId}/versions and PUT …/degrade. */
  readonly publisherFunction: CrestFunction;
  /** Every minute: moves current.json. */
  readonly schedulerFunction: CrestFunction;

  constructor(scope: Construct, id: string, props: TodaysPicksProps) {
    super(scope, id);
    this.table = new CrestTable(this, 'Table', { timeToLiveAttribute: 'expiresAt' });

    const logs = new s3.Bucket(this, 'AccessLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      // CloudFront standard logging writes with ACLs.
      objectOwnership: s3.ObjectOwnership.OBJECT_WRITER,
      lifecycleRules: [{ expiration: Duration.days(90) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    suppress(logs, 'S1', 'This is the access-log bucket of the static feed copies and their CDN; it does not log to itself.');
    this.bucket = new s3.Bucket(this, 'StaticCopies', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      serverAccessLogsBucket: logs,
      serverAccessLogsPrefix: 's3/',
      // Expire only what the scheduler has marked superseded (a version pruned after it stopped
      // being current): the current version's pages and every current.json are written once and
      // must outlive any age limit. See FeedUpkeep and S3StaticCopies.setSuperseded.
      lifecycleRules: [{ prefix: 'feeds/', tagFilters: { [SUPERSEDED_TAG_KEY]: 'true' }, expiration: Duration.days(2) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    if (props.target === 'aws') {
      this.distribution = new cloudfront.Distribution(this, 'Cdn', {
        comment: 'Crest static feed copies (degraded mode)',
        defaultBehavior: {
          origin: origins.S3BucketOrigin.withOriginAccessControl(this.bucket),
          viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
          cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
          allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
        },
        enableLogging: true,
        logBucket: logs,
        logFilePrefix: 'cdn/',
      });
      this.staticBaseUrl = `https://${this.distribution.distributionDomainName}`;
      suppress(this.distribution, 'CFR1', 'Today’s picks is public storefront content for every market: no geo restriction by design.');
      suppress(
        this.distribution,
        'CFR2',
        'Read-only static JSON; a CloudFront WAF must live in us-east-1 and is attached per account when needed.',
      );
      suppress(
        this.distribution,
        'CFR4',
        'Uses the default *.cloudfront.net certificate until a custom domain is attached (then TLSv1.2_2021 applies).',
      );
    } else {
      // LocalStack serves S3 path-style on its edge port; the local runtime overrides this URL.
      this.staticBaseUrl = `http://localhost.localstack.cloud:4566/${this.bucket.bucketName}`;
    }

    const env = {
      FEED_PAGE_SIZE: String(props.pageSize),
      FEEDS_STATIC_BASE_URL: this.staticBaseUrl,
    };
    this.readerFunction = new CrestFunction(this, 'Reader', {
      name: 'feed-read',
      description: 'GET /v1/feeds/{feedId}: pinned, immutable pages of versioned feeds',
      memorySize: 1024,
      environment: env,
    }).bindTable(this.table, ['dynamodb:GetItem', 'dynamodb:Query'], 'FEEDS_TABLE');

    this.publisherFunction = new CrestFunction(this, 'Admin', {
      name: 'feed-admin',
      description: 'POST /v1/admin/feeds/{feedId}/versions, PUT …/degrade: publish versions and static copies',
      memorySize: 1024,
      // A publish of 1,000 SKUs writes every page and its static copy: nearly all the time API
      // Gateway waits (INTEGRATION_TIMEOUT), with a margin so the function answers first.
      timeout: Duration.seconds(25),
      environment: { ...env, FEEDS_BUCKET: this.bucket.bucketName },
    })
      .bindTable(
        this.table,
        ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:Query', 'dynamodb:BatchWriteItem'],
        'FEEDS_TABLE',
      )
      .bindTable(props.catalog, ['dynamodb:Scan', 'dynamodb:BatchGetItem'], 'CATALOG_TABLE');
    this.bucket.grantPut(this.publisherFunction.lambda, 'feeds/*');

    this.schedulerFunction = new CrestFunction(this, 'Scheduler', {
      name: 'feed-scheduler',
      description: 'Every minute: move feeds/{feedId}/current.json to the current version and keep it from expiring',
      memorySize: 512,
      timeout: Duration.seconds(50),
      // The local runtime's S3 emulator has no object tagging (it would store the request as the object).
      environment: { ...env, FEEDS_BUCKET: this.bucket.bucketName, ...(props.target === 'local' ? { FEEDS_STATIC_TAGGING: 'off' } : {}) },
    }).bindTable(this.table, ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:UpdateItem'], 'FEEDS_TABLE');
    // grantPut includes s3:PutObjectTagging, which marks superseded pages for the lifecycle rule.
    this.bucket.grantPut(this.schedulerFunction.lambda, 'feeds/*');
    for (const fn of [this.publisherFunction, this.schedulerFunction]) {
      suppress(fn.role, 'IAM5', 'Writes static copies under the feeds/ prefix of its own bucket only (feeds/*).', [
        { regex: `/^Resource::<${Stack.of(this).getLogicalId(this.bucket.node.defaultChild as s3.CfnBucket)}.Arn>\\/feeds\\/\\*$/g` },
        'Action::s3:Abort*',
      ]);
    }

    new events.Rule(this, 'EveryMinute', {
      description: 'Crest feed scheduler',
      schedule: events.Schedule.rate(Duration.minutes(1)),
      targets: [new targets.LambdaFunction(this.schedulerFunction.lambda, { retryAttempts: 2 })],
    });

    props.api.addRoute('GET', '/v1/feeds/{feedId}', this.readerFunction, { access: 'public' });
    props.api.addRoute('POST', '/v1/admin/feeds/{feedId}/versions', this.publisherFunction, { access: 'admin' });
    props.api.addRoute('PUT', '/v1/admin/feeds/{feedId}/degrade', this.publisherFunction, { access: 'admin' });
  }
}
