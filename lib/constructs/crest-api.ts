import { RemovalPolicy } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { GATEWAY_ERRORS, type GatewayError, gatewayResponseHeaders, gatewayResponseTemplate } from '../gateway-responses.js';
import { suppress } from '../nag.js';

export interface CrestApiProps {
  throttleRate: number;
  throttleBurst: number;
  waf: boolean;
}

export interface RouteOptions {
  /** Admin routes: require an API key (usage plan) — see AdminAccess. */
  apiKeyRequired?: boolean;
  /** Whether the request must carry a body (checked by API Gateway's request validator). */
  requiredHeaders?: string[];
}

export const STAGE_NAME = 'live';

/**
 * The public REST API (v1: LocalStack Community serves only v1, and v1 has usage plans, request
 * validation and WAF). Stage throttling comes from context; access logs are JSON; execution
 * logs at ERROR. Capabilities add their routes with `addRoute`.
 */
export class CrestApi extends Construct {
  readonly api: apigw.RestApi;
  private readonly validator: apigw.RequestValidator;
  private adminKey?: apigw.IApiKey;

  constructor(scope: Construct, id: string, props: CrestApiProps) {
    super(scope, id);
    const accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.api = new apigw.RestApi(this, 'Api', {
      description: 'Crest product API',
      endpointTypes: [apigw.EndpointType.REGIONAL],
      cloudWatchRole: true,
      deployOptions: {
        stageName: STAGE_NAME,
        throttlingRateLimit: props.throttleRate,
        throttlingBurstLimit: props.throttleBurst,
        loggingLevel: apigw.MethodLoggingLevel.ERROR,
        metricsEnabled: true,
        tracingEnabled: true,
        accessLogDestination: new apigw.LogGroupLogDestination(accessLogs),
        accessLogFormat: apigw.AccessLogFormat.jsonWithStandardFields(),
      },
    });
    this.validator = new apigw.RequestValidator(this, 'Validator', {
      restApi: this.api,
      validateRequestParameters: true,
      // Bodies are validated in the functions with zod (field-level details); this also satisfies APIG2.
      validateRequestBody: true,
    });
    suppress(
      this.api,
      'IAM4',
      'AmazonAPIGatewayPushToCloudWatchLogs is the AWS-documented policy for the account-level API Gateway logging role.',
      ['Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs'],
    );

    for (const [key, error] of Object.entries(GATEWAY_ERRORS) as Array<[string, GatewayError]>) {
      this.api.addGatewayResponse(`Gw${key}`, {
        type: apigw.ResponseType.of(error.type),
        // Only where Crest's status differs from API Gateway's (never on DEFAULT_4XX/5XX).
        ...(error.overrideStatus ? { statusCode: String(error.status) } : {}),
        responseHeaders: Object.fromEntries(Object.entries(gatewayResponseHeaders(error)).map(([k, v]) => [k, `'${v}'`])),
        templates: { 'application/json': gatewayResponseTemplate(error) },
      });
    }

    if (props.waf) this.attachWaf(props.throttleRate);
    else suppress(this.api, 'APIG3', 'WAF is disabled by context (waf=false) for LocalStack/local targets, which have no WAFv2.');
  }

  /**
   * Adds `METHOD path` (e.g. `GET /v1/products/{sku}`) as a Lambda proxy integration. Path
   * parameters are declared required so API Gateway's validator rejects requests missing them.
   */
  addRoute(method: string, path: string, fn: lambda.IFunction, options: RouteOptions = {}): apigw.Method {
    const resource = this.api.root.resourceForPath(path);
    const requestParameters: Record<string, boolean> = {};
    for (const match of path.matchAll(/\{([^}]+)\}/g)) requestParameters[`method.request.path.${match[1]}`] = true;
    for (const name of options.requiredHeaders ?? []) requestParameters[`method.request.header.${name}`] = true;
    const methodResource = resource.addMethod(method, new apigw.LambdaIntegration(fn, { proxy: true }), {
      apiKeyRequired: options.apiKeyRequired ?? false,
      requestParameters,
      requestValidator: this.validator,
    });
    if (options.apiKeyRequired) this.ensureAdminKey();
    if (!options.apiKeyRequired) {
      suppress(
        methodResource,
        'APIG4',
        'Public storefront route for anonymous mobile clients; abuse is bounded by stage throttling and WAF rate rules.',
      );
      suppress(methodResource, 'COG4', 'Public storefront route: no user pool by design (see APIG4).');
    } else {
      suppress(
        methodResource,
        'APIG4',
        'Admin route authenticated with an API key through a usage plan (no IAM/Cognito callers exist for it).',
      );
      suppress(methodResource, 'COG4', 'Admin route authenticated with an API key through a usage plan.');
    }
    return methodResource;
  }

  /**
   * The admin API key and its usage plan (created with the first admin route). Read the key's
   * value with `aws apigateway get-api-key --api-key <AdminApiKeyId> --include-value`.
   */
  get adminApiKey(): apigw.IApiKey | undefined {
    return this.adminKey;
  }

  private ensureAdminKey(): void {
    if (this.adminKey) return;
    this.adminKey = this.api.addApiKey('AdminKey', { description: 'Crest admin routes (/v1/admin/*)' });
    const plan = this.api.addUsagePlan('AdminPlan', {
      description: 'Crest admin clients',
      throttle: { rateLimit: 50, burstLimit: 100 },
    });
    plan.addApiKey(this.adminKey);
    plan.addApiStage({ stage: this.api.deploymentStage });
  }

  private attachWaf(throttleRate: number): void {
    const acl = new wafv2.CfnWebACL(this, 'WebAcl', {
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      visibilityConfig: { cloudWatchMetricsEnabled: true, metricName: 'crest-api', sampledRequestsEnabled: true },
      rules: [
        {
          name: 'aws-common',
          priority: 0,
          overrideAction: { none: {} },
          statement: { managedRuleGroupStatement: { vendorName: 'AWS', name: 'AWSManagedRulesCommonRuleSet' } },
          visibilityConfig: { cloudWatchMetricsEnabled: true, metricName: 'crest-aws-common', sampledRequestsEnabled: true },
        },
        {
          // Per-IP ceiling: a single client may not take more than a slice of the stage limit.
          name: 'per-ip-rate',
          priority: 1,
          action: { block: {} },
          statement: { rateBasedStatement: { aggregateKeyType: 'IP', limit: Math.max(100, Math.floor(throttleRate * 60)) } },
          visibilityConfig: { cloudWatchMetricsEnabled: true, metricName: 'crest-per-ip', sampledRequestsEnabled: true },
        },
      ],
    });
    new wafv2.CfnWebACLAssociation(this, 'WebAclAssociation', {
      resourceArn: this.api.deploymentStage.stageArn,
      webAclArn: acl.attrArn,
    });
  }
}
