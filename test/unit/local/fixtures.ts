import type { UserPoolDescription } from '../../../lib/local/stack-description.js';
import type { CfnTemplate } from '../../../lib/local/template.js';

/** A user pool as describeStack gives it: a mobile client (1 h ID tokens) and a back-office one (15 min), and an admins group. */
export function fixturePool(): UserPoolDescription {
  return {
    logicalId: 'Users',
    name: 'us-east-1_Test00001',
    arn: 'arn:aws:cognito-idp:us-east-1:000000000000:userpool/us-east-1_Test00001',
    clients: [
      {
        logicalId: 'Mobile',
        clientId: 'mobileclient00000000000000',
        clientName: 'mobile',
        idTokenValiditySeconds: 3600,
        accessTokenValiditySeconds: 7200,
      },
      {
        logicalId: 'Office',
        clientId: 'officeclient00000000000000',
        clientName: 'back-office',
        idTokenValiditySeconds: 900,
        accessTokenValiditySeconds: 900,
      },
    ],
    groups: ['admins'],
  };
}

const fnArn = (id: string) => ({ 'Fn::GetAtt': [id, 'Arn'] });
// The asset bucket is a Fn::Sub in real templates: the local runtime must never need to resolve it.
// biome-ignore lint/suspicious/noTemplateCurlyInString: a CloudFormation Fn::Sub placeholder, not a JavaScript template.
const ASSET_BUCKET = { 'Fn::Sub': 'assets-${AWS::Region}' };
const crestFunction = (asset: string, props: Record<string, unknown> = {}) => ({
  Type: 'AWS::Lambda::Function',
  Properties: { Handler: 'index.handler', Runtime: 'nodejs24.x', Code: { S3Bucket: ASSET_BUCKET }, ...props },
  Metadata: { 'aws:asset:path': asset },
});

