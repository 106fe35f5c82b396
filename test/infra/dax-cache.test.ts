import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { CrestTable } from '../../lib/constructs/building-blocks.js';
import { CrestFunction } from '../../lib/constructs/crest-function.js';
import { DaxCache } from '../../lib/constructs/dax-cache.js';
import { synth } from '../helpers/synth.js';

describe('DaxCache clients in the stack', () => {
  const { template } = synth({ dax: true });

  it('places the product reader in the VPC, read-only through DAX, with DAX_ENDPOINT set', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('GET /v1/products'),
      VpcConfig: Match.objectLike({ SubnetIds: Match.anyValue(), SecurityGroupIds: Match.anyValue() }),
      Environment: { Variables: Match.objectLike({ DAX_ENDPOINT: Match.anyValue(), CATALOG_TABLE: Match.anyValue() }) },
    });
  });

  it('lets the stream processor write through DAX (to refresh the item cache) from inside the VPC', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('Catalog stream'),
      VpcConfig: Match.anyValue(),
      Environment: { Variables: Match.objectLike({ DAX_ENDPOINT: Match.anyValue() }) },
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: Match.arrayWith(['dax:PutItem']) })]) },
    });
  });

  it('grants DAX only to functions in its VPC (no function outside it can reach the cluster)', () => {
    const functions = template.findResources('AWS::Lambda::Function');
    const withEndpoint = Object.values(functions).filter((f) => f.Properties.Environment?.Variables?.DAX_ENDPOINT);
    expect(withEndpoint).toHaveLength(2);
    for (const fn of withEndpoint) expect(fn.Properties.VpcConfig).toBeDefined();
  });
});

describe('DaxCache.attach', () => {
  const setup = () => {
    const stack = new Stack(new App(), 'DaxTest');
    const table = new CrestTable(stack, 'Table');
    const cache = new DaxCache(stack, 'Dax', {
      table,
      nodeType: 'dax.t3.small',
      replicationFactor: 1,
      availabilityZones: 2,
      itemTtl: Duration.minutes(1),
      queryTtl: Duration.minutes(1),
    });
    return { stack, cache };
  };

  it('refuses a function that was not created in the cluster’s VPC', () => {
    const { stack, cache } = setup();
    const outside = new CrestFunction(stack, 'Outside', { name: 'product-read', description: 'outside' });
    expect(() => cache.attach(outside, 'R')).toThrow(/must be created with `dax`/);
  });

  it('is what a function created with `dax` gets: placement, grant and endpoint in one step', () => {
    const { stack, cache } = setup();
    const client = new CrestFunction(stack, 'Client', { name: 'product-read', description: 'client', dax: { cache, access: 'R' } });
    expect(client.lambda.isBoundToVpc).toBe(true);
    expect(client.lambda.connections.securityGroups).toContain(cache.clientSecurityGroup);
    const template = Template.fromStack(stack);
    const policies = JSON.stringify(template.findResources('AWS::IAM::Policy'));
    expect(policies).toContain('dax:GetItem');
    expect(policies).not.toContain('dax:PutItem');
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: 'client',
      Environment: { Variables: Match.objectLike({ DAX_ENDPOINT: Match.anyValue() }) },
    });
  });
});
