import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { nagFindings, synth } from '../helpers/synth.js';

describe('Crest stack with DAX (AWS default)', () => {
  const { template, annotations } = synth({ dax: true });

  it('passes cdk-nag AwsSolutions with every suppression justified', () => {
    expect(nagFindings(annotations)).toEqual([]);
  });

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

  it('puts the product reader in the VPC with DAX_ENDPOINT set', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('GET /v1/products'),
      VpcConfig: Match.objectLike({ SubnetIds: Match.anyValue() }),
      Environment: { Variables: Match.objectLike({ DAX_ENDPOINT: Match.anyValue(), CATALOG_TABLE: Match.anyValue() }) },
    });
  });

  it('associates a WAF web ACL with the API stage', () => {
    template.resourceCountIs('AWS::WAFv2::WebACLAssociation', 1);
  });
});

describe('Crest stack without DAX (LocalStack)', () => {
  const { template, annotations } = synth({ dax: false, target: 'localstack' });

  it('passes cdk-nag AwsSolutions', () => {
    expect(nagFindings(annotations)).toEqual([]);
  });

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

  it('answers gateway-level errors in the Crest error shape', () => {
    template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
      ResponseType: 'MISSING_AUTHENTICATION_TOKEN',
      StatusCode: '404',
      ResponseTemplates: { 'application/json': Match.stringLikeRegexp('ROUTE_NOT_FOUND') },
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

describe('StockDeductions', () => {
  const { template } = synth({ dax: false, deductionConcurrency: 7, deductionTimeoutSeconds: 20, deductionMaxReceiveCount: 4 });

  it('caps the SQS event source at the consumer’s reserved concurrency, with partial batch responses', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('Drains the deductions queue'),
      ReservedConcurrentExecutions: 7,
      Timeout: 20,
    });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      BatchSize: 100,
      MaximumBatchingWindowInSeconds: 1,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 7 },
    });
  });

  it('sets the visibility timeout to 6 × the function timeout and redrives to an encrypted DLQ', () => {
    template.hasResourceProperties('AWS::SQS::Queue', {
      VisibilityTimeout: 120,
      SqsManagedSseEnabled: true,
      RedrivePolicy: { deadLetterTargetArn: Match.anyValue(), maxReceiveCount: 4 },
    });
  });

  it('alarms when anything reaches the dead-letter queue', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
  });

  it('keeps deduction records on a TTL so unconfirmed requests expire', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', { TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true } });
  });

  it('requires the Idempotency-Key header on POST /v1/deductions at the gateway', () => {
    template.hasResourceProperties('AWS::ApiGateway::Method', {
      HttpMethod: 'POST',
      RequestParameters: { 'method.request.header.Idempotency-Key': true },
    });
  });
});

describe('CatalogAdmin and CacheInvalidation', () => {
  const { template } = synth({ dax: true });

  it('requires an API key on every admin route, through a usage plan on the stage', () => {
    const methods = Object.values(template.findResources('AWS::ApiGateway::Method', { Properties: { HttpMethod: 'PUT' } }));
    expect(methods).toHaveLength(4);
    for (const m of methods) expect(m.Properties.ApiKeyRequired).toBe(true);
    template.resourceCountIs('AWS::ApiGateway::ApiKey', 1);
    template.hasResourceProperties('AWS::ApiGateway::UsagePlan', {
      ApiStages: Match.arrayWith([Match.objectLike({ Stage: Match.anyValue() })]),
    });
  });

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

  it('lets the stream processor write through DAX (to refresh the item cache) from inside the VPC', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('Catalog stream'),
      VpcConfig: Match.anyValue(),
      Environment: { Variables: Match.objectLike({ DAX_ENDPOINT: Match.anyValue() }) },
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: Match.arrayWith(['dax:PutItem']) })]) },
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

  it('runs the feed scheduler every minute', () => {
    aws.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(1 minute)' });
  });

  it('prunes feed versions by TTL', () => {
    aws.hasResourceProperties('AWS::DynamoDB::Table', { TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true } });
  });
});
