import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { synth } from '../helpers/synth.js';

/**
 * LocalStack service (a name for its SERVICES variable) behind each CloudFormation resource type
 * the target=localstack template may use, by type prefix (the longest prefix wins). A new resource
 * type fails the test below until it is added here, and the compose file then has to enable it.
 */
const SERVICES_BY_TYPE: Record<string, string[]> = {
  'AWS::ApiGateway::': ['apigateway'],
  'AWS::CDK::Metadata': ['cloudformation'],
  'AWS::CloudWatch::': ['cloudwatch'],
  // The user pool, its clients and groups; not in LocalStack Community (README, LocalStack).
  'AWS::Cognito::': ['cognito-idp'],
  // A table's stream is read through the DynamoDB Streams API by the event source mapping.
  'AWS::DynamoDB::Table': ['dynamodb', 'dynamodbstreams'],
  'AWS::Events::': ['events'],
  'AWS::IAM::': ['iam'],
  'AWS::KMS::': ['kms'],
  'AWS::Lambda::': ['lambda'],
  'AWS::Logs::': ['logs'],
  'AWS::S3::': ['s3'],
  'AWS::SecretsManager::': ['secretsmanager'],
  'AWS::SNS::': ['sns'],
  'AWS::SQS::': ['sqs'],
  // CDK custom resources are Lambda-backed.
  'Custom::': ['lambda'],
};

/** What `cdklocal bootstrap` and `cdklocal deploy` call besides the template's own services. */
const CDKLOCAL_SERVICES = ['cloudformation', 'iam', 's3', 'ssm', 'sts'];

const ROOT = path.resolve(import.meta.dirname, '../..');

function servicesFor(type: string): string[] | undefined {
  const prefix = Object.keys(SERVICES_BY_TYPE)
    .filter((p) => type.startsWith(p))
    .sort((a, b) => b.length - a.length)[0];
  return prefix === undefined ? undefined : SERVICES_BY_TYPE[prefix];
}

/** The services a template needs that a compose file's SERVICES does not enable (or unmapped types). */
function missingServices(resourceTypes: string[], compose: string): string[] {
  const enabled = new Set(
    composeVariable(compose, 'SERVICES')
      ?.split(',')
      .map((s) => s.trim()) ?? [],
  );
  const missing = new Set<string>();
  for (const type of resourceTypes) {
    const services = servicesFor(type);
    if (!services) missing.add(`${type} (not in SERVICES_BY_TYPE)`);
    for (const service of services ?? []) if (!enabled.has(service)) missing.add(service);
  }
  for (const service of CDKLOCAL_SERVICES) if (!enabled.has(service)) missing.add(service);
  return [...missing].sort();
}

/** `NAME: value` under the compose service's environment (quotes stripped). */
function composeVariable(compose: string, name: string): string | undefined {
  const match = new RegExp(`^\\s+${name}:\\s*(.+?)\\s*$`, 'm').exec(compose);
  return match?.[1]?.replace(/^["']|["']$/g, '');
}

describe('docker-compose.yml (LocalStack)', () => {
  const compose = readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8');
  const { template } = synth({ target: 'localstack' });
  const resourceTypes = [...new Set(Object.values(template.toJSON().Resources as Record<string, { Type: string }>).map((r) => r.Type))];

  it('enables every service the target=localstack template and cdklocal use', () => {
    expect(resourceTypes).toEqual(expect.arrayContaining(['AWS::CloudWatch::Alarm', 'AWS::Events::Rule', 'AWS::DynamoDB::Table']));
    expect(missingServices(resourceTypes, compose)).toEqual([]);
  });

  it('pins the LocalStack image to a version', () => {
    const [, image] = /^\s+image:\s*(\S+)\s*$/m.exec(compose) ?? [];
    expect(image).toMatch(/^localstack\/localstack:\d+\.\d+\.\d+$/);
  });

  it('runs the arm64 functions on any host architecture', () => {
    expect(composeVariable(compose, 'LAMBDA_IGNORE_ARCHITECTURE')).toBe('1');
  });
});

describe('missingServices', () => {
  const compose = '    environment:\n      SERVICES: cloudformation,iam,s3,ssm,sts,lambda,events\n';

  it('names a service the template uses and the compose file does not enable', () => {
    expect(missingServices(['AWS::Events::Rule', 'AWS::CloudWatch::Alarm'], compose)).toEqual(['cloudwatch']);
    expect(missingServices(['AWS::DynamoDB::Table'], compose)).toEqual(['dynamodb', 'dynamodbstreams']);
  });

  it('names a resource type nobody has mapped to a service yet', () => {
    expect(missingServices(['AWS::Kinesis::Stream'], compose)).toEqual(['AWS::Kinesis::Stream (not in SERVICES_BY_TYPE)']);
  });

  it('names what cdklocal needs when the compose file forgets it', () => {
    expect(missingServices([], '      SERVICES: lambda\n')).toEqual(CDKLOCAL_SERVICES);
  });
});
