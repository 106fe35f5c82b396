/**
 * The synthesized CloudFormation template as the local runtime receives it, and the intrinsic
 * functions it resolves. The template is the single source of truth: nothing in the local runtime
 * names a table, queue or route itself. stack-description.ts reads it, once.
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

/** The account and region every local ARN and URL is in. */
export const LOCAL_ACCOUNT = '000000000000';
export const LOCAL_REGION = 'us-east-1';

/** What `Ref` and `Fn::GetAtt` of the stack's own resources stand for on this machine. */
export interface IntrinsicValues {
  stackName: string;
  /** `attribute` is `Ref` for a Ref. Throws for what the local runtime cannot provide. */
  attribute(logicalId: string, attribute: string): string;
}

const PSEUDO_PARAMETERS: Record<string, (values: IntrinsicValues) => string> = {
  'AWS::Region': () => LOCAL_REGION,
  'AWS::AccountId': () => LOCAL_ACCOUNT,
  'AWS::Partition': () => 'aws',
  'AWS::URLSuffix': () => 'amazonaws.com',
  'AWS::StackName': (values) => values.stackName,
};

/** Resolves intrinsics in `value` to local values. Unknown intrinsics are an error, not a guess. */
export function resolveIntrinsics(value: unknown, values: IntrinsicValues): unknown {
  if (Array.isArray(value)) return value.map((v) => resolveIntrinsics(v, values));
  if (value === null || typeof value !== 'object') return value;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj);
  if (keys.length === 1) {
    const [fn] = keys as [string];
    const arg = obj[fn];
    switch (fn) {
      case 'Ref': {
        const pseudo = PSEUDO_PARAMETERS[String(arg)];
        return pseudo ? pseudo(values) : values.attribute(String(arg), 'Ref');
      }
      case 'Fn::GetAtt': {
        const [logicalId, attribute] = arg as [string, string];
        return values.attribute(logicalId, attribute);
      }
      case 'Fn::Join': {
        const [sep, parts] = arg as [string, unknown[]];
        return (resolveIntrinsics(parts, values) as unknown[]).join(sep);
      }
      case 'Fn::Select': {
        const [index, list] = arg as [number, unknown];
        return (resolveIntrinsics(list, values) as unknown[])[Number(index)];
      }
    }
    if (fn.startsWith('Fn::')) throw new Error(`Local runtime cannot resolve ${fn}`);
  }
  return Object.fromEntries(keys.map((k) => [k, resolveIntrinsics(obj[k], values)]));
}

/** The logical ID a `Ref` or `Fn::GetAtt` names, whatever attribute it asks for. */
export function referencedLogicalId(value: unknown): string | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const { Ref, 'Fn::GetAtt': getAtt } = value as { Ref?: unknown; 'Fn::GetAtt'?: unknown };
  if (typeof Ref === 'string') return Ref;
  if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') return getAtt[0];
  return undefined;
}
