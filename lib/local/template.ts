/**
 * A read-only view of the synthesized CloudFormation template, plus the intrinsic-function
 * resolver that maps `Ref`/`Fn::GetAtt` onto the local emulators' names and URLs. The template is
 * the single source of truth: nothing in the local runtime names a table, queue or route itself.
 */
export interface CfnResource {
  Type: string;
  Properties?: Record<string, unknown>;
  Metadata?: Record<string, unknown>;
  DependsOn?: string | string[];
}

export interface CfnTemplate {
  Resources: Record<string, CfnResource>;
  Outputs?: Record<string, { Value: unknown }>;
}

export const LOCAL_ACCOUNT = '000000000000';
export const LOCAL_REGION = 'us-east-1';

export interface LocalEndpoints {
  dynamodb: string;
  sqs: string;
  s3: string;
}

export class LocalTemplate {
  /**
   * @param namePrefix prepended to every physical name, so several runtimes (parallel test files)
   * can share one DynamoDB Local / fauxqs without colliding.
   */
  constructor(
    readonly template: CfnTemplate,
    readonly endpoints: LocalEndpoints,
    readonly namePrefix = '',
  ) {}

  ofType(type: string): Array<[string, CfnResource]> {
    return Object.entries(this.template.Resources).filter(([, r]) => r.Type === type);
  }

  resource(logicalId: string): CfnResource {
    const r = this.template.Resources[logicalId];
    if (!r) throw new Error(`Template has no resource ${logicalId}`);
    return r;
  }

  /** Local physical name of a resource: its logical ID (bucket names lower-cased, as S3 requires). */
  physicalName(logicalId: string): string {
    const r = this.resource(logicalId);
    if (r.Type === 'AWS::S3::Bucket') return `${this.namePrefix}${logicalId}`.toLowerCase();
    return `${this.namePrefix}${logicalId}`;
  }

  private readonly queueUrls = new Map<string, string>();

  /** Records the URL the emulator issued for a queue (fauxqs identifies queues by it). */
  setQueueUrl(logicalId: string, url: string): void {
    this.queueUrls.set(logicalId, url);
  }

  queueUrl(logicalId: string): string {
    return this.queueUrls.get(logicalId) ?? `${this.endpoints.sqs}/${LOCAL_ACCOUNT}/${this.physicalName(logicalId)}`;
  }

  arn(logicalId: string): string {
    const r = this.resource(logicalId);
    const name = this.physicalName(logicalId);
    switch (r.Type) {
      case 'AWS::DynamoDB::Table':
        return `arn:aws:dynamodb:${LOCAL_REGION}:${LOCAL_ACCOUNT}:table/${name}`;
      case 'AWS::SQS::Queue':
        return `arn:aws:sqs:${LOCAL_REGION}:${LOCAL_ACCOUNT}:${name}`;
      case 'AWS::S3::Bucket':
        return `arn:aws:s3:::${name}`;
      case 'AWS::Lambda::Function':
        return `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:${name}`;
      default:
        return `arn:aws:local:${LOCAL_REGION}:${LOCAL_ACCOUNT}:${r.Type}/${name}`;
    }
  }

  /** Resolves intrinsics in `value` to local values. Unknown intrinsics are an error, not a guess. */
  resolve(value: unknown): unknown {
    if (Array.isArray(value)) return value.map((v) => this.resolve(v));
    if (value === null || typeof value !== 'object') return value;
    const obj = value as Record<string, unknown>;
    const keys = Object.keys(obj);
    if (keys.length === 1) {
      const [fn] = keys as [string];
      const arg = obj[fn];
      switch (fn) {
        case 'Ref':
          return this.ref(String(arg));
        case 'Fn::GetAtt':
          return this.getAtt(...(arg as [string, string]));
        case 'Fn::Join': {
          const [sep, parts] = arg as [string, unknown[]];
          return (this.resolve(parts) as unknown[]).join(sep);
        }
        case 'Fn::Select': {
          const [index, list] = arg as [number, unknown];
          return (this.resolve(list) as unknown[])[Number(index)];
        }
      }
      if (fn.startsWith('Fn::')) throw new Error(`Local runtime cannot resolve ${fn}`);
    }
    return Object.fromEntries(keys.map((k) => [k, this.resolve(obj[k])]));
  }

  private ref(logicalId: string): string {
    switch (logicalId) {
      case 'AWS::Region':
        return LOCAL_REGION;
      case 'AWS::AccountId':
        return LOCAL_ACCOUNT;
      case 'AWS::Partition':
        return 'aws';
      case 'AWS::URLSuffix':
        return 'amazonaws.com';
      case 'AWS::StackName':
        return 'Crest';
    }
    const r = this.resource(logicalId);
    if (r.Type === 'AWS::SQS::Queue') return this.queueUrl(logicalId);
    return this.physicalName(logicalId);
  }

  private getAtt(logicalId: string, attribute: string): string {
    const r = this.resource(logicalId);
    if (attribute === 'Arn') return this.arn(logicalId);
    if (r.Type === 'AWS::SQS::Queue' && attribute === 'QueueUrl') return this.queueUrl(logicalId);
    if (r.Type === 'AWS::SQS::Queue' && attribute === 'QueueName') return this.physicalName(logicalId);
    if (r.Type === 'AWS::DynamoDB::Table' && attribute === 'StreamArn') return `${this.arn(logicalId)}/stream/local`;
    if (r.Type === 'AWS::S3::Bucket' && attribute === 'RegionalDomainName') return `${this.physicalName(logicalId)}.s3.localhost`;
    throw new Error(`Local runtime cannot resolve Fn::GetAtt ${logicalId}.${attribute}`);
  }
}
