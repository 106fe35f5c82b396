import { createHash } from 'node:crypto';
import type { AttributeDefinition, KeySchemaElement, Projection, StreamViewType } from '@aws-sdk/client-dynamodb';
import { type CfnResource, type CfnTemplate, type IntrinsicValues, LOCAL_ACCOUNT, LOCAL_REGION, referencedLogicalId } from './template.js';

/**
 * The template, read once, as read-only descriptions of what the local runtime hosts: resources
 * to provision, functions to load, API routes and stage, event source mappings and schedules.
 * Every other module of the local runtime consumes these; none reads the template itself.
 */
export interface StackDescription {
  readonly stackName: string;
  readonly tables: readonly TableDescription[];
  readonly queues: readonly QueueDescription[];
  readonly buckets: readonly BucketDescription[];
  /** Cognito user pools, with their app clients and groups (the local issuer mints their tokens). */
  readonly userPools: readonly UserPoolDescription[];
  /** Secrets Manager secrets (the local endpoint serves a value per run). */
  readonly secrets: readonly SecretDescription[];
  /** EventBridge buses (the local endpoint records what is put on them). */
  readonly eventBuses: readonly EventBusDescription[];
  /** Crest's functions (CDK's own helper functions have no bundle of ours and are not hosted). */
  readonly functions: readonly FunctionDescription[];
  readonly api: ApiDescription;
  readonly queueMappings: readonly QueueMapping[];
  readonly streamMappings: readonly StreamMapping[];
  readonly schedules: readonly ScheduleDescription[];
}

/** A resource's local identity: the logical ID, and the physical name and ARN it gets here. */
export interface ResourceIdentity {
  readonly logicalId: string;
  readonly name: string;
  readonly arn: string;
}

export interface TableDescription extends ResourceIdentity {
  readonly keySchema: readonly KeySchemaElement[];
  readonly attributeDefinitions: readonly AttributeDefinition[];
  readonly globalSecondaryIndexes: readonly { indexName: string; keySchema: KeySchemaElement[]; projection: Projection }[];
  readonly streamViewType?: StreamViewType;
  readonly timeToLiveAttribute?: string;
}

export interface QueueDescription extends ResourceIdentity {
  /** CreateQueue attributes from the template (the redrive policy names the DLQ by its local ARN). */
  readonly attributes: Readonly<Record<string, string>>;
  /** Logical ID of the dead-letter queue, which must exist first. */
  readonly deadLetterQueue?: string;
}

export type BucketDescription = ResourceIdentity;

/** A user pool: `name` is its pool id here (`us-east-1_…`, what `Ref` gives), stable per logical ID. */
export interface UserPoolDescription extends ResourceIdentity {
  readonly clients: readonly UserPoolClientDescription[];
  /** Group names (`AWS::Cognito::UserPoolGroup`). */
  readonly groups: readonly string[];
}

export interface UserPoolClientDescription {
  readonly logicalId: string;
  /** The client id here (what `Ref` gives), stable per logical ID. */
  readonly clientId: string;
  readonly clientName: string;
  readonly idTokenValiditySeconds: number;
  readonly accessTokenValiditySeconds: number;
}

/** A secret: a literal `SecretString`, or how to generate one (`GenerateSecretString`). */
export interface SecretDescription extends ResourceIdentity {
  readonly secretString?: string;
  readonly generate?: {
    readonly length: number;
    readonly excludeCharacters: string;
    readonly excludePunctuation: boolean;
    readonly excludeNumbers: boolean;
    readonly excludeUppercase: boolean;
    readonly excludeLowercase: boolean;
    readonly includeSpace: boolean;
    /** With `generateStringKey`: the value is this JSON with the generated string under that key. */
    readonly secretStringTemplate?: string;
    readonly generateStringKey?: string;
  };
}

/** An EventBridge bus: `name` is its bus name here (what `Ref` and `Name` give). */
export type EventBusDescription = ResourceIdentity;

export interface FunctionDescription extends ResourceIdentity {
  /** Bundle file (without .mjs) and export, from `Handler: file.export`. */
  readonly handlerFile: string;
  readonly handlerExport: string;
  /** Folder of the bundle inside the cloud assembly (`asset.<hash>`). */
  readonly assetPath: string;
  readonly timeoutSeconds: number;
  readonly memoryMb: number;
  readonly reservedConcurrency?: number;
  /** The template's values; queue URLs among them are known only once provisioned. */
  readonly environment: Readonly<Record<string, unknown>>;
}

