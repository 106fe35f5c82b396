import { Duration, Lazy, RemovalPolicy } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { GATEWAY_ERRORS, type GatewayError, gatewayResponseHeaders, gatewayResponseTemplate } from '../gateway-responses.js';
import { suppress } from '../nag.js';
import type { BuyerIdentity } from './buyer-identity.js';
import type { CrestFunction } from './crest-function.js';

export interface CrestApiProps {
  throttleRate: number;
  throttleBurst: number;
  waf: boolean;
  /** Whose ID tokens the Cognito authorizer accepts on buyer and admin routes. */
  identity: BuyerIdentity;
  /** Requests per minute one Authorization header may send to a route marked `throttlePerBuyer` (WAF). */
  buyerRateLimit: number;
}

/**
 * Who may call a route:
 * - `public`: anyone, no token (product and feed reads);
 * - `buyer`: a valid ID token of the user pool (the Cognito authorizer checks it before the
 *   function runs; the function acts for its `sub`);
 * - `admin`: the same authorizer, and the function requires the `admins` group.
 */
export type RouteAccess = 'public' | 'buyer' | 'admin';

export interface RouteOptions {
  /** Required, so that no route is public by omission. */
  access: RouteAccess;
  /**
   * Headers the request must carry. API Gateway's request validator answers a request without
   * one 400 BAD_REQUEST_PARAMETERS before the function runs.
   */
  requiredHeaders?: string[];
  /** Rate-limit this route per Authorization header in the WAF (the buy route), besides per IP. */
  throttlePerBuyer?: boolean;
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

/** Per-buyer rate rule: its evaluation window, and how long a blocked buyer is told to wait. */
export const BUYER_RATE_WINDOW_SECONDS = 60;

/**
 * The public REST API (v1: LocalStack Community serves only v1, and v1 has request validation,
 * Cognito authorizers and WAF). Stage throttling comes from context; access logs are JSON;
 * execution logs at ERROR. Capabilities add their routes with `addRoute`, each saying who may
 * call it.
 */
export class CrestApi extends Construct {
  readonly restApi: apigw.RestApi;
  /** Verifies the ID token in `Authorization` on every buyer and admin route. */
  readonly authorizer: apigw.CognitoUserPoolsAuthorizer;
  private readonly validator: apigw.RequestValidator;
  /** `METHOD path` of the routes the WAF limits per Authorization header. */
  private readonly perBuyerRoutes: Array<{ method: string; path: string }> = [];

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
    this.authorizer = new apigw.CognitoUserPoolsAuthorizer(this, 'Authorizer', {
      cognitoUserPools: [props.identity.userPool],
      identitySource: apigw.IdentitySource.header('Authorization'),
      // No cached decisions: a token is refused the moment it expires, as the local runtime does.
      // The check is API Gateway's own (JWT signature against the pool's keys), with no Lambda.
      resultsCacheTtl: Duration.seconds(0),
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

    if (props.waf) this.attachWaf(props.throttleRate, props.buyerRateLimit);
    else suppress(this.restApi, 'APIG3', 'WAF is disabled by context (waf=false) for LocalStack/local targets, which have no WAFv2.');
  }

  /**
   * Adds `METHOD path` (e.g. `GET /v1/products/{sku}`) as a Lambda proxy integration, open to
   * `options.access`. Path parameters are declared required so API Gateway's validator rejects
   * requests missing them. Refuses a function whose timeout is not under API Gateway's
   * integration timeout.
   */
  addRoute(method: string, path: string, fn: CrestFunction, options: RouteOptions): apigw.Method {
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
    const signedIn = options.access !== 'public';
    const methodResource = resource.addMethod(method, new apigw.LambdaIntegration(fn.lambda, { proxy: true }), {
      requestParameters,
      requestValidator: this.validator,
      ...(signedIn
        ? { authorizationType: apigw.AuthorizationType.COGNITO, authorizer: this.authorizer }
        : { authorizationType: apigw.AuthorizationType.NONE }),
    });
    if (!signedIn) {
      suppress(
        methodResource,
        'APIG4',
        'Public storefront read for anonymous mobile clients (product detail, feeds); abuse is bounded by stage throttling and the WAF rate rules.',
      );
      suppress(methodResource, 'COG4', 'Public storefront read: anyone may browse without signing in (see APIG4).');
    }
    if (options.throttlePerBuyer) this.perBuyerRoutes.push({ method, path });
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
   * The web ACL: AWS's common rule set, except that its 8 KB body limit (SizeRestrictions_BODY)
   * only counts and a rule of ours blocks on its label everywhere but the publish route; a per-IP
   * rate rule; and a per-buyer rate rule on the routes marked `throttlePerBuyer`, aggregated per
   * Authorization header. Both rate rules answer 429 with Retry-After in Crest's error shape (a WAF
   * custom response takes precedence over the WAF_FILTERED gateway response).
   */
  private attachWaf(throttleRate: number, buyerRateLimit: number): void {
    const metrics = (metricName: string) => ({ cloudWatchMetricsEnabled: true, metricName, sampledRequestsEnabled: true });
    const rules: wafv2.CfnWebACL.RuleProperty[] = [
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
        action: throttledAction(PER_IP_RATE_BODY_KEY, PER_IP_RETRY_AFTER_SECONDS),
        statement: { rateBasedStatement: { aggregateKeyType: 'IP', limit: Math.max(100, Math.floor(throttleRate * 60)) } },
        visibilityConfig: metrics('crest-per-ip'),
      },
    ];
    const acl = new wafv2.CfnWebACL(this, 'WebAcl', {
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      visibilityConfig: metrics('crest-api'),
      customResponseBodies: {
        [PER_IP_RATE_BODY_KEY]: throttledBody(`Too many requests from this address; retry after ${PER_IP_RETRY_AFTER_SECONDS} s`),
        [PER_BUYER_RATE_BODY_KEY]: throttledBody(`Too many purchase attempts with this token; retry after ${BUYER_RATE_WINDOW_SECONDS} s`),
      },
      // Lazy: the per-buyer rule scopes down to routes added after the ACL.
      rules: Lazy.any({ produce: () => [...rules, ...this.perBuyerRule(buyerRateLimit, metrics)] }),
    });
    new wafv2.CfnWebACLAssociation(this, 'WebAclAssociation', {
      resourceArn: this.restApi.deploymentStage.stageArn,
      webAclArn: acl.attrArn,
    });
  }

