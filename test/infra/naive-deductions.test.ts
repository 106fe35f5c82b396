import { App } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { readSettings } from '../../lib/context.js';
import { nagFindings, synth } from '../helpers/synth.js';

describe('NaiveDeductions (context benchBaseline)', () => {
  // Synthesized up front: the first synthesis of a file loads the CDK, slow on a busy machine.
  let plain: ReturnType<typeof synth>;
  let withBaseline: ReturnType<typeof synth>;
  beforeAll(() => {
    plain = synth({ target: 'local' });
    withBaseline = synth({ target: 'local', benchBaseline: true });
  });

  it('is refused on every target but local: the baseline is never deployed', () => {
    const settings = (context: Record<string, unknown>) => readSettings(new App({ context }).node);
    expect(() => settings({ benchBaseline: true })).toThrow(/benchBaseline=true is only for target=local.*target=aws/);
    expect(() => settings({ benchBaseline: 'true', target: 'localstack' })).toThrow(/target=localstack/);
    expect(settings({ benchBaseline: true, target: 'local' }).benchBaseline).toBe(true);
    expect(settings({ target: 'local' }).benchBaseline).toBe(false);
  });

  it('adds nothing unless asked', () => {
    const { template } = plain;
    const described = JSON.stringify(template.toJSON());
    expect(described).not.toContain('naive-deductions');
    expect(described).not.toContain('"bench"');
  });

  it('mounts the baseline with the buy route’s options, with only UpdateItem on the catalog, cdk-nag clean', () => {
    const { template, annotations } = withBaseline;
    template.hasResourceProperties('AWS::ApiGateway::Resource', { PathPart: 'bench' });
    // Crest's buy route and the baseline: the only POSTs on /…/products/{sku}/deductions, alike
    // in everything API Gateway checks before the function runs (authorizer, required headers).
    const buyRoutes = Object.values(
      template.findResources('AWS::ApiGateway::Method', {
        Properties: {
          HttpMethod: 'POST',
          RequestParameters: Match.objectLike({ 'method.request.path.sku': true, 'method.request.header.Idempotency-Key': true }),
        },
      }),
    ).map(({ Properties: p }) => ({
      AuthorizationType: p.AuthorizationType,
      AuthorizerId: p.AuthorizerId,
      ApiKeyRequired: p.ApiKeyRequired,
      RequestParameters: p.RequestParameters,
      RequestValidatorId: p.RequestValidatorId,
    }));
    expect(buyRoutes).toHaveLength(2);
    expect(buyRoutes[0]?.AuthorizationType).toBe('COGNITO_USER_POOLS');
    expect(buyRoutes[1]).toEqual(buyRoutes[0]);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('Benchmark baseline'),
      Environment: { Variables: Match.objectLike({ CATALOG_TABLE: Match.anyValue() }) },
    });
    const policies = template.findResources('AWS::IAM::Policy', {
      Properties: { PolicyName: Match.stringLikeRegexp('BenchNaiveDeductions') },
    });
    const actions = Object.values(policies).flatMap((p) =>
      (p.Properties.PolicyDocument.Statement as Array<{ Action: string | string[] }>).flatMap((s) => [s.Action].flat()),
    );
    expect(actions.filter((a) => a.startsWith('dynamodb:'))).toEqual(['dynamodb:UpdateItem']);
    expect(nagFindings(annotations)).toEqual([]);
  });
});
