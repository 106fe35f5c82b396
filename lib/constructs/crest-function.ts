import { existsSync } from 'node:fs';
import path from 'node:path';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { METRICS_NAMESPACE } from '../../lambdas/domain/metrics.js';
import { type FunctionName, functionBundleDir } from '../build/functions.js';
import { suppress } from '../nag.js';
import type { DaxAccess, DaxCache } from './dax-cache.js';

export interface CrestFunctionProps {
  name: FunctionName;
  description: string;
  memorySize?: number;
  timeout?: Duration;
  environment?: Record<string, string>;
  reservedConcurrency?: number;
  /**
   * Read (and with 'RW' write) the catalog through this DAX cluster: the function is placed in the
   * cluster's VPC and attached to it in one step (see DaxCache.attach).
   */
  dax?: { cache: DaxCache; access: DaxAccess };
}

/** 'R' / 'RW' as the CDK grants them, or an explicit list of DynamoDB actions. */
export type TableAccess = 'R' | 'RW' | string[];

/**
 * The one way Crest declares a Lambda function: Node.js 24 on arm64, the esbuild bundle from
 * dist/functions/<name>, X-Ray tracing, a log group with retention, and its own role that starts
 * with nothing but the right to write its own logs (no managed policies).
 */
export class CrestFunction extends Construct {
  readonly lambda: lambda.Function;
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: CrestFunctionProps) {
    super(scope, id);
    const bundle = functionBundleDir(props.name);
    if (!existsSync(path.join(bundle, 'index.mjs'))) {
      throw new Error(`No bundle for ${props.name} in ${bundle}: run \`npm run build\` first`);
    }
    const logGroup = new logs.LogGroup(this, 'Logs', {
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${props.name}`,
    });
    logGroup.grantWrite(this.role);

    const placement = props.dax?.cache.clientPlacement;
    this.lambda = new lambda.Function(this, 'Function', {
      description: props.description,
      // Newest Node.js runtime (cdk-nag L1). Bundles target node22 syntax, so they also run on 22.
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      code: lambda.Code.fromAsset(bundle),
      handler: 'index.handler',
      role: this.role,
      memorySize: props.memorySize ?? 1024,
      timeout: props.timeout ?? Duration.seconds(10),
      tracing: lambda.Tracing.ACTIVE,
      logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      reservedConcurrentExecutions: props.reservedConcurrency,
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: props.name,
        POWERTOOLS_LOG_LEVEL: 'INFO',
        // The metric catalog's namespace (lambdas/domain/metrics.ts), as Powertools Metrics reads it.
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        ...props.environment,
      },
      ...(placement ? { vpc: placement.vpc, vpcSubnets: placement.subnets, securityGroups: placement.securityGroups } : {}),
    });

    suppress(this.role, 'IAM5', 'X-Ray PutTraceSegments/PutTelemetryRecords do not support resource-level permissions.', ['Resource::*']);
    if (placement) {
      // What AWSLambdaVPCAccessExecutionRole grants, inline: ENI management for VPC attachment.
      this.role.addToPolicy(
        new iam.PolicyStatement({
          actions: [
            'ec2:CreateNetworkInterface',
            'ec2:DescribeNetworkInterfaces',
            'ec2:DeleteNetworkInterface',
            'ec2:AssignPrivateIpAddresses',
            'ec2:UnassignPrivateIpAddresses',
          ],
          resources: ['*'],
        }),
      );
    }
    props.dax?.cache.attach(this, props.dax.access);
  }

  /** Sets the secret's ARN as `envName` and grants reading it (GetSecretValue) together. */
  bindSecret(secret: secretsmanager.ISecret, envName: string): this {
    this.lambda.addEnvironment(envName, secret.secretArn);
    secret.grantRead(this.lambda);
    return this;
  }

  /** Sets the table's env var and grants the matching access together, so they cannot drift. */
  bindTable(table: dynamodb.ITable, access: TableAccess, envName: string): this {
    this.lambda.addEnvironment(envName, table.tableName);
    if (access === 'R') table.grantReadData(this.lambda);
    else if (access === 'RW') table.grantReadWriteData(this.lambda);
    else table.grant(this.lambda, ...access);
    suppress(this.role, 'IAM5', "Table grants include the table's own indexes (<table arn>/index/*), nothing wider.", [
      { regex: '/^Resource::<[A-Za-z0-9]+\\.Arn>\\/index\\/\\*$/g' },
    ]);
    return this;
  }
}
