import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { GATEWAY_ERRORS, type GatewayError, gatewayResponseHeaders, gatewayResponseTemplate } from '../gateway-responses.js';
import { suppress } from '../nag.js';
import type { CrestFunction } from './crest-function.js';

export interface CrestApiProps {
  throttleRate: number;
  throttleBurst: number;
  waf: boolean;
}

export interface RouteOptions {
  /** Admin routes: require an API key, issued through the admin usage plan (see `adminApiKey`). */
  apiKeyRequired?: boolean;
  /**
   * Headers the request must carry. API Gateway's request validator answers a request without
   * one 400 BAD_REQUEST_PARAMETERS before the function runs.
   */
  requiredHeaders?: string[];
}

export const STAGE_NAME = 'live';

/**
 * API Gateway's default integration timeout. A function behind the API must time out before it,
 * or the client gets a 504 while the function is still running (and may still commit).
 */
export const INTEGRATION_TIMEOUT = Duration.seconds(29);

/** The publish route: its body (up to 1,000 SKUs, ~67 KB) is larger than the WAF body-size rule allows. */
const LARGE_BODY_ROUTE = { method: 'POST', path: '/v1/admin/feeds/{feedId}/versions' } as const;

/** Per-IP rate rule: a blocked client is told to wait this long (WAF evaluates over 5 minutes). */
const PER_IP_RETRY_AFTER_SECONDS = 60;

/**
 * The public REST API (v1: LocalStack Community serves only v1, and v1 has usage plans, request
 * validation and WAF). Stage throttling comes from context; access logs are JSON; execution
 * logs at ERROR. Capabilities add their routes with `addRoute`.
 */
export class CrestApi extends Construct {
  readonly restApi: apigw.RestApi;
  private readonly validator: apigw.RequestValidator;
  private adminKey?: apigw.IApiKey;

  constructor(scope: Construct, id: string, props: CrestApiProps) {
    super(scope, id);
    const accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.restApi = new apigw.RestApi(this, 'Api', {
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
      restApi: this.restApi,
      validateRequestParameters: true,
      // Bodies are validated in the functions with zod (field-level details); this also satisfies APIG2.
      validateRequestBody: true,
    });
    suppress(
      this.restApi,
      'IAM4',
      'AmazonAPIGatewayPushToCloudWatchLogs is the AWS-documented policy for the account-level API Gateway logging role.',
      ['Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs'],
    );

    for (const [key, error] of Object.entries(GATEWAY_ERRORS) as Array<[string, GatewayError]>) {
      this.restApi.addGatewayResponse(`Gw${key}`, {
        type: apigw.ResponseType.of(error.type),
        // Only where Crest's status differs from API Gateway's (never on DEFAULT_4XX/5XX).
        ...(error.overrideStatus ? { statusCode: String(error.status) } : {}),
        responseHeaders: Object.fromEntries(Object.entries(gatewayResponseHeaders(error)).map(([k, v]) => [k, `'${v}'`])),
        templates: { 'application/json': gatewayResponseTemplate(error) },
      });
    }

    if (props.waf) this.attachWaf(props.throttleRate);
    else suppress(this.restApi, 'APIG3', 'WAF is disabled by context (waf=false) for LocalStack/local targets, which have no WAFv2.');
  }

