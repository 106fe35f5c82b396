import { CORRELATION_ID_PATTERN } from '../../lambdas/domain/correlation.js';
import {
  API_ERRORS,
  API_ROUTES,
  type ApiErrorCode,
  commonErrors,
  type RouteAccess,
  type RouteSpec,
  type RouteTag,
} from '../../lambdas/http/api-contract.js';
import { STATUS_BY_KIND } from '../../lambdas/http/errors.js';
import { errorBodySchema } from '../../lambdas/http/response-schemas.js';
import { GATEWAY_ERRORS, type GatewayError } from '../gateway-responses.js';
import { EXAMPLE_PARAMETERS, EXAMPLES } from './examples.js';
import { documentSchema, type JsonSchema } from './json-schema.js';

/**
 * The document's version: the major is the path's (`/v1`); the minor grows with every additive
 * change (a route, an optional field, an error code, a status), the patch with corrections of the
 * text. A breaking change is a new major under a new path prefix (README, "Versioning").
 */
export const API_VERSION = '1.0.0';

/** The security scheme every signed-in route names. */
export const SECURITY_SCHEME = 'CognitoIdToken';

/** The Cognito group admin routes require, as the security requirement's role. */
export const ADMIN_ROLE = 'admins';

export interface DocumentOptions {
  /** Servers to list first (the local runtime puts its own URL here). */
  servers?: Array<{ url: string; description: string }>;
}

export interface OpenApiDocument {
  openapi: '3.1.0';
  info: Record<string, unknown>;
  servers: Array<Record<string, unknown>>;
  tags: Array<{ name: string; description: string }>;
  paths: Record<string, Record<string, Operation>>;
  components: {
    schemas: Record<string, JsonSchema>;
    examples: Record<string, { summary: string; value: unknown }>;
    securitySchemes: Record<string, unknown>;
  };
}

export interface Operation {
  operationId: string;
  summary: string;
  description: string;
  tags: string[];
  security: Array<Record<string, string[]>>;
  parameters: Parameter[];
  requestBody?: { required: boolean; content: Record<string, { schema: JsonSchema; example?: unknown }> };
  responses: Record<string, ResponseObject>;
  /** How API Gateway answers the route: `function` (Lambda proxy) or `gateway` (MOCK). */
  'x-crest-answered-by': RouteSpec['answeredBy'];
}

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  description: string;
  schema: JsonSchema;
  example?: unknown;
}

export interface ResponseObject {
  description: string;
  headers?: Record<string, { description: string; required: boolean; schema: JsonSchema }>;
  content?: Record<string, { schema: JsonSchema; example?: unknown; examples?: Record<string, { $ref: string }> }>;
  /** The error codes this status may carry on this route (error responses only). */
  'x-crest-error-codes'?: string[];
}

const TAGS: Record<RouteTag, string> = {
  Products: 'Product detail, read by anyone.',
  Deductions: 'Flash-sale stock deductions: ask, poll, cancel. Signed-in buyers only; a deduction is visible only to its buyer.',
  Feeds: 'Today’s picks: versioned, immutable pages.',
  'Back office': 'Catalog and feed writes, for members of the `admins` group.',
  Health: 'Is the API up, and is every dependency answering.',
};

const INFO_DESCRIPTION = `Crest's product API for flash sales, generated from the schemas the functions validate with
(\`lambdas/http/api-contract.ts\`). The same file generates API Gateway's request models, so a request
this document calls malformed is refused by the gateway (400 \`BAD_REQUEST_BODY\` or
\`BAD_REQUEST_PARAMETERS\`) before any function runs.

**Errors** all have one shape, \`{ "error": { "code", "message", "details"? }, "requestId" }\`. Each
response lists the codes it may carry (\`x-crest-error-codes\`, and one example per code). An error
means nothing changed, except \`OUTCOME_UNKNOWN\`: retry with the same \`Idempotency-Key\`, or read the
resource, as its \`details\` say. An unknown route (or method) is 404 \`ROUTE_NOT_FOUND\`.

**Versioning.** Within \`/v1\`, changes are additive: new routes, new optional request fields, new
response fields, new error codes and new deduction statuses may appear. Ignore fields you do not
know, treat an unknown error code by its status and an unknown status as not final. Deprecations
are announced with \`Deprecation\` and \`Sunset\` headers on the affected route, at least 90 days ahead.`;

