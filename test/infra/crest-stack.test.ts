import { Match, type Template } from 'aws-cdk-lib/assertions';
import { afterEach, describe, expect, it } from 'vitest';
import { nagFindings, synth } from '../helpers/synth.js';

/** The three templates Crest ships: AWS with DAX (the default), AWS without DAX, LocalStack. */
const VARIANTS = {
  'dax=true': { dax: true },
  'dax=false': { dax: false },
  'target=localstack': { target: 'localstack' },
} as const;

/**
 * The methods anyone may call without a token. Every other method must carry the Cognito
 * authorizer: a route added without a decision fails here (and CrestApi.addRoute asks for one).
 */
const PUBLIC_METHODS = ['GET /v1/feeds/{feedId}', 'GET /v1/health', 'GET /v1/products/{sku}'];

/** `METHOD /path` of every API method, with its AuthorizationType and AuthorizerId. */
function methods(template: Template): Array<{ route: string; type: unknown; authorizer: unknown; apiKey: unknown }> {
  const resources = template.toJSON().Resources as Record<string, { Type: string; Properties: Record<string, unknown> }>;
  const pathOf = (ref: unknown): string => {
    const id = (ref as { Ref?: string }).Ref;
    const r = id ? resources[id] : undefined;
    return r ? `${pathOf(r.Properties.ParentId)}/${String(r.Properties.PathPart)}` : '';
  };
  return Object.values(resources)
    .filter((r) => r.Type === 'AWS::ApiGateway::Method')
    .map((m) => ({
      route: `${String(m.Properties.HttpMethod)} ${pathOf(m.Properties.ResourceId)}`,
      type: m.Properties.AuthorizationType,
      authorizer: m.Properties.AuthorizerId,
      apiKey: m.Properties.ApiKeyRequired,
    }));
}

/** Lambda proxy integrations: the logical id of the function each API method invokes. */
function integratedFunctions(template: Template): string[] {
  const ids = new Set<string>();
  for (const method of Object.values(template.findResources('AWS::ApiGateway::Method'))) {
    const uri = JSON.stringify(method.Properties.Integration?.Uri ?? {});
    for (const [, id] of uri.matchAll(/"Fn::GetAtt":\["([A-Za-z0-9]+)","Arn"\]/g)) if (id) ids.add(id);
  }
  return [...ids];
}

describe.each(Object.entries(VARIANTS))('Crest stack (%s)', (_name, context) => {
  const { template, annotations } = synth(context);

  it('passes cdk-nag AwsSolutions with every suppression justified', () => {
    expect(nagFindings(annotations)).toEqual([]);
  });

  it('guards every buyer and admin method with the user pool authorizer, and leaves public only the reads meant to be', () => {
    const [authorizerId, authorizer] = Object.entries(template.findResources('AWS::ApiGateway::Authorizer'))[0] ?? [];
    const all = methods(template);
    const open = all.filter((m) => m.type === 'NONE').map((m) => m.route);
    const guarded = all.filter((m) => m.type !== 'NONE');

    expect(authorizer?.Properties).toMatchObject({
      Type: 'COGNITO_USER_POOLS',
      IdentitySource: 'method.request.header.Authorization',
      ProviderARNs: [{ 'Fn::GetAtt': [expect.stringMatching(/^IdentityUsers/), 'Arn'] }],
    });
    expect(open.sort()).toEqual(PUBLIC_METHODS);
    expect(guarded.map((m) => m.route).sort()).toEqual([
      'GET /v1/admin/health',
      'GET /v1/deductions/{id}',
      'POST /v1/admin/feeds/{feedId}/versions',
      'POST /v1/deductions/{id}/cancel',
      'POST /v1/deductions/{id}/confirm',
      'POST /v1/products/{sku}/deductions',
      'PUT /v1/admin/feeds/{feedId}/degrade',
      'PUT /v1/admin/products/{sku}',
      'PUT /v1/admin/products/{sku}/price',
      'PUT /v1/admin/products/{sku}/stock',
    ]);
    for (const m of guarded) expect([m.route, m.type, m.authorizer]).toEqual([m.route, 'COGNITO_USER_POOLS', { Ref: authorizerId }]);
    expect(all.every((m) => m.apiKey !== true)).toBe(true);
    template.resourceCountIs('AWS::ApiGateway::ApiKey', 0);
    template.resourceCountIs('AWS::ApiGateway::UsagePlan', 0);
  });

  it('times out every function behind API Gateway before the 29 s integration timeout', () => {
    const ids = integratedFunctions(template);
    expect(ids).toHaveLength(6); // product-read, admin-api, feed-read, feed-admin, deductions-api, health-check
    const functions = template.findResources('AWS::Lambda::Function');
    for (const id of ids) {
      expect(functions[id]?.Properties.Timeout, id).toBeLessThan(29);
    }
  });

  it('retains every dead-letter queue, every table, the buckets, the user pool and the id secret when the stack is deleted', () => {
    const retained = (type: string) =>
      Object.entries(template.findResources(type)).map(([id, r]) => [id, r.DeletionPolicy, r.UpdateReplacePolicy]);
    const queues = Object.entries(template.findResources('AWS::SQS::Queue'));
    const deadLetterQueues = queues.filter(([id]) => /DeadLetters|Failures/.test(id));
    // Deductions, hold-expiry timers, the catalog stream's and the deductions stream's failures.
    expect(deadLetterQueues).toHaveLength(4);
    for (const [id, queue] of deadLetterQueues)
      expect([id, queue.DeletionPolicy, queue.UpdateReplacePolicy]).toEqual([id, 'Retain', 'Retain']);
    for (const [id, deletion, replace] of [
      ...retained('AWS::DynamoDB::Table'),
      ...retained('AWS::S3::Bucket'),
      ...retained('AWS::Cognito::UserPool'),
      ...retained('AWS::SecretsManager::Secret'),
    ]) {
      expect([id, deletion, replace]).toEqual([id, 'Retain', 'Retain']);
    }
  });
});