  /**
   * Adds `METHOD path` (e.g. `GET /v1/products/{sku}`) as a Lambda proxy integration. Path
   * parameters are declared required so API Gateway's validator rejects requests missing them.
   * Refuses a function whose timeout is not under API Gateway's integration timeout.
   */
  addRoute(method: string, path: string, fn: CrestFunction, options: RouteOptions = {}): apigw.Method {
    const timeout = fn.lambda.timeout ?? Duration.seconds(3);
    if (timeout.toMilliseconds() >= INTEGRATION_TIMEOUT.toMilliseconds()) {
      throw new Error(
        `${method} ${path}: ${fn.node.path} times out after ${timeout.toSeconds()} s; behind API Gateway it must time out under ${INTEGRATION_TIMEOUT.toSeconds()} s`,
      );
    }
    const resource = this.restApi.root.resourceForPath(path);
    const requestParameters: Record<string, boolean> = {};
    for (const match of path.matchAll(/\{([^}]+)\}/g)) requestParameters[`method.request.path.${match[1]}`] = true;
    for (const name of options.requiredHeaders ?? []) requestParameters[`method.request.header.${name}`] = true;
    const methodResource = resource.addMethod(method, new apigw.LambdaIntegration(fn.lambda, { proxy: true }), {
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
   * Adds `METHOD path` answered by API Gateway itself (a MOCK integration): 200 with `body` as
   * JSON and the given headers, no function and no dependency behind it. Public, like a
   * storefront route (stage throttling and WAF rate rules apply).
   */
  addMockRoute(method: string, path: string, answer: { body: unknown; headers?: Record<string, string> }): apigw.Method {
    const headers = Object.entries(answer.headers ?? {}).map(([name, value]) => [`method.response.header.${name}`, `'${value}'`]);
    const methodResource = this.restApi.root.resourceForPath(path).addMethod(
      method,
      new apigw.MockIntegration({
        // A GET carries no body to map; any other content type is refused (415) rather than guessed at.
        passthroughBehavior: apigw.PassthroughBehavior.NEVER,
        requestTemplates: { 'application/json': '{"statusCode": 200}' },
        integrationResponses: [
          {
            statusCode: '200',
            responseTemplates: { 'application/json': JSON.stringify(answer.body) },
            responseParameters: Object.fromEntries(headers),
          },
        ],
      }),
      { methodResponses: [{ statusCode: '200', responseParameters: Object.fromEntries(headers.map(([name]) => [name, true])) }] },
    );
    suppress(methodResource, 'APIG4', 'Public, anonymous route answered by API Gateway itself (MOCK): no data, no function behind it.');
    suppress(methodResource, 'COG4', 'Public, anonymous route answered by API Gateway itself (see APIG4).');
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
    this.adminKey = this.restApi.addApiKey('AdminKey', { description: 'Crest admin routes (/v1/admin/*)' });
    const plan = this.restApi.addUsagePlan('AdminPlan', {
      description: 'Crest admin clients',
      throttle: { rateLimit: 50, burstLimit: 100 },
    });
    plan.addApiKey(this.adminKey);
    plan.addApiStage({ stage: this.restApi.deploymentStage });
  }

  /**
   * The web ACL: AWS's common rule set, except that its 8 KB body limit (SizeRestrictions_BODY)
   * only counts and a rule of ours blocks on its label everywhere but the publish route; and a
   * per-IP rate rule that answers 429 with Retry-After (a WAF custom response takes precedence
   * over the WAF_FILTERED gateway response).
   */
  private attachWaf(throttleRate: number): void {
    const metrics = (metricName: string) => ({ cloudWatchMetricsEnabled: true, metricName, sampledRequestsEnabled: true });
    const acl = new wafv2.CfnWebACL(this, 'WebAcl', {
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      visibilityConfig: metrics('crest-api'),
      customResponseBodies: {
        [PER_IP_RATE_BODY_KEY]: {
          contentType: 'APPLICATION_JSON',
          // WAF answers before API Gateway assigns a request id.
          content: JSON.stringify({
            error: { code: 'THROTTLED', message: `Too many requests from this address; retry after ${PER_IP_RETRY_AFTER_SECONDS} s` },
            requestId: null,
          }),
        },
      },
      rules: [
        {
          name: 'aws-common',
          priority: 0,
          overrideAction: { none: {} },
          statement: {
            managedRuleGroupStatement: {
              vendorName: 'AWS',
              name: 'AWSManagedRulesCommonRuleSet',
              ruleActionOverrides: [{ name: 'SizeRestrictions_BODY', actionToUse: { count: {} } }],
            },
          },
          visibilityConfig: metrics('crest-aws-common'),
        },
        {
          // SizeRestrictions_BODY's block, restored for every request but a publish.
          name: 'body-size-except-publish',
          priority: 1,
          action: { block: {} },
          statement: {
            andStatement: {
              statements: [
                { labelMatchStatement: { scope: 'LABEL', key: SIZE_RESTRICTIONS_BODY_LABEL } },
                { notStatement: { statement: routeStatement(LARGE_BODY_ROUTE.method, LARGE_BODY_ROUTE.path) } },
              ],
            },
          },
          visibilityConfig: metrics('crest-body-size'),
        },
        {
          // Per-IP ceiling: a single client may not take more than a slice of the stage limit.
          name: 'per-ip-rate',
          priority: 2,
          action: {
            block: {
              customResponse: {
                responseCode: 429,
                customResponseBodyKey: PER_IP_RATE_BODY_KEY,
                responseHeaders: [
                  { name: 'retry-after', value: String(PER_IP_RETRY_AFTER_SECONDS) },
                  { name: 'cache-control', value: 'no-store' },
                ],
              },
            },
          },
          statement: { rateBasedStatement: { aggregateKeyType: 'IP', limit: Math.max(100, Math.floor(throttleRate * 60)) } },
          visibilityConfig: metrics('crest-per-ip'),
        },
      ],
    });
    new wafv2.CfnWebACLAssociation(this, 'WebAclAssociation', {
      resourceArn: this.restApi.deploymentStage.stageArn,
      webAclArn: acl.attrArn,
    });
  }
}

const PER_IP_RATE_BODY_KEY = 'per-ip-rate';
const SIZE_RESTRICTIONS_BODY_LABEL = 'awswaf:managed:aws:core-rule-set:SizeRestrictions_Body';

/**
 * Matches one route as WAF sees it: the method, and the URI path with or without the stage
 * prefix (the execute-api host has `/live/…`, a custom domain may not), path parameters as one
 * segment each.
 */
function routeStatement(method: string, path: string): wafv2.CfnWebACL.StatementProperty {
  const pattern = path
    .split('/')
    .map((segment) => (segment.startsWith('{') ? '[^/]+' : segment.replace(/[.*+?^$()|[\]\\]/g, '\\$&')))
    .join('/');
  return {
    andStatement: {
      statements: [
        {
          byteMatchStatement: {
            fieldToMatch: { method: {} },
            positionalConstraint: 'EXACTLY',
            searchString: method,
            textTransformations: [{ priority: 0, type: 'NONE' }],
          },
        },
        {
          regexMatchStatement: {
            fieldToMatch: { uriPath: {} },
            regexString: `^(/${STAGE_NAME})?${pattern}/?$`,
            textTransformations: [{ priority: 0, type: 'NONE' }],
          },
        },
      ],
    },
  };
}
