import { Duration, Lazy, RemovalPolicy } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { API_ROUTES, type RouteAccess, type RouteSpec } from '../../lambdas/http/api-contract.js';
import { CORS_ALLOW_HEADERS, CORS_ENV, CORS_EXPOSE_HEADERS, CORS_MAX_AGE_SECONDS } from '../../lambdas/http/cors.js';
import { documentSchema, gatewayModel } from '../contract/json-schema.js';
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
  /** The route contract routes are added from (default: API_ROUTES; tests pass their own). */
  contract?: Readonly<Record<string, RouteSpec>>;
  /** Web origins allowed to call from a browser (context corsAllowedOrigins); empty or absent: no CORS. */
  corsAllowedOrigins?: readonly string[];
}

export type { RouteAccess };

export interface RouteOptions {
  /**
   * Who may call the route, as its entry in the route contract says (checked): required, so
   * that no route is public by omission and the construct reads as what it exposes.
   */
  access: RouteAccess;
  /** Rate-limit this route per Authorization header in the WAF (the buy route), besides per IP. */
  throttlePerBuyer?: boolean;
  /**
   * For a route outside the published contract that takes the requests of a contract route (the
   * benchmarks' baseline, local only): the contract route whose parameters, headers and body
   * model it gets. It is not in the OpenAPI document.
   */
  contractOf?: `${string} /${string}`;
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
  private readonly contract: Readonly<Record<string, RouteSpec>>;
  /** Request models by name: routes sharing a body share its model. */
  private readonly models = new Map<string, apigw.Model>();
  private readonly corsOrigins: readonly string[];
  /** Resources that have their CORS preflight (OPTIONS) already. */
  private readonly preflighted = new Set<apigw.IResource>();
  /** `METHOD path` of the routes the WAF limits per Authorization header. */
  private readonly perBuyerRoutes: Array<{ method: string; path: string }> = [];