describe('Crest stack environment', () => {
  const saved = { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION };
  afterEach(() => {
    for (const [key, value] of [
      ['CDK_DEFAULT_ACCOUNT', saved.account],
      ['CDK_DEFAULT_REGION', saved.region],
    ] as const) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  });

  it('synthesizes the same template with and without credentials (no synth-time lookups)', () => {
    delete process.env.CDK_DEFAULT_ACCOUNT;
    delete process.env.CDK_DEFAULT_REGION;
    const anonymous = synth({ dax: true }).template.toJSON();
    // What the CDK CLI sets when it finds credentials.
    process.env.CDK_DEFAULT_ACCOUNT = '123456789012';
    process.env.CDK_DEFAULT_REGION = 'eu-west-1';
    const withCredentials = synth({ dax: true }).template.toJSON();

    expect(withCredentials).toEqual(anonymous);
  });

  it('spans the DAX VPC over three availability zones chosen by CloudFormation', () => {
    const { template } = synth({ dax: true });
    const azs = Object.values(template.findResources('AWS::EC2::Subnet')).map((s) => s.Properties.AvailabilityZone);
    expect(azs).toEqual([0, 1, 2].map((i) => ({ 'Fn::Select': [i, { 'Fn::GetAZs': '' }] })));
  });

  it('spans as many zones as daxAvailabilityZones asks for', () => {
    const { template } = synth({ dax: true, daxAvailabilityZones: 2 });
    template.resourceCountIs('AWS::EC2::Subnet', 2);
  });
});

describe('Crest stack with DAX (AWS default)', () => {
  const { template } = synth({ dax: true });

  it('runs a DAX cluster encrypted at rest and in transit in isolated subnets', () => {
    template.hasResourceProperties('AWS::DAX::Cluster', {
      SSESpecification: { SSEEnabled: true },
      ClusterEndpointEncryptionType: 'TLS',
    });
    template.resourceCountIs('AWS::EC2::NatGateway', 0);
    template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
      ServiceName: Match.objectLike({ 'Fn::Join': Match.arrayWith([Match.arrayWith([Match.stringLikeRegexp('dynamodb')])]) }),
      VpcEndpointType: 'Gateway',
    });
  });

  it('strips every rule from the VPC’s default security group', () => {
    template.resourceCountIs('Custom::VpcRestrictDefaultSG', 1);
    template.hasResourceProperties('Custom::VpcRestrictDefaultSG', {
      DefaultSecurityGroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('DaxVpc'), 'DefaultSecurityGroup'] },
    });
  });

  it('associates a WAF web ACL with the API stage', () => {
    template.resourceCountIs('AWS::WAFv2::WebACLAssociation', 1);
  });
});

describe('Crest stack without DAX (LocalStack)', () => {
  const { template } = synth({ dax: false, target: 'localstack' });

  it('has no DAX, no VPC and no WAF, and the reader reads DynamoDB directly', () => {
    template.resourceCountIs('AWS::DAX::Cluster', 0);
    template.resourceCountIs('AWS::EC2::VPC', 0);
    template.resourceCountIs('AWS::WAFv2::WebACL', 0);
    const fns = template.findResources('AWS::Lambda::Function', {
      Properties: { Description: Match.stringLikeRegexp('GET /v1/products') },
    });
    const [reader] = Object.values(fns);
    expect(reader?.Properties.VpcConfig).toBeUndefined();
    expect(reader?.Properties.Environment.Variables.DAX_ENDPOINT).toBeUndefined();
  });
});

