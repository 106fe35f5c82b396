import { type Duration, Fn } from 'aws-cdk-lib';
import * as dax from 'aws-cdk-lib/aws-dax';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { CrestFunction } from './crest-function.js';

export interface DaxCacheProps {
  table: dynamodb.ITable;
  nodeType: string;
  replicationFactor: number;
  /** DAX item-cache TTL: the staleness bound of this layer for writes that bypass DAX. */
  itemTtl: Duration;
  /** DAX query-cache TTL (writes never refresh the query cache). */
  queryTtl: Duration;
  /** How many availability zones the VPC spans: the region's first N (the region must offer N). */
  availabilityZones: number;
}

/** What a client function may do through DAX. */
export type DaxAccess = 'R' | 'RW';

const DAX_TLS_PORT = 9111;

/**
 * DAX in front of the catalog table, inside its own VPC: isolated subnets only (no NAT, no
 * internet), a DynamoDB gateway endpoint so writes from VPC functions stay private, flow logs,
 * encryption at rest and TLS to the cluster. A function becomes a client by being created with
 * `new CrestFunction(…, { dax: { cache, access } })`, which places it in the VPC and calls `attach`.
 */
export class DaxCache extends Construct {
  readonly vpc: ec2.Vpc;
  readonly clientSecurityGroup: ec2.SecurityGroup;
  readonly cluster: dax.CfnCluster;

  constructor(scope: Construct, id: string, props: DaxCacheProps) {
    super(scope, id);
    this.vpc = new ec2.Vpc(this, 'Vpc', {
      // Chosen by CloudFormation at deploy time, not looked up at synth time: the template is the
      // same with or without credentials (a lookup would give 3 AZs, an agnostic synth only 2).
      availabilityZones: Array.from({ length: props.availabilityZones }, (_, i) => Fn.select(i, Fn.getAzs())),
      natGateways: 0,
      subnetConfiguration: [{ name: 'isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 }],
      gatewayEndpoints: { DynamoDB: { service: ec2.GatewayVpcEndpointAwsService.DYNAMODB } },
      flowLogs: {
        all: {
          destination: ec2.FlowLogDestination.toCloudWatchLogs(
            new logs.LogGroup(this, 'FlowLogs', { retention: logs.RetentionDays.ONE_MONTH }),
          ),
        },
      },
    });

    this.clientSecurityGroup = new ec2.SecurityGroup(this, 'ClientSg', {
      vpc: this.vpc,
      description: 'Lambda functions that read through DAX',
      allowAllOutbound: true,
    });
    const clusterSg = new ec2.SecurityGroup(this, 'ClusterSg', {
      vpc: this.vpc,
      description: 'DAX cluster: TLS from Crest functions only',
      allowAllOutbound: false,
    });
    clusterSg.addIngressRule(this.clientSecurityGroup, ec2.Port.tcp(DAX_TLS_PORT), 'DAX TLS from Crest functions');

    const role = new iam.Role(this, 'ServiceRole', {
      assumedBy: new iam.ServicePrincipal('dax.amazonaws.com'),
      description: 'Lets DAX read and write through to the catalog table',
    });
    props.table.grantReadWriteData(role);

    const subnetGroup = new dax.CfnSubnetGroup(this, 'Subnets', {
      subnetIds: this.vpc.isolatedSubnets.map((s) => s.subnetId),
      description: 'Crest DAX isolated subnets',
    });
    const parameterGroup = new dax.CfnParameterGroup(this, 'Parameters', {
      description: 'Crest DAX cache TTLs',
      parameterNameValues: {
        'record-ttl-millis': String(props.itemTtl.toMilliseconds()),
        'query-ttl-millis': String(props.queryTtl.toMilliseconds()),
      },
    });

    this.cluster = new dax.CfnCluster(this, 'Cluster', {
      iamRoleArn: role.roleArn,
      nodeType: props.nodeType,
      replicationFactor: props.replicationFactor,
      subnetGroupName: subnetGroup.ref,
      parameterGroupName: parameterGroup.ref,
      securityGroupIds: [clusterSg.securityGroupId],
      sseSpecification: { sseEnabled: true },
      clusterEndpointEncryptionType: 'TLS',
      description: 'Crest catalog read cache',
    });
    this.cluster.node.addDependency(role);
  }

  get discoveryEndpoint(): string {
    return this.cluster.attrClusterDiscoveryEndpointUrl;
  }

  /**
   * Where a client must run: this VPC's isolated subnets, in the client security group (the only
   * one the cluster accepts). CrestFunction reads it when given `dax`, because Lambda's VPC
   * configuration can only be set when the function is created.
   */
  get clientPlacement(): { vpc: ec2.IVpc; subnets: ec2.SubnetSelection; securityGroups: ec2.ISecurityGroup[] } {
    return { vpc: this.vpc, subnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED }, securityGroups: [this.clientSecurityGroup] };
  }

  /**
   * Lets `fn` read (and with 'RW' write) through DAX and gives it DAX_ENDPOINT. Called by
   * CrestFunction for a function created with `dax`; refuses a function that was not placed with
   * `clientPlacement`, so placement and grants cannot disagree.
   */
  attach(fn: CrestFunction, access: DaxAccess): void {
    const placed = fn.lambda.isBoundToVpc && fn.lambda.connections.securityGroups.includes(this.clientSecurityGroup);
    if (!placed) throw new Error(`${fn.node.path} must be created with \`dax\` to run in the DAX VPC before it is attached`);
    const actions = ['dax:GetItem', 'dax:BatchGetItem', 'dax:Query', 'dax:Scan', 'dax:ConditionCheckItem'];
    if (access === 'RW') actions.push('dax:PutItem', 'dax:UpdateItem', 'dax:DeleteItem', 'dax:BatchWriteItem');
    fn.role.addToPolicy(new iam.PolicyStatement({ actions, resources: [this.cluster.attrArn] }));
    fn.lambda.addEnvironment('DAX_ENDPOINT', this.discoveryEndpoint);
  }
}