/** What API Gateway answers itself for a MOCK integration (its first integration response). */
export interface MockAnswer {
  readonly statusCode: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  /**
   * Origins the answer echoes in Access-Control-Allow-Origin when the request comes from one of
   * them: CDK's CORS preflight for several origins sets the first statically and the others with
   * a VTL override (`#if($origin == "…")`), which is read here rather than evaluated.
   */
  readonly echoOrigins?: readonly string[];
}

/**
 * Headers API Gateway adds to one of its own error responses (a GatewayResponse's
 * ResponseParameters): a static value, or a request header's value (`method.request.header.<name>`).
 */
export type GatewayResponseHeader = { readonly value: string } | { readonly fromRequestHeader: string };

/** One API Gateway method: a Lambda proxy integration, or a MOCK integration (`mock`). */
export interface Route {
  readonly method: string;
  /** Resource path with parameters, e.g. /v1/products/{sku}. */
  readonly resourcePath: string;
  readonly segments: readonly string[];
  /** The integrated function ('' for a MOCK integration). */
  readonly functionLogicalId: string;
  /** Present for a MOCK integration: the gateway answers this, no function is invoked. */
  readonly mock?: MockAnswer;
  readonly requiredHeaders: readonly string[];
  /** Query string parameters the request must carry (`method.request.querystring.<name>: true`). */
  readonly requiredQuery: readonly string[];
  /**
   * The body's model (`RequestModels['$default']` or `['application/json']`), when the method's request validator
   * validates bodies: API Gateway answers 400 BAD_REQUEST_BODY to a JSON body it refuses.
   */
  readonly bodyModel?: BodyModel;
  /** The method's Cognito authorizer, if any (`AuthorizationType: COGNITO_USER_POOLS`). */
  readonly authorizer?: RouteAuthorizer;
}

/** An API Gateway model: its name and its JSON Schema (draft 4). */
export interface BodyModel {
  readonly name: string;
  readonly schema: Readonly<Record<string, unknown>>;
  /** `any` for a `$default` model (every body), `json` for an `application/json` one. */
  readonly appliesTo: 'any' | 'json';
}

/** A COGNITO_USER_POOLS authorizer as a method uses it. */
export interface RouteAuthorizer {
  readonly logicalId: string;
  /** The user pools whose ID tokens it accepts (`ProviderARNs`). */
  readonly userPoolLogicalIds: readonly string[];
  /** The request header carrying the token (`IdentitySource: method.request.header.<name>`). */
  readonly header: string;
}

export interface StageSettings {
  readonly stageName: string;
  readonly rateLimit: number;
  readonly burstLimit: number;
}

export interface ApiDescription {
  readonly routes: readonly Route[];
  readonly stage: StageSettings;
  /** Headers of the template's gateway responses, by response type (e.g. CORS headers). */
  readonly gatewayResponseHeaders: Readonly<Record<string, Readonly<Record<string, GatewayResponseHeader>>>>;
}

/** An SQS event source mapping. */
export interface QueueMapping {
  readonly queueLogicalId: string;
  readonly functionLogicalId: string;
  readonly batchSize: number;
  readonly windowMs: number;
  readonly reportBatchItemFailures: boolean;
  /** min(ScalingConfig.MaximumConcurrency, reserved concurrency): the SQS poller ignores the latter. */
  readonly concurrency: number;
}

/** A DynamoDB Streams event source mapping. */
export interface StreamMapping {
  readonly tableLogicalId: string;
  readonly functionLogicalId: string;
  readonly batchSize: number;
  readonly startingPosition: 'LATEST' | 'TRIM_HORIZON';
  readonly bisectOnError: boolean;
  /** -1: retry until the record expires. */
  readonly maxRetries: number;
  /** -1: no maximum age. */
  readonly maxRecordAgeMs: number;
  readonly reportBatchItemFailures: boolean;
  readonly onFailureQueueLogicalId?: string;
  /** Parsed FilterCriteria patterns; empty = every record. */
  readonly patterns: readonly unknown[];
}

