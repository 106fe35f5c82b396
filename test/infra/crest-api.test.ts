import { App, Duration, Stack } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import type * as apigw from 'aws-cdk-lib/aws-apigateway';
import { describe, expect, it } from 'vitest';
import type { RouteAccess, RouteSpec } from '../../lambdas/http/api-contract.js';
import { BuyerIdentity } from '../../lib/constructs/buyer-identity.js';
import { CrestApi } from '../../lib/constructs/crest-api.js';
import { CrestFunction } from '../../lib/constructs/crest-function.js';
import { synth } from '../helpers/synth.js';

interface WafRule {
  Name: string;
  Priority: number;
  Action?: Record<string, unknown>;
  Statement: Record<string, unknown>;
}

function webAclRules(template: Template): WafRule[] {
  const [acl] = Object.values(template.findResources('AWS::WAFv2::WebACL'));
  return (acl?.Properties.Rules ?? []) as WafRule[];
}

/** The URI path regex inside rule `name`, as WAF would evaluate it. */
function rulePath(rules: WafRule[], name: string): RegExp {
  const json = JSON.stringify(rules.find((r) => r.Name === name));
  const [, regex] = /"RegexString":"((?:[^"\\]|\\.)*)"/.exec(json) ?? [];
  return new RegExp(JSON.parse(`"${regex}"`) as string);
}

describe('CrestApi web ACL', () => {
  const { template } = synth({ dax: true });
  const rules = webAclRules(template);

  it('counts the common rule set’s 8 KB body rule instead of blocking, and keeps every other rule', () => {
    const common = rules.find((r) => r.Name === 'aws-common');
    expect(common?.Statement).toEqual({
      ManagedRuleGroupStatement: {
        VendorName: 'AWS',
        Name: 'AWSManagedRulesCommonRuleSet',
        RuleActionOverrides: [{ Name: 'SizeRestrictions_BODY', ActionToUse: { Count: {} } }],
      },
    });
  });

  it('blocks an oversized body on its label after the common rules, except for a feed publish', () => {
    const common = rules.find((r) => r.Name === 'aws-common');
    const bodySize = rules.find((r) => r.Name === 'body-size-except-publish');
    expect(bodySize?.Action).toEqual({ Block: {} });
    expect(bodySize?.Priority).toBeGreaterThan(common?.Priority ?? Number.POSITIVE_INFINITY);
    expect(JSON.stringify(bodySize?.Statement)).toContain('"Key":"awswaf:managed:aws:core-rule-set:SizeRestrictions_Body"');
    expect(JSON.stringify(bodySize?.Statement)).toContain('"SearchString":"POST"');

    const exempt = rulePath(rules, 'body-size-except-publish');
    for (const path of ['/live/v1/admin/feeds/todays-picks/versions', '/v1/admin/feeds/todays-picks/versions']) {
      expect(exempt.test(path), path).toBe(true);
    }
    for (const path of [
      '/live/v1/products/SKU-1/deductions',
      '/live/v1/admin/feeds/todays-picks/degrade',
      '/live/v1/admin/products/SKU-1',
      '/live/v1/admin/feeds/a/b/versions',
      '/other/v1/admin/feeds/todays-picks/versions',
      '/live/v1/admin/feeds/todays-picks/versions/extra',
    ]) {
      expect(exempt.test(path), path).toBe(false);
    }
  });

  it('answers the per-IP rate limit with 429 and Retry-After, in the Crest error shape', () => {
    const perIp = rules.find((r) => r.Name === 'per-ip-rate');
    expect(perIp?.Action).toEqual({
      Block: {
        CustomResponse: {
          ResponseCode: 429,
          CustomResponseBodyKey: 'per-ip-rate',
          ResponseHeaders: [
            { Name: 'retry-after', Value: '60' },
            { Name: 'cache-control', Value: 'no-store' },
          ],
        },
      },
    });
    const [acl] = Object.values(template.findResources('AWS::WAFv2::WebACL'));
    const body = JSON.parse(acl?.Properties.CustomResponseBodies['per-ip-rate'].Content);
    expect(body).toEqual({ error: { code: 'THROTTLED', message: expect.stringContaining('retry after 60 s') }, requestId: null });
  });

  it('limits the buy route per Authorization header, over one minute, from context, besides the per-IP rule', () => {
    const perBuyer = rules.find((r) => r.Name === 'per-buyer-rate');
    const statement = (perBuyer?.Statement as { RateBasedStatement?: Record<string, unknown> } | undefined)?.RateBasedStatement ?? {};

    expect(statement).toMatchObject({
      AggregateKeyType: 'CUSTOM_KEYS',
      CustomKeys: [{ Header: { Name: 'authorization', TextTransformations: [{ Priority: 0, Type: 'NONE' }] } }],
      EvaluationWindowSec: 60,
      Limit: 60,
    });
    expect(JSON.stringify(statement.ScopeDownStatement)).toContain('"SearchString":"POST"');
    const buyPath = rulePath(rules, 'per-buyer-rate');
    for (const path of ['/live/v1/products/FLASH-0001/deductions', '/v1/products/FLASH-0001/deductions'])
      expect(buyPath.test(path), path).toBe(true);
    for (const path of ['/live/v1/products/FLASH-0001', '/live/v1/deductions/d_x/cancel', '/live/v1/products/a/b/deductions']) {
      expect(buyPath.test(path), path).toBe(false);
    }
    expect(rules.find((r) => r.Name === 'per-ip-rate')).toBeDefined();
    expect(webAclRules(synth({ dax: false, buyerRateLimit: 25 }).template).find((r) => r.Name === 'per-buyer-rate')).toMatchObject({
      Statement: { RateBasedStatement: { Limit: 25 } },
    });
  });

  it('answers the per-buyer limit with 429 and Retry-After, in the Crest error shape', () => {
    const perBuyer = rules.find((r) => r.Name === 'per-buyer-rate');
    expect(perBuyer?.Action).toEqual({
      Block: {
        CustomResponse: {
          ResponseCode: 429,
          CustomResponseBodyKey: 'per-buyer-rate',
          ResponseHeaders: [
            { Name: 'retry-after', Value: '60' },
            { Name: 'cache-control', Value: 'no-store' },
          ],
        },
      },
    });
    const [acl] = Object.values(template.findResources('AWS::WAFv2::WebACL'));
    const body = JSON.parse(acl?.Properties.CustomResponseBodies['per-buyer-rate'].Content);
    expect(body).toEqual({ error: { code: 'THROTTLED', message: expect.stringContaining('retry after 60 s') }, requestId: null });
  });
});

