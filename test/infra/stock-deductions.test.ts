import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { synth } from '../helpers/synth.js';

const CONSUMER = { Description: Match.stringLikeRegexp('Drains the deductions queue') };

describe('StockDeductions', () => {
  const { template } = synth({ dax: false, deductionConcurrency: 7, deductionTimeoutSeconds: 20, deductionMaxReceiveCount: 4 });

  it('caps the consumer through the SQS event source’s maximum concurrency, with partial batch responses', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      BatchSize: 100,
      MaximumBatchingWindowInSeconds: 1,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 7 },
    });
  });

  it('reserves no concurrency by default, so the deploy fits accounts with a quota of 10 or 50', () => {
    const [consumer] = Object.values(template.findResources('AWS::Lambda::Function', { Properties: CONSUMER }));
    expect(consumer?.Properties.Timeout).toBe(20);
    expect(consumer?.Properties.ReservedConcurrentExecutions).toBeUndefined();
    for (const fn of Object.values(template.findResources('AWS::Lambda::Function'))) {
      expect(fn.Properties.ReservedConcurrentExecutions).toBeUndefined();
    }
  });

  it('reserves the same N for the consumer when deductionReservedConcurrency is on', () => {
    const reserved = synth({ dax: false, deductionConcurrency: 7, deductionReservedConcurrency: true }).template;
    reserved.hasResourceProperties('AWS::Lambda::Function', { ...CONSUMER, ReservedConcurrentExecutions: 7 });
    reserved.hasResourceProperties('AWS::Lambda::EventSourceMapping', { ScalingConfig: { MaximumConcurrency: 7 } });
  });

  it('fails synthesis with the key’s name when the consumer concurrency is below 2', () => {
    expect(() => synth({ dax: false, deductionConcurrency: 1 })).toThrow(/context deductionConcurrency must be an integer from 2 to 1000/);
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
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('StockDeductionsDeadLetters'), 'QueueName'] } }],
    });
  });

  it('keeps deduction records on a TTL so unconfirmed requests expire', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', { TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true } });
  });

  it('requires the Idempotency-Key header and the SKU on POST /v1/products/{sku}/deductions at the gateway', () => {
    template.hasResourceProperties('AWS::ApiGateway::Method', {
      HttpMethod: 'POST',
      AuthorizationType: 'COGNITO_USER_POOLS',
      RequestParameters: { 'method.request.header.Idempotency-Key': true, 'method.request.path.sku': true },
    });
  });

  it('derives ids with a secret Secrets Manager generates at deploy, readable by the deductions API alone', () => {
    const [secretId, secret] = Object.entries(template.findResources('AWS::SecretsManager::Secret'))[0] ?? [];
    expect(secret?.Properties).toMatchObject({ GenerateSecretString: { PasswordLength: 64, ExcludePunctuation: true } });
    expect(secret?.Properties.SecretString).toBeUndefined();

    const readers = Object.values(template.findResources('AWS::IAM::Policy')).filter((p) =>
      JSON.stringify(p.Properties.PolicyDocument).includes(`"Ref":"${secretId}"`),
    );
    expect(readers).toHaveLength(1);
    expect(JSON.stringify(readers[0]?.Properties.PolicyDocument)).toContain('secretsmanager:GetSecretValue');
    const [api] = Object.values(
      template.findResources('AWS::Lambda::Function', { Properties: { Description: Match.stringLikeRegexp('^POST /v1/products') } }),
    );
    expect(api?.Properties.Environment.Variables.DEDUCTION_ID_SECRET_ARN).toEqual({ Ref: secretId });
  });
});