/**
 * Crest's OpenAPI 3.1 document: every route of API_ROUTES with its parameters, headers, body,
 * success answers and every error it may answer, from its function (API_ERRORS) and from API
 * Gateway and the WAF (lib/gateway-responses.ts), with examples from the demo data.
 */
export function openApiDocument(options: DocumentOptions = {}): OpenApiDocument {
  const schemas: Record<string, JsonSchema> = { Error: documentSchema(errorBodySchema) };
  const examples: OpenApiDocument['components']['examples'] = {};
  const named = (name: string, schema: Parameters<typeof documentSchema>[0]): JsonSchema => {
    schemas[name] ??= documentSchema(schema);
    return { $ref: `#/components/schemas/${name}` };
  };

  const paths: OpenApiDocument['paths'] = {};
  for (const [key, spec] of Object.entries(API_ROUTES) as Array<[string, RouteSpec]>) {
    const [method = '', path = ''] = key.split(' ');
    const operation: Operation = {
      operationId: spec.operationId,
      summary: spec.summary,
      description: spec.description,
      tags: [spec.tag],
      security: security(spec.access),
      parameters: parameters(spec),
      ...(spec.body
        ? {
            requestBody: {
              required: spec.body.required,
              content: { 'application/json': withExample({ schema: named(spec.body.name, spec.body.schema) }, spec.body.name) },
            },
          }
        : {}),
      responses: {},
      'x-crest-answered-by': spec.answeredBy,
    };
    for (const [status, answer] of Object.entries(spec.answers)) {
      operation.responses[status] = {
        description: answer.description,
        headers: {
          ...Object.fromEntries(
            Object.entries(answer.headers).map(([name, h]) => [
              name,
              { description: h.description, required: h.required, schema: { type: 'string' } },
            ]),
          ),
          ...(spec.answeredBy === 'function' ? { 'x-correlation-id': CORRELATION_HEADER } : {}),
        },
        ...(answer.body
          ? { content: { 'application/json': withExample({ schema: named(answer.body.name, answer.body.schema) }, answer.body.name) } }
          : {}),
      };
    }
    for (const [status, errors] of errorsByStatus(method, spec)) {
      operation.responses[String(status)] = errorResponse(status, errors);
      for (const e of errors) {
        examples[exampleName(e)] ??= {
          summary: e.meaning,
          value: { error: { code: e.code, message: e.meaning }, requestId: EXAMPLE_REQUEST_ID },
        };
      }
    }
    paths[path] ??= {};
    (paths[path] as Record<string, Operation>)[method.toLowerCase()] = operation;
  }

  return {
    openapi: '3.1.0',
    info: { title: 'Crest API', version: API_VERSION, description: INFO_DESCRIPTION },
    servers: [
      ...(options.servers ?? []),
      {
        url: 'https://{restApiId}.execute-api.{region}.amazonaws.com/live',
        description: 'AWS (stack output ApiUrl)',
        variables: { restApiId: { default: 'abcdef1234' }, region: { default: 'us-east-1' } },
      },
      { url: 'http://localhost:3000', description: '`npm start` on this machine' },
    ],
    tags: Object.entries(TAGS).map(([name, description]) => ({ name, description })),
    paths,
    components: {
      schemas: sorted(schemas),
      examples: sorted(examples),
      securitySchemes: {
        [SECURITY_SCHEME]: {
          type: 'apiKey',
          in: 'header',
          name: 'Authorization',
          description: `A Cognito **ID token** of Crest's user pool (stack outputs \`UserPoolId\`, \`MobileClientId\`), as \`Authorization: <idToken>\` or \`Bearer <idToken>\`. API Gateway verifies it before the function runs; an access token is refused. Routes that list the role \`${ADMIN_ROLE}\` also need the token's \`cognito:groups\` to contain it. Locally, \`POST /_local/tokens\` with \`{"username": "alice"}\` (and \`"groups": ["admins"]\`) gives one.`,
        },
      },
    },
  };
}