/** An EventBridge rule with a `rate(...)` schedule. (cron() rules are not hosted locally.) */
export interface ScheduleDescription extends ResourceIdentity {
  readonly periodMs: number;
  readonly targetFunctionIds: readonly string[];
}

export interface DescribeOptions {
  /** The CloudFormation stack name (what `AWS::StackName` resolves to). */
  stackName: string;
  /**
   * Prepended to every physical name, so several runtimes (parallel test files) can share one
   * DynamoDB Local / fauxqs without colliding.
   */
  namePrefix?: string;
}

type Props = Record<string, unknown>;

/** Reads the template into a StackDescription (deeply frozen). */
export function describeStack(template: CfnTemplate, options: DescribeOptions): StackDescription {
  const resources = Object.entries(template.Resources);
  const ofType = (type: string) => resources.filter(([, r]) => r.Type === type);
  const identity = (logicalId: string, r: CfnResource): ResourceIdentity => {
    const name = physicalName(logicalId, r.Type, options.namePrefix ?? '');
    return { logicalId, name, arn: localArn(r.Type, name) };
  };
  const arnOf = (logicalId: string) => {
    const r = template.Resources[logicalId];
    if (!r) throw new Error(`Template has no resource ${logicalId}`);
    return identity(logicalId, r).arn;
  };

  const functions = ofType('AWS::Lambda::Function')
    .filter(([, r]) => isCrestFunction(r))
    .map(([id, r]) => describeFunction(identity(id, r), r.Properties ?? {}, r.Metadata ?? {}));
  const hosted = new Map(functions.map((f) => [f.logicalId, f]));
  const functionId = (value: unknown, where: string): string => {
    const id = referencedLogicalId(value);
    if (!id || !hosted.has(id)) throw new Error(`${where} names no function of this stack's bundles (${JSON.stringify(value)})`);
    return id;
  };

  const userPools = ofType('AWS::Cognito::UserPool').map(([id, r]) =>
    describeUserPool(identity(id, r), template, options.namePrefix ?? ''),
  );

  const queueMappings: QueueMapping[] = [];
  const streamMappings: StreamMapping[] = [];
  for (const [id, r] of ofType('AWS::Lambda::EventSourceMapping')) {
    const p = r.Properties ?? {};
    const source = referencedLogicalId(p.EventSourceArn);
    const sourceType = source ? template.Resources[source]?.Type : undefined;
    const fn = functionId(p.FunctionName, `Event source mapping ${id}`);
    const reportBatchItemFailures = ((p.FunctionResponseTypes as string[] | undefined) ?? []).includes('ReportBatchItemFailures');
    if (source && sourceType === 'AWS::SQS::Queue') {
      const maxConcurrency = Number((p.ScalingConfig as { MaximumConcurrency?: number } | undefined)?.MaximumConcurrency ?? 1000);
      queueMappings.push({
        queueLogicalId: source,
        functionLogicalId: fn,
        batchSize: Number(p.BatchSize ?? 10),
        windowMs: Number(p.MaximumBatchingWindowInSeconds ?? 0) * 1000,
        reportBatchItemFailures,
        concurrency: Math.min(maxConcurrency, hosted.get(fn)?.reservedConcurrency ?? Number.POSITIVE_INFINITY),
      });
    } else if (source && sourceType === 'AWS::DynamoDB::Table') {
      const destination = (p.DestinationConfig as { OnFailure?: { Destination?: unknown } } | undefined)?.OnFailure?.Destination;
      const filters = (p.FilterCriteria as { Filters?: Array<{ Pattern: string }> } | undefined)?.Filters ?? [];
      streamMappings.push({
        tableLogicalId: source,
        functionLogicalId: fn,
        batchSize: Number(p.BatchSize ?? 100),
        startingPosition: p.StartingPosition === 'TRIM_HORIZON' ? 'TRIM_HORIZON' : 'LATEST',
        bisectOnError: p.BisectBatchOnFunctionError === true,
        maxRetries: p.MaximumRetryAttempts === undefined ? -1 : Number(p.MaximumRetryAttempts),
        maxRecordAgeMs: p.MaximumRecordAgeInSeconds === undefined ? -1 : Number(p.MaximumRecordAgeInSeconds) * 1000,
        reportBatchItemFailures,
        onFailureQueueLogicalId: referencedLogicalId(destination),
        patterns: filters.map((f) => JSON.parse(f.Pattern) as unknown),
      });
    } else {
      throw new Error(`Event source mapping ${id}: the local runtime hosts SQS and DynamoDB Streams sources only`);
    }
  }

  const schedules: ScheduleDescription[] = [];
  for (const [id, r] of ofType('AWS::Events::Rule')) {
    const periodMs = rateMs(String(r.Properties?.ScheduleExpression ?? ''));
    if (!periodMs || r.Properties?.State === 'DISABLED') continue;
    const targets = (r.Properties?.Targets as Array<{ Arn?: unknown }> | undefined) ?? [];
    schedules.push({ ...identity(id, r), periodMs, targetFunctionIds: targets.map((t) => functionId(t.Arn, `Rule ${id}`)) });
  }

  return deepFreeze({
    stackName: options.stackName,
    tables: ofType('AWS::DynamoDB::Table').map(([id, r]) => describeTable(identity(id, r), r.Properties ?? {})),
    queues: ofType('AWS::SQS::Queue').map(([id, r]) => describeQueue(identity(id, r), r.Properties ?? {}, arnOf)),
    buckets: ofType('AWS::S3::Bucket').map(([id, r]) => identity(id, r)),
    userPools,
    secrets: ofType('AWS::SecretsManager::Secret').map(([id, r]) => describeSecret(identity(id, r), r.Properties ?? {})),
    eventBuses: ofType('AWS::Events::EventBus').map(([id, r]) => identity(id, r)),
    functions,
    api: {
      routes: describeRoutes(template, (v) => functionId(v, 'An API method')),
      stage: describeStage(ofType('AWS::ApiGateway::Stage')),
      gatewayResponseHeaders: describeGatewayResponseHeaders(ofType('AWS::ApiGateway::GatewayResponse')),
    },
    queueMappings,
    streamMappings,
    schedules,
  });
}

