import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { synth } from '../helpers/synth.js';

const HEALTH_CHECK = { Description: Match.stringLikeRegexp('GET /v1/admin/health') };

describe('ServiceHealth', () => {
  const { template } = synth({ dax: false });
  const methods = Object.values(template.findResources('AWS::ApiGateway::Method'));
  const resources = template.findResources('AWS::ApiGateway::Resource');
  const pathOf = (method: (typeof methods)[number]) => resources[method.Properties.ResourceId?.Ref]?.Properties.PathPart;

  it('answers GET /v1/health in API Gateway itself (MOCK), anonymous and never cached', () => {
    const [health] = methods.filter((m) => pathOf(m) === 'health' && m.Properties.Integration.Type === 'MOCK');
    expect(health?.Properties).toMatchObject({
      HttpMethod: 'GET',
      AuthorizationType: 'NONE',
      Integration: {
        Type: 'MOCK',
        IntegrationResponses: [
          {
            StatusCode: '200',
            ResponseTemplates: { 'application/json': '{"status":"ok"}' },
            ResponseParameters: { 'method.response.header.Cache-Control': "'no-store'" },
          },
        ],
      },
    });
    expect(health?.Properties.ApiKeyRequired ?? false).toBe(false);
  });

  it('serves GET /v1/admin/health from the health-check function, as an admin route', () => {
    const [deep] = methods.filter((m) => pathOf(m) === 'health' && m.Properties.Integration.Type === 'AWS_PROXY');
    expect(deep?.Properties.AuthorizationType).toBe('COGNITO_USER_POOLS');
    const [id] = Object.keys(template.findResources('AWS::Lambda::Function', { Properties: HEALTH_CHECK }));
    expect(JSON.stringify(deep?.Properties.Integration.Uri)).toContain(`"${id}"`);
  });

  it('names every dependency it probes in HEALTH_TARGETS', () => {
    const [fn] = Object.values(template.findResources('AWS::Lambda::Function', { Properties: HEALTH_CHECK }));
    const text = JSON.stringify(fn?.Properties.Environment.Variables.HEALTH_TARGETS);
    for (const name of [
      'catalog',
      'deductions',
      'feeds',
      'deductions-dlq',
      'catalog-stream-failures',
      'feed-static-copies',
      'catalog-stream',
    ]) {
      expect(text).toContain(`\\"name\\":\\"${name}\\"`);
    }
  });

  it('may only read: GetItem on tables, GetQueueAttributes on queues, ListBucket on the bucket', () => {
    const [role] = Object.keys(template.findResources('AWS::IAM::Role', { Properties: { Description: 'Execution role of health-check' } }));
    const policies = Object.values(template.findResources('AWS::IAM::Policy')).filter((p) =>
      JSON.stringify(p.Properties.Roles).includes(`"${role}"`),
    );
    const actions = policies.flatMap((p) => p.Properties.PolicyDocument.Statement.flatMap((s: { Action: string | string[] }) => s.Action));
    expect([...new Set(actions)].sort()).toEqual([
      'dynamodb:GetItem',
      'logs:CreateLogStream',
      'logs:PutLogEvents',
      's3:ListBucket',
      'sqs:GetQueueAttributes',
      'xray:PutTelemetryRecords',
      'xray:PutTraceSegments',
    ]);
  });
});