const sorted = <T>(record: Record<string, T>): Record<string, T> =>
  Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));

const EXAMPLE_REQUEST_ID = 'c0ffee00-1234-4abc-8def-0123456789ab';

/** An error example's name in `components.examples`: the code, marked when the gateway answers it. */
const exampleName = (e: ErrorSource) => (e.gateway ? `${e.code}.gateway` : e.code);

function security(access: RouteAccess): Array<Record<string, string[]>> {
  if (access === 'public') return [];
  return [{ [SECURITY_SCHEME]: access === 'admin' ? [ADMIN_ROLE] : [] }];
}

function parameters(spec: RouteSpec): Parameter[] {
  const out: Parameter[] = [];
  for (const [name, p] of Object.entries(spec.path)) {
    out.push(withParameterExample({ name, in: 'path', required: true, description: p.description, schema: documentSchema(p.schema) }));
  }
  if (spec.query) {
    const input = documentSchema(spec.query.schema, 'input');
    const output = documentSchema(spec.query.schema, 'output');
    const required = new Set((input.required as string[] | undefined) ?? []);
    for (const [name, schema] of Object.entries((output.properties ?? {}) as Record<string, JsonSchema>)) {
      out.push(
        withParameterExample({ name, in: 'query', required: required.has(name), description: spec.query.descriptions[name] ?? '', schema }),
      );
    }
  }
  for (const [name, h] of Object.entries(spec.headers)) {
    out.push(
      withParameterExample({ name, in: 'header', required: h.required, description: h.description, schema: documentSchema(h.schema) }),
    );
  }
  if (spec.answeredBy === 'function') {
    out.push({
      name: 'x-correlation-id',
      in: 'header',
      required: false,
      description:
        'Names this request in every log line it causes, through the queue and the stream (README, "Following a request"). Any other value, or none: API Gateway’s request id is used.',
      schema: { type: 'string', pattern: CORRELATION_ID_PATTERN.source },
    });
  }
  return out;
}

/** Every function answer echoes the request's correlation id (lambdas/http/correlation.ts). */
const CORRELATION_HEADER = {
  description: 'The correlation id this request is logged under: yours if it was well-formed, else API Gateway’s request id.',
  required: true,
  schema: { type: 'string' },
};

function withParameterExample(p: Parameter): Parameter {
  return p.name in EXAMPLE_PARAMETERS ? { ...p, example: EXAMPLE_PARAMETERS[p.name] } : p;
}

function withExample<T extends { schema: JsonSchema }>(media: T, name: string): T & { example?: unknown } {
  return name in EXAMPLES ? { ...media, example: EXAMPLES[name] } : media;
}

interface ErrorSource {
  code: string;
  meaning: string;
  /** Answered by API Gateway or the WAF (true) or by the function. */
  gateway: boolean;
  retryAfter: boolean;
}

/** Every error `METHOD path` may answer, grouped by status: its function's, then the gateway's. */
export function errorsByStatus(method: string, spec: RouteSpec): Map<number, ErrorSource[]> {
  const byStatus = new Map<number, ErrorSource[]>();
  const add = (status: number, source: ErrorSource) => {
    const list = byStatus.get(status) ?? [];
    if (!list.some((s) => s.code === source.code && s.gateway === source.gateway)) list.push(source);
    byStatus.set(status, list);
  };
  for (const code of new Set<ApiErrorCode>([...spec.errors, ...commonErrors(method, spec)])) {
    const { kind, meaning } = API_ERRORS[code];
    const status = kind === 'internal' ? 500 : STATUS_BY_KIND[kind];
    add(status, { code, meaning, gateway: false, retryAfter: status === 503 });
  }
  for (const error of gatewayErrors(spec)) {
    add(error.status, {
      code: error.code,
      meaning: GATEWAY_MEANINGS[error.type] ?? '',
      gateway: true,
      retryAfter: error.retryAfterSeconds !== undefined,
    });
  }
  return new Map([...byStatus].sort(([a], [b]) => a - b));
}