/**
 * The first resource in `list` whose logical ID contains `hint` (logical IDs carry construct
 * paths, e.g. `CatalogTable…`, `StockDeductionsDeadLetters…`).
 */
export function findByHint<T extends ResourceIdentity>(list: readonly T[], hint: string): T {
  const found = list.find((r) => r.logicalId.includes(hint));
  if (!found) throw new Error(`No resource whose logical ID contains "${hint}" (have: ${list.map((r) => r.logicalId).join(', ')})`);
  return found;
}

/**
 * What `Ref` / `Fn::GetAtt` mean for this stack on this machine. Queue URLs and stream ARNs are
 * issued by the emulators, so they come from what was provisioned (see provision.ts).
 */
export function stackIntrinsics(
  stack: StackDescription,
  issued: { queueUrl(logicalId: string): string; streamArn(logicalId: string): string },
): IntrinsicValues {
  const all = new Map<string, { type: string; identity: ResourceIdentity }>();
  for (const [type, list] of [
    ['AWS::DynamoDB::Table', stack.tables],
    ['AWS::SQS::Queue', stack.queues],
    ['AWS::S3::Bucket', stack.buckets],
    ['AWS::Lambda::Function', stack.functions],
    ['AWS::Cognito::UserPool', stack.userPools],
    ['AWS::SecretsManager::Secret', stack.secrets],
    ['AWS::Events::EventBus', stack.eventBuses],
  ] as const) {
    for (const identity of list) all.set(identity.logicalId, { type, identity });
  }
  const clients = new Map(stack.userPools.flatMap((p) => p.clients.map((c) => [c.logicalId, c.clientId] as const)));
  return {
    stackName: stack.stackName,
    attribute(logicalId, attribute) {
      const clientId = clients.get(logicalId);
      if (clientId !== undefined && attribute === 'Ref') return clientId;
      const found = all.get(logicalId);
      if (!found) throw new Error(`Local runtime cannot resolve a reference to ${logicalId}`);
      const { type, identity } = found;
      if (attribute === 'Arn') return identity.arn;
      if (type === 'AWS::SQS::Queue' && (attribute === 'Ref' || attribute === 'QueueUrl')) return issued.queueUrl(logicalId);
      if (type === 'AWS::SQS::Queue' && attribute === 'QueueName') return identity.name;
      if (type === 'AWS::DynamoDB::Table' && attribute === 'StreamArn') return issued.streamArn(logicalId);
      if (type === 'AWS::S3::Bucket' && attribute === 'RegionalDomainName') return `${identity.name}.s3.localhost`;
      // A secret's Ref is its ARN (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-secretsmanager-secret.html).
      if (type === 'AWS::SecretsManager::Secret' && attribute === 'Ref') return identity.arn;
      if (type === 'AWS::Events::EventBus' && attribute === 'Name') return identity.name;
      if (attribute === 'Ref') return identity.name;
      throw new Error(`Local runtime cannot resolve Fn::GetAtt ${logicalId}.${attribute}`);
    },
  };
}