/** A route contract entry for these tests: a GET or POST of `access`, no parameters. */
const testRoute = (access: RouteAccess): RouteSpec => ({
  operationId: `test${access}`,
  summary: '',
  description: '',
  tag: 'Health',
  access,
  answeredBy: 'function',
  path: {},
  headers: {},
  answers: { 200: { description: '', headers: {} } },
  errors: [],
});
const contract: Record<string, RouteSpec> = {
  'POST /v1/slow': testRoute('public'),
  'POST /v1/quick': testRoute('buyer'),
  'GET /v1/public': testRoute('public'),
  'GET /v1/buyer': testRoute('buyer'),
  'GET /v1/admin': testRoute('admin'),
};

describe('CrestApi.addRoute', () => {
  const setup = () => {
    const stack = new Stack(new App(), 'RouteTest');
    const identity = new BuyerIdentity(stack, 'Identity');
    const api = new CrestApi(stack, 'Api', { throttleRate: 10, throttleBurst: 20, waf: false, identity, buyerRateLimit: 60, contract });
    return { stack, api };
  };

  it('refuses a function that would outlive API Gateway’s 29 s integration timeout', () => {
    const { stack, api } = setup();
    const slow = new CrestFunction(stack, 'Slow', { name: 'feed-admin', description: 'slow', timeout: Duration.seconds(29) });
    expect(() => api.addRoute('POST', '/v1/slow', slow, { access: 'public' })).toThrow(
      /times out after 29 s; behind API Gateway it must time out under 29 s/,
    );
  });

  it('accepts a function that answers before the gateway gives up', () => {
    const { stack, api } = setup();
    const quick = new CrestFunction(stack, 'Quick', { name: 'feed-admin', description: 'quick', timeout: Duration.seconds(28) });
    expect(api.addRoute('POST', '/v1/quick', quick, { access: 'buyer' }).httpMethod).toBe('POST');
  });

  it('puts the Cognito authorizer on buyer and admin routes and none on public ones', () => {
    const { stack, api } = setup();
    const fn = new CrestFunction(stack, 'Fn', { name: 'feed-admin', description: 'fn' });
    const methods = (['public', 'buyer', 'admin'] as const).map((access) => {
      const method = api.addRoute('GET', `/v1/${access}`, fn, { access });
      return stack.resolve((method.node.defaultChild as apigw.CfnMethod).authorizationType);
    });

    expect(methods).toEqual(['NONE', 'COGNITO_USER_POOLS', 'COGNITO_USER_POOLS']);
  });

  it('refuses a route the contract lacks, and an access the contract does not say', () => {
    const { stack, api } = setup();
    const fn = new CrestFunction(stack, 'Fn', { name: 'feed-admin', description: 'fn' });
    expect(() => api.addRoute('GET', '/v1/unlisted', fn, { access: 'public' })).toThrow(/not a function route of the route contract/);
    expect(() => api.addRoute('GET', '/v1/admin', fn, { access: 'buyer' })).toThrow(/says access admin, not buyer/);
  });
});