/** What API Gateway (and, on AWS, the WAF) may answer for a route, before or instead of its function. */
function gatewayErrors(spec: RouteSpec): GatewayError[] {
  const g = GATEWAY_ERRORS;
  return [
    ...(spec.access === 'public' ? [] : [g.unauthorized]),
    ...(Object.values(spec.headers).some((h) => h.required) ? [g.badRequestParameters] : []),
    ...(spec.body ? [g.badRequestBody] : []),
    g.wafFiltered,
    g.requestTooLarge,
    ...(spec.answeredBy === 'gateway' ? [g.unsupportedMediaType] : [g.default5xx, g.integrationTimeout]),
    g.throttled,
  ];
}

const GATEWAY_MEANINGS: Partial<Record<GatewayError['type'], string>> = {
  UNAUTHORIZED: 'No token, or one the authorizer refuses (malformed, expired, wrongly signed, another app client’s, an access token).',
  BAD_REQUEST_PARAMETERS: 'A required header is missing (API Gateway, before the function).',
  BAD_REQUEST_BODY:
    'The body does not match the route’s model (API Gateway, before the function): the message carries the validator’s findings.',
  WAF_FILTERED: 'Blocked by the WAF (AWS only).',
  REQUEST_TOO_LARGE: 'The body is over 10 MB.',
  UNSUPPORTED_MEDIA_TYPE: 'A Content-Type other than application/json.',
  DEFAULT_5XX: 'The function failed or timed out and may have taken effect: retry with the same Idempotency-Key, or read the resource.',
  INTEGRATION_TIMEOUT:
    'No answer within 29 s; the function may still take effect: retry with the same Idempotency-Key, or read the resource.',
  THROTTLED: 'Over the stage’s rate, or the WAF’s per-IP or per-buyer rate: retry after Retry-After.',
};

function errorResponse(status: number, sources: ErrorSource[]): ResponseObject {
  const codes = [...new Set(sources.map((s) => s.code))];
  const lines = sources.map((s) => `- \`${s.code}\`${s.gateway ? ' (gateway)' : ''}: ${s.meaning}`);
  const retryAfter = sources.some((s) => s.retryAfter);
  return {
    description: `${STATUS_TEXT[status] ?? 'Error'}.\n\n${lines.join('\n')}`,
    headers: {
      'Cache-Control': { description: '`no-store`.', required: true, schema: { type: 'string' } },
      ...(retryAfter
        ? { 'Retry-After': { description: 'Seconds to wait before retrying.', required: true, schema: { type: 'string' } } }
        : {}),
    },
    content: {
      'application/json': {
        schema: { $ref: '#/components/schemas/Error' },
        examples: Object.fromEntries(sources.map((s) => [exampleName(s), { $ref: `#/components/examples/${exampleName(s)}` }])),
      },
    },
    'x-crest-error-codes': codes,
  };
}

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad request: nothing changed',
  401: 'Not signed in: sign in or refresh the ID token, then retry the same request',
  403: 'Forbidden: nothing changed',
  404: 'Not found: nothing changed',
  409: 'Conflict: nothing changed',
  410: 'Gone: nothing changed',
  412: 'Precondition failed: nothing changed',
  413: 'Payload too large: nothing changed',
  415: 'Unsupported media type: nothing changed',
  429: 'Too many requests: nothing changed',
  500: 'Internal error',
  502: 'Bad gateway: the outcome is unknown',
  503: 'Unavailable: nothing changed, except OUTCOME_UNKNOWN',
  504: 'Gateway timeout: the outcome is unknown',
};