  /**
   * One buyer (one token in Authorization) may send `limit` requests per minute to the routes
   * marked `throttlePerBuyer`, whatever address they come from. WAF cannot read the token's `sub`,
   * so the key is the header's value: a buyer holding several tokens gets the limit per token; the
   * per-user limit on units holds regardless (the consumer counts per `sub`). A request without the
   * header is not counted here: the authorizer refuses it (401).
   */
  private perBuyerRule(limit: number, metrics: (name: string) => wafv2.CfnWebACL.VisibilityConfigProperty): wafv2.CfnWebACL.RuleProperty[] {
    if (this.perBuyerRoutes.length === 0) return [];
    const routes = this.perBuyerRoutes.map((r) => routeStatement(r.method, r.path));
    return [
      {
        name: 'per-buyer-rate',
        priority: 3,
        action: throttledAction(PER_BUYER_RATE_BODY_KEY, BUYER_RATE_WINDOW_SECONDS),
        statement: {
          rateBasedStatement: {
            aggregateKeyType: 'CUSTOM_KEYS',
            customKeys: [{ header: { name: 'authorization', textTransformations: [{ priority: 0, type: 'NONE' }] } }],
            evaluationWindowSec: BUYER_RATE_WINDOW_SECONDS,
            limit,
            scopeDownStatement: routes.length === 1 ? routes[0] : { orStatement: { statements: routes } },
          },
        },
        visibilityConfig: metrics('crest-per-buyer'),
      },
    ];
  }
}

const PER_IP_RATE_BODY_KEY = 'per-ip-rate';
const PER_BUYER_RATE_BODY_KEY = 'per-buyer-rate';
const SIZE_RESTRICTIONS_BODY_LABEL = 'awswaf:managed:aws:core-rule-set:SizeRestrictions_Body';

/** Block with 429, `Retry-After` and the custom response body `bodyKey` (a WAF custom response). */
function throttledAction(bodyKey: string, retryAfterSeconds: number): wafv2.CfnWebACL.RuleActionProperty {
  return {
    block: {
      customResponse: {
        responseCode: 429,
        customResponseBodyKey: bodyKey,
        responseHeaders: [
          { name: 'retry-after', value: String(retryAfterSeconds) },
          { name: 'cache-control', value: 'no-store' },
        ],
      },
    },
  };
}

/** A WAF custom response body in Crest's error shape. WAF answers before API Gateway assigns a request id. */
function throttledBody(message: string): wafv2.CfnWebACL.CustomResponseBodyProperty {
  return { contentType: 'APPLICATION_JSON', content: JSON.stringify({ error: { code: 'THROTTLED', message }, requestId: null }) };
}

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