describe('Crest stack shared settings', () => {
  const { template } = synth({ dax: false, apiThrottleRate: 123, apiThrottleBurst: 456 });

  it('runs every function on arm64 with the newest Node.js runtime, tracing and bundled code', () => {
    const fns = Object.values(template.findResources('AWS::Lambda::Function')).filter((f) => f.Properties.Handler === 'index.handler');
    expect(fns.length).toBeGreaterThan(0);
    for (const fn of fns) {
      expect(fn.Properties).toMatchObject({ Runtime: 'nodejs24.x', Architectures: ['arm64'], TracingConfig: { Mode: 'Active' } });
    }
  });

  it('keeps the catalog on demand, with PITR, encryption and a new-and-old-images stream', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true },
      StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
    });
  });

  it('sets stage throttling from context and writes access logs', () => {
    template.hasResourceProperties('AWS::ApiGateway::Stage', {
      MethodSettings: Match.arrayWith([Match.objectLike({ ThrottlingRateLimit: 123, ThrottlingBurstLimit: 456 })]),
      AccessLogSetting: Match.objectLike({ DestinationArn: Match.anyValue() }),
    });
  });

  it('gives each function a role without AWS managed policies', () => {
    const roles = template.findResources('AWS::IAM::Role', {
      Properties: { AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'lambda.amazonaws.com' } })] } },
    });
    for (const role of Object.values(roles)) expect(role.Properties.ManagedPolicyArns).toBeUndefined();
  });
});

describe('nagFindings', () => {
  it('reports an unsuppressed finding (so an empty list above means something)', async () => {
    const { App, Aspects, Stack } = await import('aws-cdk-lib');
    const { Annotations } = await import('aws-cdk-lib/assertions');
    const { Queue } = await import('aws-cdk-lib/aws-sqs');
    const { AwsSolutionsChecks } = await import('cdk-nag');
    const app = new App();
    const stack = new Stack(app, 'Planted');
    new Queue(stack, 'NoDlqNoSsl');
    Aspects.of(app).add(new AwsSolutionsChecks());
    app.synth();

    expect(nagFindings(Annotations.fromStack(stack))).toEqual(expect.arrayContaining([expect.stringMatching(/^AwsSolutions-SQS3/)]));
  });
});

describe('CatalogAdmin and CacheInvalidation', () => {
  const { template } = synth({ dax: true });

  it('filters the catalog stream to product items, bisects, bounds retries and age, and has an on-failure destination', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('CatalogTable'), 'StreamArn'] },
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 5,
      MaximumRecordAgeInSeconds: 3600,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      DestinationConfig: { OnFailure: { Destination: Match.anyValue() } },
      FilterCriteria: { Filters: [{ Pattern: Match.stringLikeRegexp('"S":\\["INFO","PRICE","STOCK"\\]') }] },
    });
  });

  it('alarms when a catalog stream record is given up on', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmDescription: Match.stringLikeRegexp('Catalog stream records were given up on'),
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('CacheInvalidationFailures'), 'QueueName'] } }],
    });
  });
});

describe('TodaysPicks', () => {
  const aws = synth({ dax: false }).template;
  const localstack = synth({ target: 'localstack' }).template;

  it('serves static copies from a private bucket through CloudFront with origin access control on AWS only', () => {
    aws.resourceCountIs('AWS::CloudFront::Distribution', 1);
    aws.resourceCountIs('AWS::CloudFront::OriginAccessControl', 1);
    localstack.resourceCountIs('AWS::CloudFront::Distribution', 0);
    aws.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      LoggingConfiguration: Match.objectLike({ LogFilePrefix: 's3/' }),
    });
  });

  it('keeps ACLs (ObjectWriter) only on the access-log bucket, which CloudFront standard logging writes with ACLs', () => {
    const buckets = Object.entries(aws.findResources('AWS::S3::Bucket'));
    const withAcls = buckets.filter(([, b]) => b.Properties.OwnershipControls?.Rules?.[0]?.ObjectOwnership === 'ObjectWriter');
    expect(withAcls.map(([id]) => id)).toEqual([expect.stringMatching(/AccessLogs/)]);
    for (const [, bucket] of buckets) expect(bucket.Properties.AccessControl).toBeUndefined();
    // S3 server access logs are delivered under a bucket policy, not the LogDeliveryWrite ACL.
    aws.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({ Principal: { Service: 'logging.s3.amazonaws.com' }, Action: 's3:PutObject' })]),
      },
    });
  });

  it('runs the feed scheduler every minute', () => {
    aws.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(1 minute)' });
  });

  it('prunes feed versions by TTL', () => {
    aws.hasResourceProperties('AWS::DynamoDB::Table', { TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true } });
  });
});
