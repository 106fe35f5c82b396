import { describe, expect, it } from 'vitest';
import { describeStack, findByHint, rateMs, stackIntrinsics } from '../../../lib/local/stack-description.js';
import { resolveIntrinsics } from '../../../lib/local/template.js';
import { fixtureTemplate } from './fixtures.js';

const stack = describeStack(fixtureTemplate(), { stackName: 'CrestTest', namePrefix: 't1-' });
const issued = {
  queueUrl: (id: string) => `http://127.0.0.1:9/000000000000/t1-${id}`,
  streamArn: (id: string) => `arn:aws:dynamodb:ddblocal:000000000000:table/t1-${id}/stream/1`,
};

describe('describeStack', () => {
  it('describes tables with keys, indexes, stream and TTL under prefixed names', () => {
    expect(stack.tables).toEqual([
      expect.objectContaining({
        logicalId: 'CatalogTable1',
        name: 't1-CatalogTable1',
        arn: 'arn:aws:dynamodb:us-east-1:000000000000:table/t1-CatalogTable1',
        streamViewType: 'NEW_AND_OLD_IMAGES',
        timeToLiveAttribute: 'expiresAt',
        globalSecondaryIndexes: [
          { indexName: 'bySk', keySchema: [{ AttributeName: 'sk', KeyType: 'HASH' }], projection: { ProjectionType: 'ALL' } },
        ],
      }),
    ]);
  });

  it('describes queues with their attributes and a redrive policy naming the DLQ by its local ARN', () => {
    const work = findByHint(stack.queues, 'WorkQueue');

    expect(work.deadLetterQueue).toBe('Dlq1');
    expect(work.attributes).toEqual({
      VisibilityTimeout: '180',
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: 'arn:aws:sqs:us-east-1:000000000000:t1-Dlq1', maxReceiveCount: 5 }),
    });
    expect(findByHint(stack.queues, 'Dlq').attributes).toEqual({ MessageRetentionPeriod: '1209600' });
  });

  it('lower-cases bucket names, as S3 requires', () => {
    expect(stack.buckets.map((b) => b.name)).toEqual(['t1-staticcopies1']);
  });

  it("hosts only Crest's bundled functions, with handler, asset, timeout, memory and reserved concurrency", () => {
    expect(stack.functions.map((f) => f.logicalId)).toEqual(['ReaderFn', 'ConsumerFn', 'StreamFn', 'SchedulerFn']);
    expect(findByHint(stack.functions, 'ReaderFn')).toMatchObject({
      handlerFile: 'index',
      handlerExport: 'handler',
      assetPath: 'asset.reader',
      timeoutSeconds: 10,
      memoryMb: 1024,
      reservedConcurrency: undefined,
    });
    expect(findByHint(stack.functions, 'ConsumerFn')).toMatchObject({ timeoutSeconds: 30, reservedConcurrency: 3 });
  });

  it('reads every Lambda proxy and MOCK method with its path, authorizer, required headers and body model, and the stage throttle', () => {
    expect(stack.api.routes).toEqual([
      {
        method: 'GET',
        resourcePath: '/v1/products/{sku}',
        segments: ['v1', 'products', '{sku}'],
        functionLogicalId: 'ReaderFn',
        requiredHeaders: [],
        requiredQuery: [],
        authorizer: undefined,
      },
      expect.objectContaining({
        method: 'PUT',
        requiredHeaders: ['Idempotency-Key'],
        bodyModel: {
          name: 'Quantity',
          schema: expect.objectContaining({ required: ['quantity'], additionalProperties: false }),
          appliesTo: 'json',
        },
        authorizer: { logicalId: 'Authorizer1', userPoolLogicalIds: ['Users1'], header: 'Authorization' },
      }),
      {
        method: 'GET',
        resourcePath: '/v1/health',
        segments: ['v1', 'health'],
        functionLogicalId: '',
        mock: { statusCode: 200, headers: { 'content-type': 'application/json', 'cache-control': 'no-store' }, body: '{"status":"ok"}' },
        requiredHeaders: [],
        requiredQuery: [],
      },
    ]);
    expect(stack.api.stage).toEqual({ stageName: 'live', rateLimit: 2000, burstLimit: 4000 });
  });

  it('caps an SQS mapping at min(maximum concurrency, reserved concurrency)', () => {
    expect(stack.queueMappings).toEqual([
      {
        queueLogicalId: 'WorkQueue1',
        functionLogicalId: 'ConsumerFn',
        batchSize: 100,
        windowMs: 1000,
        reportBatchItemFailures: true,
        concurrency: 3,
      },
    ]);
  });

  it('reads a stream mapping with its filters, retries, age limit and on-failure destination', () => {
    expect(stack.streamMappings).toEqual([
      {
        tableLogicalId: 'CatalogTable1',
        functionLogicalId: 'StreamFn',
        batchSize: 100,
        startingPosition: 'LATEST',
        bisectOnError: true,
        maxRetries: 5,
        maxRecordAgeMs: 3_600_000,
        reportBatchItemFailures: true,
        onFailureQueueLogicalId: 'Failures1',
        patterns: [{ eventName: ['INSERT', 'MODIFY'] }],
      },
    ]);
  });

  it('describes user pools with a Cognito-shaped pool id, their clients (ids stable per logical ID, token lifetimes) and groups', () => {
    const [pool] = stack.userPools;

    expect(stack.userPools).toHaveLength(1);
    expect(pool?.name).toMatch(/^us-east-1_[A-Za-z0-9]{9}$/);
    expect(pool?.arn).toBe(`arn:aws:cognito-idp:us-east-1:000000000000:userpool/${pool?.name}`);
    expect(pool?.groups).toEqual(['admins']);
    expect(pool?.clients).toEqual([
      {
        logicalId: 'UsersMobile1',
        clientId: expect.stringMatching(/^[a-z0-9]{26}$/),
        clientName: 'mobile',
        idTokenValiditySeconds: 3600,
        accessTokenValiditySeconds: 7200,
      },
      {
        logicalId: 'UsersOther1',
        clientId: expect.stringMatching(/^[a-z0-9]{26}$/),
        clientName: 'UsersOther1',
        idTokenValiditySeconds: 3600,
        accessTokenValiditySeconds: 3600,
      },
    ]);
    expect(describeStack(fixtureTemplate(), { stackName: 'CrestTest', namePrefix: 't1-' }).userPools).toEqual(stack.userPools);
    expect(describeStack(fixtureTemplate(), { stackName: 'CrestTest', namePrefix: 't2-' }).userPools[0]?.name).not.toBe(pool?.name);
  });

  it('describes secrets with how their value is generated', () => {
    expect(stack.secrets).toEqual([
      expect.objectContaining({
        logicalId: 'IdSecret1',
        arn: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:t1-IdSecret1',
        generate: expect.objectContaining({ length: 64, excludePunctuation: true, excludeNumbers: false }),
      }),
    ]);
  });

  it('describes event buses under prefixed names, with their local ARNs', () => {
    expect(stack.eventBuses).toEqual([
      { logicalId: 'Events1', name: 't1-Events1', arn: 'arn:aws:events:us-east-1:000000000000:event-bus/t1-Events1' },
    ]);
  });

  it('refuses a method it cannot guard as AWS does: an API key, or an authorizer that is not a Cognito user pool', () => {
    const withKey = fixtureTemplate();
    (withKey.Resources.ApiSkuGet?.Properties as Record<string, unknown>).ApiKeyRequired = true;
    const withLambdaAuthorizer = fixtureTemplate();
    Object.assign(withLambdaAuthorizer.Resources.Authorizer1?.Properties ?? {}, { Type: 'TOKEN' });

    expect(() => describeStack(withKey, { stackName: 'S' })).toThrow(/no API keys/);
    expect(() => describeStack(withLambdaAuthorizer, { stackName: 'S' })).toThrow(/Cognito user pool authorizers only/);
  });

  it('hosts rate() schedules and leaves cron() ones out', () => {
    expect(stack.schedules).toEqual([
      expect.objectContaining({ logicalId: 'EveryMinute1', periodMs: 60_000, targetFunctionIds: ['SchedulerFn'] }),
    ]);
  });

  it('is read-only', () => {
    expect(Object.isFrozen(stack)).toBe(true);
    expect(Object.isFrozen(stack.queues[0]?.attributes)).toBe(true);
    expect(() => (stack.tables as unknown[]).push({})).toThrow(TypeError);
  });

  it('refuses an event source it cannot host instead of guessing', () => {
    const template = fixtureTemplate();
    template.Resources.KinesisMapping = {
      Type: 'AWS::Lambda::EventSourceMapping',
      Properties: { EventSourceArn: 'arn:aws:kinesis:us-east-1:1:stream/x', FunctionName: { Ref: 'StreamFn' } },
    };

    expect(() => describeStack(template, { stackName: 'S' })).toThrow(/SQS and DynamoDB Streams sources only/);
  });
});