/** A small template with one of everything the local runtime hosts, shaped as `cdk synth` writes it. */
export function fixtureTemplate(): CfnTemplate {
  return {
    Resources: {
      CatalogTable1: {
        Type: 'AWS::DynamoDB::Table',
        Properties: {
          KeySchema: [
            { AttributeName: 'pk', KeyType: 'HASH' },
            { AttributeName: 'sk', KeyType: 'RANGE' },
          ],
          AttributeDefinitions: [
            { AttributeName: 'pk', AttributeType: 'S' },
            { AttributeName: 'sk', AttributeType: 'S' },
          ],
          GlobalSecondaryIndexes: [
            { IndexName: 'bySk', KeySchema: [{ AttributeName: 'sk', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } },
          ],
          StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
          TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
        },
      },
      Dlq1: { Type: 'AWS::SQS::Queue', Properties: { MessageRetentionPeriod: 1209600, SqsManagedSseEnabled: true } },
      WorkQueue1: {
        Type: 'AWS::SQS::Queue',
        Properties: { VisibilityTimeout: 180, RedrivePolicy: { deadLetterTargetArn: fnArn('Dlq1'), maxReceiveCount: 5 } },
      },
      Failures1: { Type: 'AWS::SQS::Queue', Properties: {} },
      StaticCopies1: { Type: 'AWS::S3::Bucket', Properties: {} },
      ReaderFn: crestFunction('asset.reader', {
        Timeout: 10,
        MemorySize: 1024,
        Environment: {
          Variables: {
            CATALOG_TABLE: { Ref: 'CatalogTable1' },
            QUEUE_URL: { Ref: 'WorkQueue1' },
            STACK: { Ref: 'AWS::StackName' },
            SECRET_ARN: { Ref: 'IdSecret1' },
            CLIENT_ID: { Ref: 'UsersMobile1' },
          },
        },
      }),
      ConsumerFn: crestFunction('asset.consumer', { Timeout: 30, ReservedConcurrentExecutions: 3 }),
      StreamFn: crestFunction('asset.stream'),
      SchedulerFn: crestFunction('asset.scheduler'),
      CdkHelperFn: { Type: 'AWS::Lambda::Function', Properties: { Handler: 'index.onEvent', Code: { ZipFile: 'exports.onEvent=()=>{}' } } },
      Api1: { Type: 'AWS::ApiGateway::RestApi', Properties: { Name: 'api' } },
      ApiV1: { Type: 'AWS::ApiGateway::Resource', Properties: { ParentId: { 'Fn::GetAtt': ['Api1', 'RootResourceId'] }, PathPart: 'v1' } },
      ApiProducts: { Type: 'AWS::ApiGateway::Resource', Properties: { ParentId: { Ref: 'ApiV1' }, PathPart: 'products' } },
      ApiSku: { Type: 'AWS::ApiGateway::Resource', Properties: { ParentId: { Ref: 'ApiProducts' }, PathPart: '{sku}' } },
      ApiSkuGet: method('GET', 'ApiSku', 'ReaderFn', { 'method.request.path.sku': true }),
      ApiSkuPut: method(
        'PUT',
        'ApiSku',
        'ReaderFn',
        { 'method.request.path.sku': true, 'method.request.header.Idempotency-Key': true },
        'Authorizer1',
        { RequestValidatorId: { Ref: 'Validator1' }, RequestModels: { 'application/json': { Ref: 'QuantityModel1' } } },
      ),
      Validator1: {
        Type: 'AWS::ApiGateway::RequestValidator',
        Properties: { RestApiId: { Ref: 'Api1' }, ValidateRequestBody: true, ValidateRequestParameters: true },
      },
      QuantityModel1: {
        Type: 'AWS::ApiGateway::Model',
        Properties: {
          RestApiId: { Ref: 'Api1' },
          ContentType: 'application/json',
          Name: 'Quantity',
          Schema: {
            $schema: 'http://json-schema.org/draft-04/schema#',
            type: 'object',
            properties: { quantity: { type: 'integer', minimum: 1 } },
            required: ['quantity'],
            additionalProperties: false,
          },
        },
      },
      Users1: { Type: 'AWS::Cognito::UserPool', Properties: { MfaConfiguration: 'OPTIONAL' } },
      UsersAdmins1: { Type: 'AWS::Cognito::UserPoolGroup', Properties: { GroupName: 'admins', UserPoolId: { Ref: 'Users1' } } },
      UsersMobile1: {
        Type: 'AWS::Cognito::UserPoolClient',
        Properties: {
          ClientName: 'mobile',
          IdTokenValidity: 60,
          AccessTokenValidity: 2,
          TokenValidityUnits: { IdToken: 'minutes', AccessToken: 'hours' },
          UserPoolId: { Ref: 'Users1' },
        },
      },
      UsersOther1: { Type: 'AWS::Cognito::UserPoolClient', Properties: { UserPoolId: { Ref: 'Users1' } } },
      Authorizer1: {
        Type: 'AWS::ApiGateway::Authorizer',
        Properties: {
          Type: 'COGNITO_USER_POOLS',
          IdentitySource: 'method.request.header.Authorization',
          ProviderARNs: [{ 'Fn::GetAtt': ['Users1', 'Arn'] }],
          RestApiId: { Ref: 'Api1' },
        },
      },
      Events1: { Type: 'AWS::Events::EventBus', Properties: { Name: 'ignored-locally' } },
      IdSecret1: {
        Type: 'AWS::SecretsManager::Secret',
        Properties: { GenerateSecretString: { ExcludePunctuation: true, PasswordLength: 64 } },
      },
      // An integration the local runtime does not host (it is not a route here).
      ApiProductsOptions: { Type: 'AWS::ApiGateway::Method', Properties: { HttpMethod: 'OPTIONS', Integration: { Type: 'HTTP' } } },
      ApiHealth: { Type: 'AWS::ApiGateway::Resource', Properties: { ParentId: { Ref: 'ApiV1' }, PathPart: 'health' } },
      ApiHealthGet: {
        Type: 'AWS::ApiGateway::Method',
        Properties: {
          HttpMethod: 'GET',
          ResourceId: { Ref: 'ApiHealth' },
          ApiKeyRequired: false,
          Integration: {
            Type: 'MOCK',
            PassthroughBehavior: 'NEVER',
            RequestTemplates: { 'application/json': '{"statusCode": 200}' },
            IntegrationResponses: [
              {
                StatusCode: '200',
                ResponseTemplates: { 'application/json': '{"status":"ok"}' },
                ResponseParameters: { 'method.response.header.Cache-Control': "'no-store'" },
              },
            ],
          },
          MethodResponses: [{ StatusCode: '200', ResponseParameters: { 'method.response.header.Cache-Control': true } }],
        },
      },
      Stage1: {
        Type: 'AWS::ApiGateway::Stage',
        Properties: {
          StageName: 'live',
          MethodSettings: [{ HttpMethod: '*', ResourcePath: '/*', ThrottlingRateLimit: 2000, ThrottlingBurstLimit: 4000 }],
        },
      },
      QueueMapping1: {
        Type: 'AWS::Lambda::EventSourceMapping',
        Properties: {
          EventSourceArn: fnArn('WorkQueue1'),
          FunctionName: { Ref: 'ConsumerFn' },
          BatchSize: 100,
          MaximumBatchingWindowInSeconds: 1,
          FunctionResponseTypes: ['ReportBatchItemFailures'],
          ScalingConfig: { MaximumConcurrency: 5 },
        },
      },
      StreamMapping1: {
        Type: 'AWS::Lambda::EventSourceMapping',
        Properties: {
          EventSourceArn: { 'Fn::GetAtt': ['CatalogTable1', 'StreamArn'] },
          FunctionName: { Ref: 'StreamFn' },
          BatchSize: 100,
          BisectBatchOnFunctionError: true,
          DestinationConfig: { OnFailure: { Destination: fnArn('Failures1') } },
          FilterCriteria: { Filters: [{ Pattern: '{"eventName":["INSERT","MODIFY"]}' }] },
          FunctionResponseTypes: ['ReportBatchItemFailures'],
          MaximumRecordAgeInSeconds: 3600,
          MaximumRetryAttempts: 5,
          StartingPosition: 'LATEST',
        },
      },
      EveryMinute1: {
        Type: 'AWS::Events::Rule',
        Properties: { ScheduleExpression: 'rate(1 minute)', State: 'ENABLED', Targets: [{ Arn: fnArn('SchedulerFn'), Id: 'T0' }] },
      },
      Nightly1: {
        Type: 'AWS::Events::Rule',
        Properties: { ScheduleExpression: 'cron(0 2 * * ? *)', Targets: [{ Arn: fnArn('SchedulerFn'), Id: 'T0' }] },
      },
    },
  };
}

function method(
  httpMethod: string,
  resource: string,
  fn: string,
  requestParameters: Record<string, boolean>,
  authorizer?: string,
  extra: Record<string, unknown> = {},
) {
  return {
    Type: 'AWS::ApiGateway::Method',
    Properties: {
      ...extra,
      HttpMethod: httpMethod,
      ResourceId: { Ref: resource },
      AuthorizationType: authorizer ? 'COGNITO_USER_POOLS' : 'NONE',
      ...(authorizer ? { AuthorizerId: { Ref: authorizer } } : {}),
      RequestParameters: requestParameters,
      Integration: {
        Type: 'AWS_PROXY',
        IntegrationHttpMethod: 'POST',
        Uri: {
          'Fn::Join': [
            '',
            [
              'arn:',
              { Ref: 'AWS::Partition' },
              ':apigateway:',
              { Ref: 'AWS::Region' },
              ':lambda:path/2015-03-31/functions/',
              fnArn(fn),
              '/invocations',
            ],
          ],
        },
      },
    },
  };
}