  constructor(scope: Construct, id: string, props: CrestApiProps) {
    super(scope, id);
    this.contract = props.contract ?? API_ROUTES;
    this.corsOrigins = props.corsAllowedOrigins ?? [];
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
      // Required path, query and header parameters, and bodies against the models generated from
      // the route contract: a malformed request is refused here, before (and without) a function.
      // The functions validate again with zod (refinements no model can say, field-level details).
      validateRequestParameters: true,
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
        responseHeaders: {
          ...Object.fromEntries(Object.entries(gatewayResponseHeaders(error)).map(([k, v]) => [k, `'${v}'`])),
          ...gatewayCorsHeaders(this.corsOrigins),
        },
        templates: { 'application/json': gatewayResponseTemplate(error) },
      });
    }

    if (props.waf) this.attachWaf(props.throttleRate, props.buyerRateLimit);
    else suppress(this.restApi, 'APIG3', 'WAF is disabled by context (waf=false) for LocalStack/local targets, which have no WAFv2.');
  }

  /**
   * Adds `METHOD path` (e.g. `GET /v1/products/{sku}`) as a Lambda proxy integration, as its
   * entry in the route contract (lambdas/http/api-contract.ts) describes it: who may call it, its
   * parameters (path ones and the contract's required headers and query parameters declared
   * required, so API Gateway answers 400 BAD_REQUEST_PARAMETERS without them) and its body's model
   * (JSON Schema draft 4 generated from the zod schema the function parses with: 400
   * BAD_REQUEST_BODY before the function runs). Refuses a route the contract lacks, an access
   * that differs from the contract's, and a function whose timeout is not under API Gateway's
   * integration timeout.
   */
  addRoute(method: string, path: string, fn: CrestFunction, options: RouteOptions): apigw.Method {
    const spec = this.contract[options.contractOf ?? `${method} ${path}`];
    if (spec?.answeredBy !== 'function') {
      throw new Error(`${method} ${path} is not a function route of the route contract (lambdas/http/api-contract.ts): add it there first`);
    }
    if (spec.access !== options.access) {
      throw new Error(`${method} ${path}: the route contract says access ${spec.access}, not ${options.access}`);
    }
    const timeout = fn.lambda.timeout ?? Duration.seconds(3);
    if (timeout.toMilliseconds() >= INTEGRATION_TIMEOUT.toMilliseconds()) {
      throw new Error(
        `${method} ${path}: ${fn.node.path} times out after ${timeout.toSeconds()} s; behind API Gateway it must time out under ${INTEGRATION_TIMEOUT.toSeconds()} s`,
      );
    }
    const resource = this.restApi.root.resourceForPath(path);
    const requestParameters = methodRequestParameters(path, spec);
    // `$default`: the model applies whatever Content-Type the client claims. Keyed by
    // `application/json` only, a body sent as text/plain would skip validation (API Gateway
    // validates only a matching content type) and reach the function, which parses it anyway.
    const requestModels = spec.body ? { $default: this.model(spec.body.name, spec.body.schema) } : undefined;
    this.allowCors(resource);
    if (this.corsOrigins.length) fn.lambda.addEnvironment(CORS_ENV, this.corsOrigins.join(','));
    const signedIn = options.access !== 'public';
    const methodResource = resource.addMethod(method, new apigw.LambdaIntegration(fn.lambda, { proxy: true }), {
      requestParameters,
      ...(requestModels ? { requestModels } : {}),
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
    if (this.contract[`${method} ${path}`]?.answeredBy !== 'gateway') {
      throw new Error(`${method} ${path} is not a gateway-answered route of the route contract (lambdas/http/api-contract.ts)`);
    }
    const headers = Object.entries(answer.headers ?? {}).map(([name, value]) => [`method.response.header.${name}`, `'${value}'`]);
    const resource = this.restApi.root.resourceForPath(path);
    this.allowCors(resource);
    const methodResource = resource.addMethod(
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
   * With allowed origins, the resource's CORS preflight: an OPTIONS method API Gateway answers
   * itself (MOCK), allowing the origins, Crest's request headers (CORS_ALLOW_HEADERS) and every
   * method, cached by the browser CORS_MAX_AGE_SECONDS. Once per resource.
   */
  private allowCors(resource: apigw.IResource): void {
    if (this.corsOrigins.length === 0 || this.preflighted.has(resource)) return;
    this.preflighted.add(resource);
    const preflight = resource.addCorsPreflight({
      allowOrigins: [...this.corsOrigins],
      allowHeaders: [...CORS_ALLOW_HEADERS],
      allowMethods: apigw.Cors.ALL_METHODS,
      exposeHeaders: [...CORS_EXPOSE_HEADERS],
      maxAge: Duration.seconds(CORS_MAX_AGE_SECONDS),
    });
    suppress(preflight, 'APIG4', 'CORS preflight (OPTIONS): browsers send it without credentials; API Gateway answers it itself (MOCK).');
    suppress(preflight, 'COG4', 'CORS preflight (OPTIONS): browsers send it without a token (see APIG4).');
  }

  /** The API's model for a body schema, created once per name. */
  private model(name: string, schema: Parameters<typeof gatewayModel>[0]): apigw.Model {
    let model = this.models.get(name);
    if (!model) {
      model = this.restApi.addModel(`${name}Model`, {
        contentType: 'application/json',
        modelName: name,
        // Plain JSON Schema draft 4 (`$schema` included): CDK passes keys it does not rename through.
        schema: gatewayModel(schema, name) as apigw.JsonSchema,
      });
      this.models.set(name, model);
    }
    return model;
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

/**
 * A method's request parameters from its contract entry: every path parameter (required), and
 * each header and query parameter the contract names, required as it says.
 */
function methodRequestParameters(path: string, spec: RouteSpec): Record<string, boolean> {
  const parameters: Record<string, boolean> = {};
  for (const match of path.matchAll(/\{([^}]+)\}/g)) parameters[`method.request.path.${match[1]}`] = true;
  for (const [name, header] of Object.entries(spec.headers)) parameters[`method.request.header.${name}`] = header.required;
  if (spec.query) {
    const query = documentSchema(spec.query.schema, 'input');
    const required = new Set((query.required as string[] | undefined) ?? []);
    for (const name of Object.keys(query.properties ?? {})) parameters[`method.request.querystring.${name}`] = required.has(name);
  }
  return parameters;
}

/**
 * CORS headers on API Gateway's own error responses, so a browser can read a 401 or a 429. A
 * gateway response maps static values or request parameters only (no VTL): one origin (or `*`) is
 * sent as is; with several, the request's Origin is echoed (an error body carries no data).
 */
function gatewayCorsHeaders(origins: readonly string[]): Record<string, string> {
  if (origins.length === 0) return {};
  const [only] = origins;
  return {
    'Access-Control-Allow-Origin': origins.length === 1 ? `'${only}'` : 'method.request.header.origin',
    'Access-Control-Expose-Headers': `'${CORS_EXPOSE_HEADERS.join(',')}'`,
    ...(only === '*' ? {} : { Vary: "'Origin'" }),
  };
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