describe('stackIntrinsics', () => {
  const values = stackIntrinsics(stack, issued);

  it('resolves Ref and GetAtt to local names, ARNs and the URLs the emulators issued', () => {
    const env = resolveIntrinsics(findByHint(stack.functions, 'ReaderFn').environment, values);

    expect(env).toEqual({
      CATALOG_TABLE: 't1-CatalogTable1',
      QUEUE_URL: 'http://127.0.0.1:9/000000000000/t1-WorkQueue1',
      STACK: 'CrestTest',
      SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:t1-IdSecret1',
      CLIENT_ID: stack.userPools[0]?.clients[0]?.clientId,
    });
    expect(resolveIntrinsics({ Ref: 'Users1' }, values)).toBe(stack.userPools[0]?.name);
    expect(resolveIntrinsics({ Ref: 'Events1' }, values)).toBe('t1-Events1');
    expect(resolveIntrinsics({ 'Fn::GetAtt': ['Events1', 'Name'] }, values)).toBe('t1-Events1');
    expect(resolveIntrinsics({ 'Fn::GetAtt': ['Events1', 'Arn'] }, values)).toBe(stack.eventBuses[0]?.arn);
    expect(resolveIntrinsics({ 'Fn::GetAtt': ['CatalogTable1', 'StreamArn'] }, values)).toBe(issued.streamArn('CatalogTable1'));
    expect(resolveIntrinsics({ 'Fn::GetAtt': ['ConsumerFn', 'Arn'] }, values)).toBe(
      'arn:aws:lambda:us-east-1:000000000000:function:t1-ConsumerFn',
    );
  });

  it('fails on what it cannot resolve rather than guessing', () => {
    expect(() => resolveIntrinsics({ 'Fn::ImportValue': 'x' }, values)).toThrow(/cannot resolve Fn::ImportValue/);
    expect(() => resolveIntrinsics({ Ref: 'Nope' }, values)).toThrow(/Nope/);
  });
});

describe('rateMs', () => {
  it('reads EventBridge rate expressions and nothing else', () => {
    expect([rateMs('rate(1 minute)'), rateMs('rate(5 minutes)'), rateMs('rate(2 hours)'), rateMs('rate(1 day)')]).toEqual([
      60_000, 300_000, 7_200_000, 86_400_000,
    ]);
    expect(rateMs('cron(0 2 * * ? *)')).toBeUndefined();
  });
});
