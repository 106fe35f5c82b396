import { App } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { readSettings } from '../../lib/context.js';
import { nagFindings, synth } from '../helpers/synth.js';

const NAIVE_ROUTE = Match.objectLike({
  HttpMethod: 'POST',
  RequestParameters: Match.objectLike({ 'method.request.header.Idempotency-Key': true }),
});

describe('NaiveDeductions (context benchBaseline)', () => {
  it('is refused on every target but local: the baseline is never deployed', () => {
    const settings = (context: Record<string, unknown>) => readSettings(new App({ context }).node);
    expect(() => settings({ benchBaseline: true })).toThrow(/benchBaseline=true is only for target=local.*target=aws/);
    expect(() => settings({ benchBaseline: 'true', target: 'localstack' })).toThrow(/target=localstack/);
    expect(settings({ benchBaseline: true, target: 'local' }).benchBaseline).toBe(true);
    expect(settings({ target: 'local' }).benchBaseline).toBe(false);
  });

  it('adds nothing unless asked', () => {
    const { template } = synth({ target: 'local' });
    const described = JSON.stringify(template.toJSON());
    expect(described).not.toContain('naive-deductions');
    expect(described).not.toContain('"bench"');
  });

  it('mounts the baseline like the buy route, with only UpdateItem on the catalog, cdk-nag clean', () => {
    const { template, annotations } = synth({ target: 'local', benchBaseline: true });
    template.hasResourceProperties('AWS::ApiGateway::Resource', { PathPart: 'bench' });
    template.hasResourceProperties('AWS::ApiGateway::Method', NAIVE_ROUTE);
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