/** Parses EventBridge `rate(N minute|minutes|hour|hours|day|days)` into milliseconds. */
export function rateMs(expression: string): number | undefined {
  const match = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(expression.trim());
  if (!match) return undefined;
  const unit =
    { minute: 60_000, minutes: 60_000, hour: 3_600_000, hours: 3_600_000, day: 86_400_000, days: 86_400_000 }[match[2] as string] ?? 0;
  return Number(match[1]) * unit;
}

/**
 * Local physical name: the logical ID behind the prefix (bucket names lower-cased, as S3 requires;
 * a user pool's is a pool id shaped like Cognito's, `<region>_<alphanumerics>`).
 */
function physicalName(logicalId: string, type: string, prefix: string): string {
  if (type === 'AWS::Cognito::UserPool') return `${LOCAL_REGION}_${stableId(`${prefix}${logicalId}`, 9, BASE62)}`;
  return type === 'AWS::S3::Bucket' ? `${prefix}${logicalId}`.toLowerCase() : `${prefix}${logicalId}`;
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const BASE36 = '0123456789abcdefghijklmnopqrstuvwxyz';

/** `length` characters of `alphabet` derived from `seed`: the same identifier for the same resource, run after run. */
function stableId(seed: string, length: number, alphabet: string): string {
  const digest = createHash('sha256').update(seed).digest();
  return Array.from({ length }, (_, i) => alphabet[(digest[i] ?? 0) % alphabet.length]).join('');
}

function localArn(type: string, name: string): string {
  switch (type) {
    case 'AWS::DynamoDB::Table':
      return `arn:aws:dynamodb:${LOCAL_REGION}:${LOCAL_ACCOUNT}:table/${name}`;
    case 'AWS::SQS::Queue':
      return `arn:aws:sqs:${LOCAL_REGION}:${LOCAL_ACCOUNT}:${name}`;
    case 'AWS::S3::Bucket':
      return `arn:aws:s3:::${name}`;
    case 'AWS::Lambda::Function':
      return `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:${name}`;
    case 'AWS::Events::Rule':
      return `arn:aws:events:${LOCAL_REGION}:${LOCAL_ACCOUNT}:rule/${name}`;
    case 'AWS::Events::EventBus':
      return `arn:aws:events:${LOCAL_REGION}:${LOCAL_ACCOUNT}:event-bus/${name}`;
    case 'AWS::Cognito::UserPool':
      return `arn:aws:cognito-idp:${LOCAL_REGION}:${LOCAL_ACCOUNT}:userpool/${name}`;
    case 'AWS::SecretsManager::Secret':
      return `arn:aws:secretsmanager:${LOCAL_REGION}:${LOCAL_ACCOUNT}:secret:${name}`;
    default:
      return `arn:aws:local:${LOCAL_REGION}:${LOCAL_ACCOUNT}:${type}/${name}`;
  }
}

/** Crest's functions are `index.handler` in an asset folder of ours; CDK's helpers are not. */
function isCrestFunction(r: CfnResource): boolean {
  return r.Properties?.Handler === 'index.handler' && typeof r.Metadata?.['aws:asset:path'] === 'string';
}

function describeFunction(identity: ResourceIdentity, p: Props, metadata: Props): FunctionDescription {
  const [handlerFile, handlerExport] = String(p.Handler).split('.') as [string, string];
  return {
    ...identity,
    handlerFile,
    handlerExport,
    assetPath: String(metadata['aws:asset:path']),
    timeoutSeconds: Number(p.Timeout ?? 3),
    memoryMb: Number(p.MemorySize ?? 128),
    reservedConcurrency: p.ReservedConcurrentExecutions === undefined ? undefined : Number(p.ReservedConcurrentExecutions),
    environment: ((p.Environment as { Variables?: Props } | undefined)?.Variables ?? {}) as Props,
  };
}

function describeUserPool(identity: ResourceIdentity, template: CfnTemplate, prefix: string): UserPoolDescription {
  const of = (type: string) =>
    Object.entries(template.Resources).filter(
      ([, r]) => r.Type === type && referencedLogicalId(r.Properties?.UserPoolId) === identity.logicalId,
    );
  return {
    ...identity,
    clients: of('AWS::Cognito::UserPoolClient').map(([id, r]) => {
      const p = r.Properties ?? {};
      const units = (p.TokenValidityUnits ?? {}) as { IdToken?: string; AccessToken?: string };
      return {
        logicalId: id,
        clientId: stableId(`${prefix}${id}`, 26, BASE36),
        clientName: String(p.ClientName ?? id),
        // Cognito's defaults: 60 minutes for both when not set.
        idTokenValiditySeconds: validitySeconds(p.IdTokenValidity, units.IdToken),
        accessTokenValiditySeconds: validitySeconds(p.AccessTokenValidity, units.AccessToken),
      };
    }),
    groups: of('AWS::Cognito::UserPoolGroup').map(([id, r]) => String(r.Properties?.GroupName ?? id)),
  };
}

/** A token validity in seconds from the template's value and unit (Cognito's default unit is hours). */
function validitySeconds(value: unknown, unit = 'hours'): number {
  if (value === undefined) return 3600;
  const perUnit = { seconds: 1, minutes: 60, hours: 3600, days: 86_400 }[unit] ?? 3600;
  return Number(value) * perUnit;
}

function describeSecret(identity: ResourceIdentity, p: Props): SecretDescription {
  const g = p.GenerateSecretString as Props | undefined;
  return {
    ...identity,
    secretString: typeof p.SecretString === 'string' ? p.SecretString : undefined,
    generate: g
      ? {
          // Secrets Manager's defaults (GetRandomPassword): 32 characters of every class, no space.
          length: Number(g.PasswordLength ?? 32),
          excludeCharacters: String(g.ExcludeCharacters ?? ''),
          excludePunctuation: g.ExcludePunctuation === true,
          excludeNumbers: g.ExcludeNumbers === true,
          excludeUppercase: g.ExcludeUppercase === true,
          excludeLowercase: g.ExcludeLowercase === true,
          includeSpace: g.IncludeSpace === true,
          secretStringTemplate: typeof g.SecretStringTemplate === 'string' ? g.SecretStringTemplate : undefined,
          generateStringKey: typeof g.GenerateStringKey === 'string' ? g.GenerateStringKey : undefined,
        }
      : undefined,
  };
}

function describeTable(identity: ResourceIdentity, p: Props): TableDescription {
  const ttl = p.TimeToLiveSpecification as { AttributeName?: string; Enabled?: boolean } | undefined;
  const stream = p.StreamSpecification as { StreamViewType?: StreamViewType } | undefined;
  return {
    ...identity,
    keySchema: p.KeySchema as KeySchemaElement[],
    attributeDefinitions: p.AttributeDefinitions as AttributeDefinition[],
    globalSecondaryIndexes: ((p.GlobalSecondaryIndexes as Props[] | undefined) ?? []).map((g) => ({
      indexName: String(g.IndexName),
      keySchema: g.KeySchema as KeySchemaElement[],
      projection: g.Projection as Projection,
    })),
    streamViewType: stream?.StreamViewType,
    timeToLiveAttribute: ttl?.Enabled ? ttl.AttributeName : undefined,
  };
}

const QUEUE_ATTRIBUTES = [
  'VisibilityTimeout',
  'MessageRetentionPeriod',
  'ReceiveMessageWaitTimeSeconds',
  'DelaySeconds',
  'MaximumMessageSize',
  'FifoQueue',
  'ContentBasedDeduplication',
];

function describeQueue(identity: ResourceIdentity, p: Props, arnOf: (logicalId: string) => string): QueueDescription {
  const attributes: Record<string, string> = {};
  for (const key of QUEUE_ATTRIBUTES) if (p[key] !== undefined) attributes[key] = String(p[key]);
  const redrive = p.RedrivePolicy as { deadLetterTargetArn?: unknown; maxReceiveCount?: unknown } | undefined;
  const deadLetterQueue = referencedLogicalId(redrive?.deadLetterTargetArn);
  if (redrive && deadLetterQueue) {
    attributes.RedrivePolicy = JSON.stringify({ deadLetterTargetArn: arnOf(deadLetterQueue), maxReceiveCount: redrive.maxReceiveCount });
  }
  return { ...identity, attributes, deadLetterQueue };
}

function describeRoutes(template: CfnTemplate, functionId: (value: unknown) => string): Route[] {
  const pathOf = (resourceRef: unknown): string => {
    const ref = (resourceRef as { Ref?: string }).Ref;
    if (!ref) return ''; // Fn::GetAtt [RestApi, RootResourceId]
    const r = template.Resources[ref];
    if (r?.Type !== 'AWS::ApiGateway::Resource') throw new Error(`Unknown API resource ${ref}`);
    return `${pathOf(r.Properties?.ParentId)}/${String(r.Properties?.PathPart)}`;
  };
  const routes: Route[] = [];
  for (const m of Object.values(template.Resources)) {
    if (m.Type !== 'AWS::ApiGateway::Method') continue;
    const p = m.Properties ?? {};
    const integration = p.Integration as { Type?: string; Uri?: unknown; IntegrationResponses?: unknown } | undefined;
    if (integration?.Type !== 'AWS_PROXY' && integration?.Type !== 'MOCK') continue;
    const resourcePath = pathOf(p.ResourceId) || '/';
    const requestParameters = (p.RequestParameters ?? {}) as Record<string, boolean>;
    const mock = integration.Type === 'MOCK' ? mockAnswer(integration.IntegrationResponses) : undefined;
    const validator = template.Resources[referencedLogicalId(p.RequestValidatorId) ?? '']?.Properties ?? {};
    const model = validator.ValidateRequestBody === true ? describeModel(template, p.RequestModels) : undefined;
    routes.push({
      method: String(p.HttpMethod),
      resourcePath,
      segments: resourcePath.split('/').filter(Boolean),
      functionLogicalId: mock ? '' : functionId(findFunctionArn(integration.Uri)),
      ...(mock ? { mock } : {}),
      requiredHeaders: Object.entries(requestParameters)
        .filter(([k, required]) => required && k.startsWith('method.request.header.'))
        .map(([k]) => k.slice('method.request.header.'.length)),
      requiredQuery: Object.entries(requestParameters)
        .filter(([k, required]) => required && k.startsWith('method.request.querystring.'))
        .map(([k]) => k.slice('method.request.querystring.'.length)),
      ...(model ? { bodyModel: model } : {}),
      authorizer: describeAuthorizer(template, p),
    });
  }
  return routes;
}

/**
 * The model a method validates bodies with (`RequestModels['$default']` for every content type, or
 * `RequestModels['application/json']` for JSON ones: a `Ref` to an `AWS::ApiGateway::Model` of
 * the template). The schema arrives as a JSON string or an object.
 */
function describeModel(template: CfnTemplate, models: unknown): BodyModel | undefined {
  const byType = models as Props | undefined;
  const appliesTo = byType?.$default !== undefined ? 'any' : 'json';
  const ref = byType?.$default ?? byType?.['application/json'];
  if (ref === undefined) return undefined;
  const logicalId = referencedLogicalId(ref);
  const model = logicalId ? template.Resources[logicalId] : undefined;
  if (!logicalId || model?.Type !== 'AWS::ApiGateway::Model')
    throw new Error(`Request model ${JSON.stringify(ref)} is not a model of this stack`);
  const schema = model.Properties?.Schema;
  return {
    name: String(model.Properties?.Name ?? logicalId),
    schema: (typeof schema === 'string' ? JSON.parse(schema) : schema) as Record<string, unknown>,
    appliesTo,
  };
}

/**
 * The method's Cognito authorizer. API keys and other authorization types (IAM, Lambda
 * authorizers) are not hosted locally: a method using one fails here rather than be served open.
 */
function describeAuthorizer(template: CfnTemplate, p: Props): RouteAuthorizer | undefined {
  if (p.ApiKeyRequired === true) throw new Error('The local runtime hosts no API keys (ApiKeyRequired)');
  const type = p.AuthorizationType ?? 'NONE';
  if (type === 'NONE') return undefined;
  const logicalId = referencedLogicalId(p.AuthorizerId);
  const authorizer = logicalId ? template.Resources[logicalId] : undefined;
  if (type !== 'COGNITO_USER_POOLS' || !logicalId || authorizer?.Properties?.Type !== 'COGNITO_USER_POOLS') {
    throw new Error(`The local runtime hosts Cognito user pool authorizers only (got ${String(type)})`);
  }
  const source = String(authorizer.Properties.IdentitySource ?? '');
  const header = /^method\.request\.header\.(.+)$/.exec(source)?.[1];
  if (!header) throw new Error(`Authorizer ${logicalId}: identity source ${source} is not a request header`);
  const pools = ((authorizer.Properties.ProviderARNs as unknown[] | undefined) ?? []).map((arn) => referencedLogicalId(arn));
  if (pools.length === 0 || pools.some((pool) => pool === undefined || template.Resources[pool]?.Type !== 'AWS::Cognito::UserPool')) {
    throw new Error(`Authorizer ${logicalId}: every provider must be a user pool of this stack`);
  }
  return { logicalId, userPoolLogicalIds: pools as string[], header };
}

/**
 * A MOCK integration's answer: its first integration response, with the JSON template as the body
 * (static text: the local gateway evaluates no VTL) and static header values (`'value'`).
 */
function mockAnswer(responses: unknown): MockAnswer {
  const [first] = (responses as Array<{ StatusCode?: string; ResponseTemplates?: Props; ResponseParameters?: Props }> | undefined) ?? [];
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  for (const [key, value] of Object.entries(first?.ResponseParameters ?? {})) {
    const name = /^method\.response\.header\.(.+)$/.exec(key)?.[1];
    const literal = /^'(.*)'$/.exec(String(value))?.[1];
    if (name && literal !== undefined) headers[name.toLowerCase()] = literal;
  }
  const template = String(first?.ResponseTemplates?.['application/json'] ?? '');
  const echoOrigins = [...template.matchAll(/\$origin == "([^"]+)"/g)].map((m) => m[1] as string);
  // A VTL template is not a body: the local gateway evaluates no VTL (a preflight answers 204 anyway).
  const body = template.startsWith('#') ? '' : template;
  return { statusCode: Number(first?.StatusCode ?? 200), headers, body, ...(echoOrigins.length ? { echoOrigins } : {}) };
}

function describeGatewayResponseHeaders(responses: Array<[string, CfnResource]>): Record<string, Record<string, GatewayResponseHeader>> {
  const byType: Record<string, Record<string, GatewayResponseHeader>> = {};
  for (const [, r] of responses) {
    const headers: Record<string, GatewayResponseHeader> = {};
    for (const [key, value] of Object.entries((r.Properties?.ResponseParameters as Props | undefined) ?? {})) {
      const name = /^gatewayresponse\.header\.(.+)$/.exec(key)?.[1]?.toLowerCase();
      if (!name) continue;
      const literal = /^'(.*)'$/.exec(String(value))?.[1];
      const fromRequest = /^method\.request\.header\.(.+)$/.exec(String(value))?.[1];
      if (literal !== undefined) headers[name] = { value: literal };
      else if (fromRequest) headers[name] = { fromRequestHeader: fromRequest.toLowerCase() };
    }
    byType[String(r.Properties?.ResponseType)] = headers;
  }
  return byType;
}

/** The `Fn::GetAtt [fn, Arn]` inside an integration URI's `Fn::Join`. */
function findFunctionArn(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(findFunctionArn).find((v) => v !== undefined);
  if (value && typeof value === 'object') {
    const getAtt = (value as Props)['Fn::GetAtt'];
    if (Array.isArray(getAtt) && getAtt[1] === 'Arn') return value;
    return Object.values(value)
      .map(findFunctionArn)
      .find((v) => v !== undefined);
  }
  return undefined;
}

function describeStage(stages: Array<[string, CfnResource]>): StageSettings {
  const [[, stage] = []] = stages;
  const settings = ((stage?.Properties?.MethodSettings as Props[] | undefined) ?? []).find(
    (s) => s.HttpMethod === '*' && s.ResourcePath === '/*',
  );
  return {
    stageName: String(stage?.Properties?.StageName ?? 'local'),
    rateLimit: Number(settings?.ThrottlingRateLimit ?? 10_000),
    burstLimit: Number(settings?.ThrottlingBurstLimit ?? 5_000),
  };
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
